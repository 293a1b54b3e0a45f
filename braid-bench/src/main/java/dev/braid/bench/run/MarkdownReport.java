package dev.braid.bench.run;

import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.harness.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Renders a run as Markdown: the targets with ratios, then the figures. */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(Results res, String svgName) {
    StringBuilder sb = new StringBuilder();
    sb.append("# braid bench results\n\n");
    sb.append("Run on ").append(res.date).append(". ");
    Object cmd = res.machine.get("command");
    if (cmd != null) {
      sb.append("Command: `").append(cmd).append("`.");
    }
    sb.append("\n\n");
    machine(sb, res.machine);
    if (svgName != null) {
      sb.append("![throughput and latency by calls in flight](").append(svgName)
          .append(")\n\n");
    }
    targets(sb, res);
    tables(sb, res);
    full(sb, res);
    return sb.toString();
  }

  private static void machine(StringBuilder sb, Map<String, Object> m) {
    List<String> keys = List.of("cpu", "cores", "memory", "os", "java", "go", "pinning",
        "jvm_options", "phases", "passes", "load_average_before", "load_average_after",
        "load_average_per_pass", "braid_commit", "noise");
    for (String k : keys) {
      Object v = m.get(k);
      if (v != null) {
        sb.append("- **").append(k.replace('_', ' ')).append("**: ").append(v).append('\n');
      }
    }
    sb.append('\n');
  }

  // ------------------------------------------------------------------ targets

  /** One comparison of issue 6. */
  record Target(String name, CellResult braid, CellResult base, boolean latency,
      double goal) {
    /** braid / baseline (throughput) or braid / baseline (p50), NaN if missing. */
    double ratio() {
      if (braid == null || base == null || !braid.ok() || !base.ok()) {
        return Double.NaN;
      }
      return latency ? braid.p50Us / base.p50Us : value(braid) / value(base);
    }

    String verdict() {
      double r = ratio();
      if (Double.isNaN(r)) {
        return "n/a";
      }
      boolean met = latency ? r <= goal : r >= goal;
      return met ? "met" : "**missed**";
    }

    static double value(CellResult r) {
      return r.scenario == Scenario.STREAM ? r.mibPerS : r.callsPerS;
    }
  }

  static List<Target> targets(Results res) {
    List<Target> t = new ArrayList<>();
    CellResult mux64 = res.find("braid-mux", "direct", Scenario.UNARY, 0, 64);
    t.add(new Target("unary 0 B, 64 in flight: braid-mux vs grpc-java (direct/direct)", mux64,
        res.find("grpc-java", "direct", Scenario.UNARY, 0, 64), false, 2.0));
    t.add(new Target("unary 0 B, 64 in flight: braid-mux vs grpc-java (pool/pool)",
        res.find("braid-mux", "pool", Scenario.UNARY, 0, 64),
        res.find("grpc-java", "pool", Scenario.UNARY, 0, 64), false, 2.0));
    t.add(new Target("unary 0 B, 64 in flight: braid-mux (direct) vs go-drpc", mux64,
        res.find("go-drpc", "goroutines", Scenario.UNARY, 0, 64), false, 1.0));
    t.add(new Target("unary 0 B, 64 in flight: braid-mux (direct) vs raw-netty", mux64,
        res.find("raw-netty", "event-loop", Scenario.UNARY, 0, 64), false, 0.8));
    t.add(new Target("unary 0 B, 1 in flight, p50: braid-mux vs grpc-java (direct/direct)",
        res.find("braid-mux", "direct", Scenario.UNARY, 0, 1),
        res.find("grpc-java", "direct", Scenario.UNARY, 0, 1), true, 0.6));
    t.add(new Target("unary 0 B, 1 in flight, p50: braid-mux vs grpc-java (pool/pool)",
        res.find("braid-mux", "pool", Scenario.UNARY, 0, 1),
        res.find("grpc-java", "pool", Scenario.UNARY, 0, 1), true, 0.6));
    Set<Integer> streamSizes = new TreeSet<>();
    Set<Integer> streamLevels = new TreeSet<>();
    for (CellResult r : res.runs) {
      if (r.scenario == Scenario.STREAM) {
        streamSizes.add(r.payloadBytes);
        streamLevels.add(r.inflight);
      }
    }
    for (int size : streamSizes) {
      for (int n : streamLevels) {
        t.add(new Target("server-stream " + Units.bytes(size) + ", " + n
            + " in flight, MiB/s: braid-mux vs grpc-java (pool/pool)",
            res.find("braid-mux", "pool", Scenario.STREAM, size, n),
            res.find("grpc-java", "pool", Scenario.STREAM, size, n), false, 1.5));
        t.add(new Target("server-stream " + Units.bytes(size) + ", " + n
            + " in flight, MiB/s: braid-mux (pool) vs grpc-java (direct)",
            res.find("braid-mux", "pool", Scenario.STREAM, size, n),
            res.find("grpc-java", "direct", Scenario.STREAM, size, n), false, 1.5));
      }
    }
    for (String ex : List.of("direct", "pool")) {
      for (int p : unaryPayloads(res)) {
        t.add(new Target("unary " + Units.bytes(p) + ", 64 in flight: braid-mux vs "
            + "braid-conn-per-stream (" + ex + ")",
            res.find("braid-mux", ex, Scenario.UNARY, p, 64),
            res.find("braid-conn-per-stream", ex, Scenario.UNARY, p, 64), false, 1.0));
      }
    }
    return t;
  }

  private static Set<Integer> unaryPayloads(Results res) {
    Set<Integer> s = new TreeSet<>();
    for (CellResult r : res.runs) {
      if (r.scenario == Scenario.UNARY) {
        s.add(r.payloadBytes);
      }
    }
    return s;
  }

  private static void targets(StringBuilder sb, Results res) {
    sb.append("## Targets of issue 6\n\n");
    sb.append("Ratios are braid over the baseline: throughput (calls/s; MiB/s for streams), "
        + "or p50 latency where marked. n/a: a cell is missing or failed.\n\n");
    sb.append("| comparison | braid | baseline | ratio | goal | verdict |\n");
    sb.append("|---|---:|---:|---:|---:|---|\n");
    for (Target t : targets(res)) {
      if (t.braid == null && t.base == null) {
        continue;
      }
      sb.append("| ").append(t.name).append(" | ").append(fig(t.braid, t.latency))
          .append(" | ").append(fig(t.base, t.latency)).append(" | ");
      double r = t.ratio();
      sb.append(Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r));
      sb.append(" | ").append(t.latency ? "≤ " : "≥ ")
          .append(String.format(Locale.ROOT, "%.1f×", t.goal)).append(" | ")
          .append(t.verdict()).append(" |\n");
    }
    sb.append('\n');
    // allocation comparison, mux vs conn-per-stream
    sb.append("Heap bytes allocated per call at 64 in flight (client + server JVMs, "
        + "measured phase; thread allocation counters):\n\n");
    sb.append("| payload | executor | braid-mux | braid-conn-per-stream |\n|---|---|---:|---:|\n");
    boolean any = false;
    for (String ex : List.of("direct", "pool")) {
      for (int p : unaryPayloads(res)) {
        CellResult a = res.find("braid-mux", ex, Scenario.UNARY, p, 64);
        CellResult b = res.find("braid-conn-per-stream", ex, Scenario.UNARY, p, 64);
        if (a == null && b == null) {
          continue;
        }
        any = true;
        sb.append("| ").append(Units.bytes(p)).append(" | ").append(ex).append(" | ")
            .append(alloc(a)).append(" | ").append(alloc(b)).append(" |\n");
      }
    }
    if (!any) {
      sb.append("| – | – | – | – |\n");
    }
    sb.append('\n');
  }

  private static String alloc(CellResult r) {
    if (r == null || !r.ok() || Double.isNaN(r.clientAllocBytes)
        || Double.isNaN(r.serverAllocBytes)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%,.0f B (%,.0f + %,.0f)",
        r.clientAllocBytes + r.serverAllocBytes, r.clientAllocBytes, r.serverAllocBytes);
  }

  private static String fig(CellResult r, boolean latency) {
    if (r == null) {
      return "missing";
    }
    if (!r.ok()) {
      return "error";
    }
    if (latency) {
      return Units.micros(r.p50Us) + " µs";
    }
    return r.scenario == Scenario.STREAM
        ? String.format(Locale.ROOT, "%,.1f MiB/s", r.mibPerS)
        : Units.rate(r.callsPerS) + "/s";
  }

  // ------------------------------------------------------------------- tables

  private static void tables(StringBuilder sb, Results res) {
    Map<String, List<CellResult>> groups = new LinkedHashMap<>();
    Set<Integer> levels = new TreeSet<>();
    for (CellResult r : res.sorted()) {
      groups.computeIfAbsent(r.scenario.label() + " " + Units.bytes(r.payloadBytes),
          k -> new ArrayList<>()).add(r);
      levels.add(r.inflight);
    }
    sb.append("## By scenario\n\n");
    sb.append("Per cell: calls/s (MiB/s for streams) · p50 · p99 in µs. A call is one "
        + "round trip (unary, bidi); for server-stream, one message received (its latency: "
        + "the time since the previous message of the same stream).\n\n");
    for (Map.Entry<String, List<CellResult>> g : groups.entrySet()) {
      sb.append("### ").append(g.getKey());
      CellResult first = g.getValue().get(0);
      if (first.scenario == Scenario.STREAM) {
        sb.append(" (").append(first.messagesPerCall).append(" messages per stream)");
      }
      sb.append("\n\n| system | executor |");
      for (int n : levels) {
        sb.append(" ").append(n).append(" in flight |");
      }
      sb.append("\n|---|---|");
      sb.append("---:|".repeat(levels.size()));
      sb.append('\n');
      Set<String> rows = new LinkedHashSet<>();
      for (CellResult r : g.getValue()) {
        rows.add(r.system + "\u0000" + r.executor);
      }
      for (String row : rows) {
        String[] se = row.split("\u0000");
        sb.append("| ").append(se[0]).append(" | ").append(se[1]).append(" |");
        for (int n : levels) {
          CellResult r = null;
          for (CellResult c : g.getValue()) {
            if (c.system.equals(se[0]) && c.executor.equals(se[1]) && c.inflight == n) {
              r = c;
            }
          }
          sb.append(' ').append(cell(r)).append(" |");
        }
        sb.append('\n');
      }
      sb.append('\n');
    }
  }

  private static String cell(CellResult r) {
    if (r == null) {
      return "–";
    }
    if (!r.ok()) {
      return "**error**";
    }
    String tp = r.scenario == Scenario.STREAM
        ? String.format(Locale.ROOT, "%,.0f MiB/s", r.mibPerS) : Units.rate(r.callsPerS);
    return tp + " · " + Units.micros(r.p50Us) + " · " + Units.micros(r.p99Us);
  }

  private static void full(StringBuilder sb, Results res) {
    sb.append("## Every run\n\n");
    sb.append("CPU and heap per call are process totals over the measured phase divided "
        + "by the calls (client and server pinned to one core each); allocs/call only for "
        + "Go (runtime.MemStats).\n\n");
    sb.append("| system | executor | scenario | payload | in flight | conns | calls/s | "
        + "MiB/s | p50 µs | p90 µs | p99 µs | p99.9 µs | client CPU µs/call | "
        + "server CPU µs/call | client B/call | server B/call | allocs/call c+s | load | "
        + "result |\n");
    sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        + "|---:|---:|---|\n");
    for (CellResult r : res.sorted()) {
      sb.append("| ").append(r.system).append(" | ").append(r.executor).append(" | ")
          .append(r.scenario.label()).append(" | ").append(Units.bytes(r.payloadBytes))
          .append(" | ").append(r.inflight).append(" | ").append(r.connections).append(" | ");
      if (r.ok()) {
        sb.append(Units.rate(r.callsPerS)).append(" | ")
            .append(String.format(Locale.ROOT, "%,.1f", r.mibPerS)).append(" | ")
            .append(Units.micros(r.p50Us)).append(" | ").append(Units.micros(r.p90Us))
            .append(" | ").append(Units.micros(r.p99Us)).append(" | ")
            .append(Units.micros(r.p999Us)).append(" | ")
            .append(opt(r.clientCpuUs, "%.1f")).append(" | ")
            .append(opt(r.serverCpuUs, "%.1f")).append(" | ")
            .append(opt(r.clientAllocBytes, "%,.0f")).append(" | ")
            .append(opt(r.serverAllocBytes, "%,.0f")).append(" | ")
            .append(allocs(r)).append(" | ")
            .append(opt(r.loadAvg, "%.2f")).append(" | ok").append(repeats(r)).append(" |\n");
      } else {
        sb.append("– | – | – | – | – | – | – | – | – | – | – | ")
            .append(opt(r.loadAvg, "%.2f")).append(" | **error**: ")
            .append(r.error.replace('|', '/').replace('\n', ' ')).append(" |\n");
      }
    }
    sb.append('\n');
  }

  private static String repeats(CellResult r) {
    if (r.repeats.size() < 2) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (median of ");
    for (int i = 0; i < r.repeats.size(); i++) {
      sb.append(i == 0 ? "" : " / ").append(Units.rate(r.repeats.get(i)));
    }
    return sb.append(" calls/s)").toString();
  }

  private static String allocs(CellResult r) {
    if (Double.isNaN(r.clientAllocs) && Double.isNaN(r.serverAllocs)) {
      return "–";
    }
    return opt(r.clientAllocs, "%.1f") + " + " + opt(r.serverAllocs, "%.1f");
  }

  private static String opt(double v, String fmt) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, fmt, v);
  }
}
