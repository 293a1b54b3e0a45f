package dev.braid.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsEveryType() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"quoted\" \\ line\nnext\ttab \u0001 µs");
    m.put("i", 42);
    m.put("l", 1L << 40);
    m.put("d", 1.25);
    m.put("whole", 3.0);
    m.put("t", true);
    m.put("n", null);
    m.put("nan", Double.NaN);
    m.put("list", List.of(1, "x", List.of()));
    m.put("obj", Map.of());
    for (String text : List.of(Json.write(m), Json.pretty(m), Json.prettyRows(m))) {
      Map<String, Object> back = Json.parseObject(text);
      assertThat(back.keySet()).containsExactlyElementsOf(m.keySet());
      assertThat(back.get("s")).isEqualTo(m.get("s"));
      assertThat(back.get("i")).isEqualTo(42L);
      assertThat(back.get("l")).isEqualTo(1L << 40);
      assertThat(back.get("d")).isEqualTo(1.25);
      assertThat(back.get("whole")).isEqualTo(3L);
      assertThat(back.get("t")).isEqualTo(true);
      assertThat(back.get("n")).isNull();
      assertThat(back.get("nan")).isNull();
      assertThat(back.get("list")).isEqualTo(List.of(1L, "x", List.of()));
    }
  }

  @Test
  void writesControlCharactersEscaped() {
    assertThat(Json.write("\u0001\n")).isEqualTo("\"\\u0001\\n\"");
  }

  @Test
  void rejectsMalformedInput() {
    for (String bad : List.of("{", "{\"a\"}", "[1,]", "\"open", "nul", "{} x", "01x")) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void runEntriesHaveExactlyTheIssuesKeys() {
    CellResult r = CellResult.of(new Cell("braid-mux", "direct", Scenario.UNARY, 0, 64, 1,
        1, 1));
    r.connections = 1;
    r.callsPerS = 123456.789;
    r.mibPerS = 0;
    r.p50Us = 512.34;
    r.p99Us = 2048;
    Map<String, Object> run = Json.parseObject(Json.write(r.toRun()));
    assertThat(run.keySet()).containsExactly("system", "scenario", "payload_bytes",
        "inflight", "connections", "calls_per_s", "mib_per_s", "p50_us", "p99_us",
        "executor");
    assertThat(run.get("calls_per_s")).isEqualTo(123456.8);
    assertThat(run.get("p50_us")).isEqualTo(512.3);
    assertThat(run.get("scenario")).isEqualTo("unary");

    r.fail("unary: echo differs");
    Map<String, Object> failed = Json.parseObject(Json.write(r.toRun()));
    assertThat(failed.get("calls_per_s")).isNull();
    assertThat(failed.get("mib_per_s")).isNull();
    assertThat(failed.get("p50_us")).isNull();
    assertThat(failed.get("p99_us")).isNull();
    assertThat(failed.get("error")).isEqualTo("unary: echo differs");
  }

  @Test
  void detailsRoundTrip() {
    CellResult r = CellResult.of(new Cell("go-drpc", "goroutines", Scenario.STREAM, 1 << 20,
        16, 16, 1, 1));
    r.connections = 16;
    r.calls = 1000;
    r.callsPerS = 200;
    r.mibPerS = 200;
    r.p50Us = 1;
    r.p90Us = 2;
    r.p99Us = 3;
    r.p999Us = 4;
    r.maxUs = 5;
    r.clientAllocs = 7.5;
    CellResult back = CellResult.fromMap(Json.parseObject(Json.write(r.toDetails())));
    assertThat(back.toDetails()).isEqualTo(r.toDetails());
    assertThat(back.messagesPerCall).isEqualTo(16);
    assertThat(back.serverAllocs).isNaN();
  }
}
