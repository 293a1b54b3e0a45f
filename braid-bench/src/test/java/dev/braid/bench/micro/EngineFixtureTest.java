package dev.braid.bench.micro;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JMH engine fixture really completes calls (so the benchmarks measure real work). */
class EngineFixtureTest {
  @ParameterizedTest
  @CsvSource({"false,0", "false,1024", "true,0", "true,1024"})
  void serverAnswersEveryCall(boolean negotiate, int payload) {
    EngineFixture.Server s = new EngineFixture.Server(negotiate, payload);
    try {
      long one = s.calls(1);
      assertThat(one).isGreaterThanOrEqualTo(payload + 8L);
      long many = s.calls(64);
      assertThat(many).isGreaterThanOrEqualTo(64L * (payload + 8));
    } finally {
      s.close();
    }
  }

  @ParameterizedTest
  @CsvSource({"false,0", "false,1024", "true,0", "true,1024"})
  void clientCompletesEveryCall(boolean negotiate, int payload) {
    EngineFixture.Client c = new EngineFixture.Client(negotiate, payload);
    try {
      for (int i = 0; i < 100; i++) {
        assertThat(c.calls(1)).isPositive();
      }
      if (negotiate) {
        assertThat(c.calls(64)).isPositive();
      }
    } finally {
      c.close();
    }
  }
}
