package dev.braid.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The closed loop itself, with fake clients: phases, counting, and failure reporting. */
class CellRunnerTest {
  final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** A fake client whose calls take 200 µs and succeed, or fail at call {@code failAt}. */
  final class Fake implements BenchClient {
    final int failAt;
    final boolean hang;
    int issued;

    Fake(int failAt, boolean hang) {
      this.failAt = failAt;
      this.hang = hang;
    }

    @Override
    public void start(Loop loop) {
      for (int i = 0; i < loop.slots(); i++) {
        issue(loop);
      }
    }

    synchronized int next() {
      return ++issued;
    }

    void issue(Loop loop) {
      long start = System.nanoTime();
      int n = next();
      timer.schedule(() -> {
        if (n == failAt) {
          loop.fail("call " + n + ": echo differs from the request");
          loop.slotDone();
        } else if (hang && !loop.running()) {
          // never finishes its last call
        } else {
          loop.record(start, System.nanoTime(), 1, 10);
          if (loop.running()) {
            issue(loop);
          } else {
            loop.slotDone();
          }
        }
      }, 200, TimeUnit.MICROSECONDS);
    }

    @Override
    public int connections() {
      return 1;
    }

    @Override
    public void close() {}
  }

  static Cell cell() {
    return new Cell("fake", "direct", Scenario.UNARY, 10, 4, 1, 100, 300);
  }

  @Test
  void countsOnlyTheMeasuredPhase() {
    List<String> phases = new ArrayList<>();
    CellResult r = CellRunner.run(new Fake(-1, false), cell(), new CellRunner.Listener() {
      @Override
      public void phase(String phase) {
        phases.add(phase);
      }
    });
    assertThat(r.error).isNull();
    assertThat(phases).containsExactly("measure", "end");
    assertThat(r.seconds).isBetween(0.29, 0.6);
    assertThat(r.calls).isPositive();
    assertThat(r.callsPerS).isCloseTo(r.calls / r.seconds, org.assertj.core.data.Offset.offset(1.0));
    assertThat(r.bytes).isEqualTo(r.calls * 10);
    assertThat(r.p50Us).isGreaterThanOrEqualTo(150);
  }

  @Test
  void oneWrongResponseFailsTheCellWithoutFigures() {
    CellResult r = CellRunner.run(new Fake(50, false), cell(), new CellRunner.Listener() {});
    assertThat(r.ok()).isFalse();
    assertThat(r.error).contains("call 50: echo differs");
    assertThat(r.callsPerS).isNaN();
    assertThat(r.mibPerS).isNaN();
    assertThat(r.p99Us).isNaN();
  }

  @Test
  void slotsThatNeverFinishAreAnError() {
    Cell c = new Cell("fake", "direct", Scenario.UNARY, 10, 2, 1, 10, 100);
    long t0 = System.nanoTime();
    CellResult r = CellRunner.run(new Fake(-1, true), c, new CellRunner.Listener() {}, 300);
    assertThat(r.error).contains("2 of 2 slots still had a call outstanding");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
  }

  @Test
  void aClientThatCannotConnectIsAnError() {
    BenchClient broken = new BenchClient() {
      @Override
      public void start(Loop loop) throws Exception {
        throw new java.io.IOException("cannot connect to 127.0.0.1:1");
      }

      @Override
      public int connections() {
        return 0;
      }

      @Override
      public void close() {}
    };
    CellResult r = CellRunner.run(broken, cell(), new CellRunner.Listener() {});
    assertThat(r.error).contains("cannot connect");
  }
}
