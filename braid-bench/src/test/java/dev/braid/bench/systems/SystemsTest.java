package dev.braid.bench.systems;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.CellRunner;
import dev.braid.bench.harness.Scenario;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JVM system's client against its own server, in every executor and scenario it
 * supports: a short closed loop in which every response is verified must complete with
 * figures; and with a server that corrupts one message in N, the run must fail with the
 * verification error and carry no figures.
 */
@Timeout(30)
class SystemsTest {
  static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  static Stream<Arguments> points() {
    List<Arguments> l = new ArrayList<>();
    for (SystemKind k : SystemKind.values()) {
      if (k.isGo()) {
        continue;
      }
      for (String ex : k.executors()) {
        for (Scenario sc : Scenario.values()) {
          if (k.supports(ex, sc)) {
            l.add(Arguments.of(k, ex, sc));
          }
        }
      }
    }
    return l.stream();
  }

  static Cell cell(SystemKind k, String ex, Scenario sc, int inflight) {
    int payload = switch (sc) {
      case UNARY, BIDI -> 1024;
      case STREAM -> 64 << 10;
    };
    return new Cell(k.label(), ex, sc, payload, inflight, 4, 100, 300);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("points")
  void verifiedCallsComplete(SystemKind k, String ex, Scenario sc) throws Exception {
    try (BenchServer server = Systems.server(k, ex, LOOPBACK, Faults.NONE)) {
      Cell c = cell(k, ex, sc, 3);
      CellResult r = CellRunner.run(Systems.client(k, server.address(), c), c,
          new CellRunner.Listener() {});
      assertThat(r.error).isNull();
      assertThat(r.calls).isPositive();
      assertThat(r.bytes).isEqualTo(r.calls * c.payloadBytes());
      assertThat(r.callsPerS).isPositive();
      assertThat(r.p50Us).isPositive().isLessThanOrEqualTo(r.p99Us);
      int conns = k == SystemKind.BRAID_CONN_PER_STREAM ? 3 : 1;
      assertThat(r.connections).isEqualTo(conns);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("points")
  void aWrongResponseFailsTheRun(SystemKind k, String ex, Scenario sc) throws Exception {
    try (BenchServer server = Systems.server(k, ex, LOOPBACK, new Faults(25))) {
      Cell c = cell(k, ex, sc, 2);
      CellResult r = CellRunner.run(Systems.client(k, server.address(), c), c,
          new CellRunner.Listener() {});
      assertThat(r.ok()).isFalse();
      assertThat(r.error).containsAnyOf("differs", "wrong response");
      assertThat(r.callsPerS).isNaN();
      assertThat(r.p50Us).isNaN();
      assertThat(r.toRun().get("calls_per_s")).isNull();
      assertThat(r.toRun()).containsKey("error");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryEmpty")
  void emptyPayloadsAreVerifiedToo(SystemKind k, String ex) throws Exception {
    try (BenchServer server = Systems.server(k, ex, LOOPBACK, new Faults(10))) {
      Cell c = new Cell(k.label(), ex, Scenario.UNARY, 0, 2, 1, 50, 200);
      CellResult r = CellRunner.run(Systems.client(k, server.address(), c), c,
          new CellRunner.Listener() {});
      assertThat(r.error).contains("differs");
    }
  }

  static Stream<Arguments> unaryEmpty() {
    return Stream.of(Arguments.of(SystemKind.BRAID_MUX, "direct"),
        Arguments.of(SystemKind.GRPC_JAVA, "direct"),
        Arguments.of(SystemKind.RAW_NETTY, "event-loop"));
  }
}
