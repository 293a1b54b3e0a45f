package dev.braid.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.Scenario;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportTest {
  static CellResult r(String sys, String ex, Scenario sc, int payload, int n, double calls,
      double p50) {
    CellResult r = CellResult.of(new Cell(sys, ex, sc, payload, n, 16, 1, 1));
    r.connections = 1;
    r.callsPerS = calls;
    r.mibPerS = calls * payload / 1048576.0;
    r.p50Us = p50;
    r.p90Us = p50 * 2;
    r.p99Us = p50 * 4;
    r.p999Us = p50 * 8;
    r.calls = (long) calls;
    return r;
  }

  static Results sample() {
    List<CellResult> l = new ArrayList<>();
    l.add(r("braid-mux", "direct", Scenario.UNARY, 0, 64, 100_000, 500));
    l.add(r("braid-mux", "direct", Scenario.UNARY, 0, 1, 5_000, 90));
    l.add(r("grpc-java", "direct", Scenario.UNARY, 0, 64, 40_000, 900));
    l.add(r("grpc-java", "direct", Scenario.UNARY, 0, 1, 3_000, 180));
    l.add(r("go-drpc", "goroutines", Scenario.UNARY, 0, 64, 120_000, 400));
    l.add(r("raw-netty", "event-loop", Scenario.UNARY, 0, 64, 150_000, 300));
    l.add(r("braid-conn-per-stream", "direct", Scenario.UNARY, 0, 64, 90_000, 600)
        .fail("unary: echo differs from the request"));
    l.add(r("braid-mux", "pool", Scenario.STREAM, 1 << 20, 16, 900, 1000));
    l.add(r("grpc-java", "pool", Scenario.STREAM, 1 << 20, 16, 500, 2000));
    return new Results(new LinkedHashMap<>(java.util.Map.of("cpu", "test")), "2026-01-01",
        l);
  }

  @Test
  void targetsAreRatiosAgainstTheIssuesGoals() {
    List<MarkdownReport.Target> t = MarkdownReport.targets(sample());
    MarkdownReport.Target vsGrpc = t.get(0);
    assertThat(vsGrpc.ratio()).isEqualTo(2.5);
    assertThat(vsGrpc.verdict()).isEqualTo("met");
    MarkdownReport.Target vsGo = t.stream().filter(x -> x.name().contains("go-drpc"))
        .findFirst().orElseThrow();
    assertThat(vsGo.ratio()).isCloseTo(0.833, org.assertj.core.data.Offset.offset(0.001));
    assertThat(vsGo.verdict()).isEqualTo("**missed**");
    MarkdownReport.Target p50 = t.stream().filter(x -> x.latency() && x.name()
        .contains("direct")).findFirst().orElseThrow();
    assertThat(p50.ratio()).isEqualTo(0.5);
    assertThat(p50.verdict()).isEqualTo("met");
    MarkdownReport.Target stream = t.stream().filter(x -> x.name().contains("server-stream")
        && x.name().contains("pool/pool")).findFirst().orElseThrow();
    assertThat(stream.ratio()).isEqualTo(1.8);
    MarkdownReport.Target mux = t.stream().filter(x -> x.name().contains("conn-per-stream")
        && x.name().contains("(direct)")).findFirst().orElseThrow();
    assertThat(mux.verdict()).as("a failed baseline gives no ratio").isEqualTo("n/a");
  }

  @Test
  void markdownShowsErrorsAsErrors() {
    String md = MarkdownReport.render(sample(), "x.svg");
    assertThat(md).contains("| braid-conn-per-stream | direct | unary | 0 B | 64 |")
        .contains("**error**: unary: echo differs from the request")
        .contains("| 2.50× | ≥ 2.0× | met |")
        .contains("![throughput and latency by calls in flight](x.svg)");
    assertThat(md).doesNotContain("90,000");
  }

  @Test
  void svgIsWellFormedWithALinePerSeries() throws Exception {
    String svg = SvgChart.render(sample());
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
        new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(d.getDocumentElement().getTagName()).isEqualTo("svg");
    // unary 0 B: 4 series with data x 3 panels; server-stream: 2 series x 3 panels
    assertThat(d.getElementsByTagName("polyline").getLength()).isEqualTo(4 * 3 + 2 * 3);
    assertThat(svg).contains("1 failed cell not drawn");
  }

  @Test
  void repeatsKeepTheMedianAndFailIfAnyFailed() {
    CellResult a = r("grpc-java", "pool", Scenario.UNARY, 0, 64, 300, 10);
    CellResult b = r("grpc-java", "pool", Scenario.UNARY, 0, 64, 100, 30);
    CellResult c = r("grpc-java", "pool", Scenario.UNARY, 0, 64, 200, 20);
    CellResult m = Matrix.median(List.of(a, b, c));
    assertThat(m.callsPerS).isEqualTo(200);
    assertThat(m.repeats).containsExactly(300.0, 100.0, 200.0);
    assertThat(CellResult.fromMap(m.toDetails()).repeats).containsExactly(300.0, 100.0, 200.0);
    assertThat(MarkdownReport.render(new Results(new LinkedHashMap<>(), "d", List.of(m)), null))
        .contains("(median of 300 / 100 / 200 calls/s)");
    CellResult bad = r("grpc-java", "pool", Scenario.UNARY, 0, 64, 500, 10).fail("boom");
    assertThat(Matrix.median(List.of(a, bad, c)).error).isEqualTo("boom");
  }

  @Test
  void passesMergeToTheMedianPassPerCell() {
    Results p1 = sample();
    Results p2 = sample();
    Results p3 = sample();
    p1.machine.put("load_average_before", 1.0);
    p2.runs.get(0).callsPerS = 50_000;
    p3.runs.get(0).callsPerS = 200_000;
    p3.runs.get(1).fail("unary: echo differs from the request");
    Results m = Results.median(List.of(p1, p2, p3));
    assertThat(m.runs).hasSize(p1.runs.size());
    CellResult first = m.runs.get(0);
    assertThat(first.callsPerS).isEqualTo(100_000);
    assertThat(first.repeats).containsExactly(100_000.0, 50_000.0, 200_000.0);
    assertThat(m.runs.get(1).error).isEqualTo("pass 3: unary: echo differs from the request");
    assertThat(m.runs.get(6).error).startsWith("pass 1: ");
    assertThat((String) m.machine.get("passes")).startsWith("3 passes");
    assertThat(Results.median(List.of(p1))).isSameAs(p1);
  }

  @Test
  void niceSteps() {
    assertThat(SvgChart.niceStep(23_000)).isEqualTo(25_000);
    assertThat(SvgChart.niceStep(0.7)).isEqualTo(1);
    assertThat(SvgChart.niceStep(130)).isEqualTo(200);
  }
}
