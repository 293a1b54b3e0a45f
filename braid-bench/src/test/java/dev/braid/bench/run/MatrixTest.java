package dev.braid.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.Json;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.systems.SystemKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end with real processes: a JVM server and client (raw Netty, the
 * quickest to start) and the Go DRPC peer, through the same orchestration as
 * {@code braid bench}, including a server that corrupts responses.
 */
@Timeout(120)
class MatrixTest {
  @TempDir
  Path dir;

  Matrix.Config config(SystemKind system) {
    Matrix.Config cfg = new Matrix.Config();
    cfg.systems = List.of(system);
    cfg.scenarios = List.of(Scenario.UNARY, Scenario.STREAM, Scenario.BIDI);
    cfg.unaryPayloads = List.of(1024);
    cfg.streamPayload = 64 << 10;
    cfg.streamMessages = 4;
    cfg.inflight = List.of(2);
    cfg.warmupMillis = 200;
    cfg.measureMillis = 300;
    cfg.firstWarmupMillis = 200;
    cfg.settleMaxMillis = 500; // one settling chunk per scenario
    cfg.jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    cfg.classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    cfg.goDir = Path.of(System.getProperty("braid.bench.go.dir",
        "../braid-interop/go-bench"));
    cfg.logDir = dir.resolve("logs");
    cfg.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return cfg;
  }

  @Test
  void jvmProcessesProduceVerifiedResultsAndEveryOutput() throws Exception {
    Matrix.Config cfg = config(SystemKind.RAW_NETTY);
    Results res = new Matrix(cfg).run();
    assertThat(res.runs).hasSize(3);
    for (CellResult r : res.runs) {
      assertThat(r.error).as(r.scenario.label()).isNull();
      assertThat(r.callsPerS).isPositive();
      assertThat(r.serverCpuUs).as("server stats over stdin").isPositive();
      assertThat(r.clientJitMs).as("client JIT time in the measured phase")
          .isGreaterThanOrEqualTo(0);
      assertThat(r.serverJitMs).as("server JIT time over stdin").isGreaterThanOrEqualTo(0);
      assertThat(r.settleSeconds).as("one settling chunk ran before the scenario's cell")
          .isGreaterThanOrEqualTo(Matrix.SETTLE_CHUNK_MILLIS / 1000.0);
    }
    List<Path> files = res.writeAll(dir.resolve("out/latest.json"));
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("latest.json", "latest-details.json", "latest.md", "latest.svg");
    Map<String, Object> json = Json.parseObject(Files.readString(files.get(0)));
    assertThat(json.keySet()).containsExactly("machine", "date", "runs");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> runs = (List<Map<String, Object>>) json.get("runs");
    assertThat(runs).hasSize(3);
    assertThat(runs.get(0).keySet()).containsExactly("system", "scenario", "payload_bytes",
        "inflight", "connections", "calls_per_s", "mib_per_s", "p50_us", "p99_us",
        "executor");
    assertThat(Files.readString(files.get(2))).contains("| raw-netty | event-loop |");
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(files.get(3).toFile());
    // re-rendering from the details file gives the same JSON
    Results back = Results.read(files.get(1));
    assertThat(Json.write(back.toJson())).isEqualTo(Json.write(res.toJson()));
  }

  @Test
  void aCorruptingServerProcessIsReportedAsAnError() throws Exception {
    Matrix.Config cfg = config(SystemKind.RAW_NETTY);
    cfg.scenarios = List.of(Scenario.UNARY);
    cfg.serverArgs = List.of("--corrupt-every", "20");
    Results res = new Matrix(cfg).run();
    assertThat(res.runs).singleElement().satisfies(r -> {
      assertThat(r.error).contains("differs");
      assertThat(r.toRun().get("calls_per_s")).isNull();
    });
  }

  @Test
  void goDrpcPeerRunsEveryScenarioAndCatchesCorruption() throws Exception {
    assumeTrue(!GoPeer.version().equals("not installed"), "no Go toolchain");
    Matrix.Config cfg = config(SystemKind.GO_DRPC);
    Results res = new Matrix(cfg).run();
    assertThat(res.runs).hasSize(3);
    for (CellResult r : res.runs) {
      assertThat(r.error).as(r.scenario.label()).isNull();
      assertThat(r.executor).isEqualTo("goroutines");
      assertThat(r.connections).isEqualTo(2);
      assertThat(r.bytes).isEqualTo(r.calls * r.payloadBytes);
      assertThat(r.clientAllocs).as("Go's MemStats").isGreaterThanOrEqualTo(0);
      assertThat(r.serverAllocs).as("Go's MemStats over stdin").isGreaterThanOrEqualTo(0);
    }
    Matrix.Config bad = config(SystemKind.GO_DRPC);
    bad.serverArgs = List.of("-corrupt-every", "20");
    for (CellResult r : new Matrix(bad).run().runs) {
      assertThat(r.error).as(r.scenario.label()).contains("differs");
    }
  }

  @Test
  void plansOnlySupportedCells() {
    Matrix.Config cfg = config(SystemKind.BRAID_MUX);
    cfg.systems = List.of(SystemKind.values());
    cfg.unaryPayloads = List.of(0, 1024, 65536);
    cfg.inflight = List.of(1, 16, 64, 256);
    var cells = new Matrix(cfg).plan();
    // braid x2 (direct: 12 unary; pool: 12 + 4 + 4), grpc (2 x 20), go 20, netty 20
    assertThat(cells).hasSize(2 * 32 + 40 + 20 + 20);
    assertThat(cells).noneMatch(c -> c.system().startsWith("braid")
        && c.executor().equals("direct") && c.scenario() != Scenario.UNARY);
    cfg.executors = List.of("direct");
    assertThat(new Matrix(cfg).plan()).allMatch(c -> !c.executor().equals("pool"))
        .anyMatch(c -> c.system().equals("go-drpc"));
  }
}
