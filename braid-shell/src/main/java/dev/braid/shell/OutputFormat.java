package dev.braid.shell;

import dev.braid.query.Bytes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** How result rows are printed. */
public enum OutputFormat {
  /**
   * cqlsh-like: a blank line, the header (names left-justified, joined by {@code " | "}), a rule
   * ({@code -+-} between columns), the rows (values right-justified), a blank line and {@code (N
   * rows)}.
   */
  TABLE,
  /**
   * One JSON object per row per line, keys the selected column names in order; numbers as
   * numbers (NaN and infinities as strings), text as strings, blobs as {@code "0x.."}, uuids and
   * timestamps as strings (ISO-8601 UTC), booleans, {@code null} when absent.
   */
  JSON;

  private static final DateTimeFormatter CQLSH_TS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSZ").withZone(ZoneOffset.UTC);

  /** Renders a result (all pages) in this format. */
  String render(List<ShellBackend.Column> columns, List<List<Object>> rows) {
    return this == TABLE ? table(columns, rows) : json(columns, rows);
  }

  private static String table(List<ShellBackend.Column> columns, List<List<Object>> rows) {
    int n = columns.size();
    int[] width = new int[n];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      width[i] = displayWidth(columns.get(i).name());
    }
    for (List<Object> r : rows) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        c[i] = text(r.get(i));
        width[i] = Math.max(width[i], displayWidth(c[i]));
      }
      cells.add(c);
    }
    StringBuilder b = new StringBuilder("\n");
    StringJoiner header = new StringJoiner(" | ", " ", "");
    StringJoiner rule = new StringJoiner("-+-", "-", "-");
    for (int i = 0; i < n; i++) {
      header.add(pad(columns.get(i).name(), width[i], false));
      rule.add("-".repeat(width[i]));
    }
    b.append(header.toString().stripTrailing()).append('\n').append(rule).append('\n');
    for (String[] c : cells) {
      StringJoiner line = new StringJoiner(" | ", " ", "");
      for (int i = 0; i < n; i++) {
        line.add(pad(c[i], width[i], true));
      }
      b.append(line).append('\n');
    }
    b.append('\n').append('(').append(rows.size()).append(" rows)\n");
    return b.toString();
  }

  private static int displayWidth(String s) {
    return s.codePointCount(0, s.length());
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(Math.max(0, width - displayWidth(s)));
    return right ? fill + s : s + fill;
  }

  /** The table-format text of a value. */
  static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Bytes b) {
      return "0x" + b.toHex();
    }
    if (v instanceof Instant i) {
      return CQLSH_TS.format(i);
    }
    return v.toString();
  }

  private static String json(List<ShellBackend.Column> columns, List<List<Object>> rows) {
    StringBuilder b = new StringBuilder();
    for (List<Object> r : rows) {
      b.append('{');
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        quote(b, columns.get(i).name());
        b.append(": ");
        jsonValue(b, r.get(i));
      }
      b.append("}\n");
    }
    return b.toString();
  }

  private static void jsonValue(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
      b.append(v);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        quote(b, d.toString());
      } else {
        b.append(d);
      }
    } else if (v instanceof Bytes x) {
      quote(b, "0x" + x.toHex());
    } else if (v instanceof Instant i) {
      quote(b, i.toString());
    } else {
      quote(b, v.toString());
    }
  }

  /** Appends {@code s} as a JSON string. */
  static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
