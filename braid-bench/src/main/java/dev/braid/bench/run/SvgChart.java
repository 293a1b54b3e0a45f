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

/**
 * A self-contained SVG chart of a run: one row of panels per scenario and payload, with
 * throughput (linear) and p50 and p99 latency (logarithmic) against the calls in flight;
 * one line per system and executor (solid: direct or the system's only mode; dashed: pool).
 */
public final class SvgChart {
  private SvgChart() {}

  static final int PANEL_W = 330;
  static final int PANEL_H = 210;
  static final int LEFT = 62;
  static final int RIGHT = 12;
  static final int TOP = 26;
  static final int BOTTOM = 34;
  static final int LEGEND_H = 58;

  static final Map<String, String> COLORS = Map.of(
      "braid-mux", "#d62728",
      "braid-conn-per-stream", "#ff7f0e",
      "grpc-java", "#1f77b4",
      "go-drpc", "#2ca02c",
      "raw-netty", "#7f7f7f");

  public static String render(Results res) {
    Map<String, List<CellResult>> groups = new LinkedHashMap<>();
    Set<String> series = new LinkedHashSet<>();
    TreeSet<Integer> levels = new TreeSet<>();
    for (CellResult r : res.sorted()) {
      groups.computeIfAbsent(r.scenario.label() + " " + Units.bytes(r.payloadBytes),
          k -> new ArrayList<>()).add(r);
      series.add(r.system + "/" + r.executor);
      levels.add(r.inflight);
    }
    List<Integer> xs = new ArrayList<>(levels);
    int width = 3 * PANEL_W + 20;
    int height = LEGEND_H + Math.max(1, groups.size()) * PANEL_H + 10;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
        .append(' ').append(height).append("\" font-family=\"Helvetica, Arial, sans-serif\" "
            + "font-size=\"11\">\n");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(sb, 10, 18, "braid bench — " + esc(res.date) + " (loopback, server and client "
        + "pinned to one core each)", "start", 13, "bold");
    legend(sb, new ArrayList<>(series), 10, 30, width - 20);
    int row = 0;
    for (Map.Entry<String, List<CellResult>> g : groups.entrySet()) {
      int y0 = LEGEND_H + row * PANEL_H;
      boolean stream = g.getValue().get(0).scenario == Scenario.STREAM;
      panel(sb, 10, y0, g.getKey() + (stream ? " — MiB/s" : " — calls/s"), xs, g.getValue(),
          series, stream ? Metric.MIBS : Metric.CALLS);
      panel(sb, 10 + PANEL_W, y0, g.getKey() + " — p50 µs (log)", xs, g.getValue(), series,
          Metric.P50);
      panel(sb, 10 + 2 * PANEL_W, y0, g.getKey() + " — p99 µs (log)", xs, g.getValue(),
          series, Metric.P99);
      row++;
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  enum Metric {
    CALLS, MIBS, P50, P99;

    boolean log() {
      return this == P50 || this == P99;
    }

    double of(CellResult r) {
      return switch (this) {
        case CALLS -> r.callsPerS;
        case MIBS -> r.mibPerS;
        case P50 -> r.p50Us;
        case P99 -> r.p99Us;
      };
    }
  }

  private static void legend(StringBuilder sb, List<String> series, int x, int y, int w) {
    int col = 0;
    int colW = 235;
    int perRow = Math.max(1, w / colW);
    for (int i = 0; i < series.size(); i++) {
      String s = series.get(i);
      int cx = x + (i % perRow) * colW;
      int cy = y + (i / perRow) * 14;
      String sys = s.substring(0, s.indexOf('/'));
      sb.append("<line x1=\"").append(cx).append("\" y1=\"").append(cy + 5).append("\" x2=\"")
          .append(cx + 24).append("\" y2=\"").append(cy + 5).append("\" stroke=\"")
          .append(color(sys)).append("\" stroke-width=\"2.5\"").append(dash(s)).append("/>\n");
      text(sb, cx + 30, cy + 9, esc(s), "start", 11, "normal");
      col++;
    }
  }

  private static String color(String system) {
    return COLORS.getOrDefault(system, "#9467bd");
  }

  private static String dash(String series) {
    return series.endsWith("/pool") ? " stroke-dasharray=\"6,3\"" : "";
  }

  private static void panel(StringBuilder sb, int x0, int y0, String title, List<Integer> xs,
      List<CellResult> cells, Set<String> series, Metric metric) {
    int pw = PANEL_W - LEFT - RIGHT;
    int ph = PANEL_H - TOP - BOTTOM;
    int px = x0 + LEFT;
    int py = y0 + TOP;
    text(sb, x0 + PANEL_W / 2, y0 + 16, esc(title), "middle", 11, "bold");
    double lo = Double.MAX_VALUE;
    double hi = 0;
    int errors = 0;
    for (CellResult r : cells) {
      if (!r.ok()) {
        errors++;
        continue;
      }
      double v = metric.of(r);
      if (Double.isNaN(v) || v <= 0) {
        continue;
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    sb.append("<rect x=\"").append(px).append("\" y=\"").append(py).append("\" width=\"")
        .append(pw).append("\" height=\"").append(ph)
        .append("\" fill=\"none\" stroke=\"#bbb\"/>\n");
    if (hi == 0) {
      text(sb, px + pw / 2, py + ph / 2, "no data", "middle", 11, "normal");
      return;
    }
    double ymin;
    double ymax;
    List<Double> ticks = new ArrayList<>();
    if (metric.log()) {
      ymin = Math.pow(10, Math.floor(Math.log10(lo)));
      ymax = Math.pow(10, Math.ceil(Math.log10(hi)));
      if (ymax <= ymin) {
        ymax = ymin * 10;
      }
      for (double t = ymin; t <= ymax * 1.0001; t *= 10) {
        ticks.add(t);
      }
    } else {
      ymin = 0;
      double step = niceStep(hi / 4);
      ymax = Math.ceil(hi * 1.05 / step) * step;
      for (double t = 0; t <= ymax * 1.0001; t += step) {
        ticks.add(t);
      }
    }
    for (double t : ticks) {
      double y = yOf(t, ymin, ymax, metric.log(), py, ph);
      sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
          + "stroke=\"#eee\"/>\n", px, y, px + pw, y));
      text(sb, px - 4, (int) Math.round(y) + 4, axis(t, metric), "end", 10, "normal");
    }
    for (int i = 0; i < xs.size(); i++) {
      double x = xOf(i, xs.size(), px, pw);
      text(sb, (int) Math.round(x), py + ph + 14, String.valueOf(xs.get(i)), "middle", 10,
          "normal");
    }
    text(sb, px + pw / 2, py + ph + 28, "calls in flight" + (errors > 0 ? " (" + errors
        + " failed cell" + (errors > 1 ? "s" : "") + " not drawn)" : ""), "middle", 10,
        "normal");
    for (String s : series) {
      StringBuilder pts = new StringBuilder();
      List<double[]> dots = new ArrayList<>();
      for (int i = 0; i < xs.size(); i++) {
        CellResult r = null;
        for (CellResult c : cells) {
          if ((c.system + "/" + c.executor).equals(s) && c.inflight == xs.get(i) && c.ok()) {
            r = c;
          }
        }
        double v = r == null ? Double.NaN : metric.of(r);
        if (Double.isNaN(v) || v <= 0) {
          continue;
        }
        double x = xOf(i, xs.size(), px, pw);
        double y = yOf(v, ymin, ymax, metric.log(), py, ph);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        dots.add(new double[] {x, y});
      }
      if (dots.isEmpty()) {
        continue;
      }
      String sys = s.substring(0, s.indexOf('/'));
      sb.append("<polyline fill=\"none\" stroke=\"").append(color(sys))
          .append("\" stroke-width=\"2\"").append(dash(s)).append(" points=\"")
          .append(pts.toString().trim()).append("\"><title>").append(esc(s))
          .append("</title></polyline>\n");
      for (double[] d : dots) {
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
            + "fill=\"%s\"/>\n", d[0], d[1], color(sys)));
      }
    }
  }

  private static double xOf(int i, int n, int px, int pw) {
    return n == 1 ? px + pw / 2.0 : px + 14 + (pw - 28) * (double) i / (n - 1);
  }

  private static double yOf(double v, double min, double max, boolean log, int py, int ph) {
    double f = log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
        : (v - min) / (max - min);
    return py + ph - f * ph;
  }

  static double niceStep(double raw) {
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    double s = n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10;
    return s * mag;
  }

  private static String axis(double v, Metric m) {
    if (m.log()) {
      if (v >= 1_000_000) {
        return String.format(Locale.ROOT, "%.0f s", v / 1e6);
      }
      if (v >= 1000) {
        return String.format(Locale.ROOT, "%.0f ms", v / 1000);
      }
      return String.format(Locale.ROOT, "%.0f µs", v);
    }
    if (v >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%.0fk", v / 1000);
    }
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static void text(StringBuilder sb, int x, int y, String s, String anchor, int size,
      String weight) {
    sb.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"")
        .append(anchor).append("\" font-size=\"").append(size).append('"');
    if (!weight.equals("normal")) {
      sb.append(" font-weight=\"").append(weight).append('"');
    }
    sb.append('>').append(s).append("</text>\n");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
