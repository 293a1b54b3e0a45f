package dev.braid.bench.run;

import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.Json;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.systems.SystemKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole run: machine metadata, date and cell results; written as the JSON (runs
 * with exactly the keys), a details JSON (every figure, used to re-render), Markdown
 * and SVG.
 */
public final class Results {
  public final Map<String, Object> machine;
  public final String date;
  public final List<CellResult> runs;

  public Results(Map<String, Object> machine, String date, List<CellResult> runs) {
    this.machine = machine;
    this.date = date;
    this.runs = new ArrayList<>(runs);
  }

  /** The shape: {@code {"machine": {...}, "date": "...", "runs": [...]}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("machine", machine);
    m.put("date", date);
    List<Object> rs = new ArrayList<>();
    for (CellResult r : sorted()) {
      rs.add(r.toRun());
    }
    m.put("runs", rs);
    return m;
  }

  /** The same with every figure of every run. */
  public Map<String, Object> toDetailsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("machine", machine);
    m.put("date", date);
    List<Object> rs = new ArrayList<>();
    for (CellResult r : sorted()) {
      rs.add(r.toDetails());
    }
    m.put("runs", rs);
    return m;
  }

  @SuppressWarnings("unchecked")
  public static Results fromJson(Map<String, Object> m) {
    List<CellResult> rs = new ArrayList<>();
    for (Object o : (List<Object>) m.get("runs")) {
      rs.add(CellResult.fromMap((Map<String, Object>) o));
    }
    Object machine = m.get("machine");
    return new Results(machine instanceof Map ? (Map<String, Object>) machine
        : new LinkedHashMap<>(), String.valueOf(m.get("date")), rs);
  }

  public static Results read(Path file) throws IOException {
    return fromJson(Json.parseObject(Files.readString(file)));
  }

  /**
   * Writes {@code json} (the shape), and next to it {@code <base>-details.json},
   * {@code <base>.md} and {@code <base>.svg}. Returns the files written.
   */
  public List<Path> writeAll(Path json) throws IOException {
    Path dir = json.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    String base = json.getFileName().toString().replaceFirst("\\.json$", "");
    Path details = json.resolveSibling(base + "-details.json");
    Path md = json.resolveSibling(base + ".md");
    Path svg = json.resolveSibling(base + ".svg");
    Files.writeString(json, Json.prettyRows(toJson()));
    Files.writeString(details, Json.prettyRows(toDetailsJson()));
    Files.writeString(md, MarkdownReport.render(this, svg.getFileName().toString()));
    Files.writeString(svg, SvgChart.render(this));
    return List.of(json, details, md, svg);
  }

  /** Runs in a stable order: scenario, payload, system, executor, in flight. */
  public List<CellResult> sorted() {
    List<CellResult> l = new ArrayList<>(runs);
    l.sort(Comparator.<CellResult>comparingInt(r -> r.scenario.ordinal())
        .thenComparingInt(r -> r.payloadBytes)
        .thenComparingInt(r -> systemOrder(r.system))
        .thenComparing(r -> r.executor)
        .thenComparingInt(r -> r.inflight));
    return l;
  }

  static int systemOrder(String system) {
    for (SystemKind k : SystemKind.values()) {
      if (k.label().equals(system)) {
        return k.ordinal();
      }
    }
    return SystemKind.values().length;
  }

  /**
   * Several passes of the same matrix merged: per cell, the pass with the median calls/s
   * (every pass's figure kept in {@link CellResult#repeats}); a cell that failed or is missing
   * in any pass is reported failed. Machine metadata comes from the first pass, with the
   * passes' dates and load averages added.
   */
  public static Results median(List<Results> passes) {
    if (passes.size() == 1) {
      return passes.get(0);
    }
    Results first = passes.get(0);
    Map<String, Object> machine = new LinkedHashMap<>(first.machine);
    List<String> dates = new ArrayList<>();
    List<Object> loads = new ArrayList<>();
    for (Results p : passes) {
      dates.add(p.date);
      loads.add(p.machine.get("load_average_before") + " -> "
          + p.machine.get("load_average_after"));
    }
    machine.remove("load_average_before");
    machine.remove("load_average_after");
    machine.put("passes", passes.size() + " passes of the whole matrix, started " + String.join(
        ", ", dates) + "; per cell the pass with the median calls/s is reported and every "
        + "pass's calls/s is in the details (repeat_calls_per_s, in pass order); a cell that "
        + "failed in any pass is reported failed");
    machine.put("load_average_per_pass", loads);
    List<CellResult> merged = new ArrayList<>();
    for (CellResult r0 : first.runs) {
      List<CellResult> same = new ArrayList<>();
      String missing = null;
      for (int i = 0; i < passes.size(); i++) {
        CellResult hit = null;
        for (CellResult r : passes.get(i).runs) {
          if (r.samePoint(r0)) {
            hit = r;
            break;
          }
        }
        if (hit == null) {
          missing = "missing in pass " + (i + 1);
        } else if (!hit.ok()) {
          CellResult f = CellResult.fromMap(hit.toDetails());
          f.error = "pass " + (i + 1) + ": " + hit.error;
          hit = f;
        }
        if (hit != null) {
          same.add(hit);
        }
      }
      CellResult m = Matrix.median(same);
      if (missing != null && m.ok()) {
        m = CellResult.fromMap(m.toDetails()).fail(missing);
      }
      merged.add(m);
    }
    return new Results(machine, first.date, merged);
  }

  /** The result for one point, or null. */
  public CellResult find(String system, String executor, Scenario scenario, int payload,
      int inflight) {
    for (CellResult r : runs) {
      if (r.system.equals(system) && r.executor.equals(executor) && r.scenario == scenario
          && r.payloadBytes == payload && r.inflight == inflight) {
        return r;
      }
    }
    return null;
  }
}
