package dev.braid.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the harness needs, without a dependency: a writer for maps, lists,
 * strings, numbers, booleans and null (insertion order kept, so output is stable), and a
 * strict parser producing the same types ({@link LinkedHashMap}, {@link ArrayList},
 * {@link String}, {@link Double} or {@link Long}, {@link Boolean}, {@code null}).
 */
public final class Json {
  private Json() {}

  /** Compact JSON for {@code value}. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1, 0);
    return sb.toString();
  }

  /** Indented JSON for {@code value}: objects one key per line, arrays one item per line. */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 2, 0);
    return sb.append('\n').toString();
  }

  /**
   * Like {@link #pretty} but any object whose values are all scalars goes on one line: a
   * results file then reads as one run per line.
   */
  public static String prettyRows(Object value) {
    StringBuilder sb = new StringBuilder();
    writeRows(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void writeRows(StringBuilder sb, Object v, int depth) {
    if (v instanceof Map<?, ?> m && !allScalar(m.values())) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "\n" : ",\n");
        first = false;
        indent(sb, depth + 1, 2);
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        writeRows(sb, e.getValue(), depth + 1);
      }
      sb.append('\n');
      indent(sb, depth, 2);
      sb.append('}');
    } else if (v instanceof List<?> l && !l.isEmpty() && !allScalar(l)) {
      sb.append('[');
      boolean first = true;
      for (Object o : l) {
        sb.append(first ? "\n" : ",\n");
        first = false;
        indent(sb, depth + 1, 2);
        writeRows(sb, o, depth + 1);
      }
      sb.append('\n');
      indent(sb, depth, 2);
      sb.append(']');
    } else {
      write(sb, v, -1, 0);
    }
  }

  private static boolean allScalar(java.util.Collection<?> values) {
    for (Object o : values) {
      if (o instanceof Map || o instanceof List) {
        return false;
      }
    }
    return true;
  }

  private static void indent(StringBuilder sb, int depth, int step) {
    sb.append(" ".repeat(depth * step));
  }

  private static void write(StringBuilder sb, Object v, int step, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d);
      } else {
        sb.append(d);
      }
    } else if (v instanceof Number n) {
      sb.append(n.longValue());
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (step > 0) {
          sb.append('\n');
          indent(sb, depth + 1, step);
        }
        string(sb, String.valueOf(e.getKey()));
        sb.append(step > 0 ? ": " : ":");
        write(sb, e.getValue(), step, depth + 1);
      }
      if (step > 0 && !m.isEmpty()) {
        sb.append('\n');
        indent(sb, depth, step);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      boolean first = true;
      for (Object o : l) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (step > 0) {
          sb.append('\n');
          indent(sb, depth + 1, step);
        }
        write(sb, o, step, depth + 1);
      }
      if (step > 0 && !l.isEmpty()) {
        sb.append('\n');
        indent(sb, depth, step);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Parses one JSON value; trailing non-space text is an error. */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    Object v = p.value();
    p.space();
    if (p.pos != text.length()) {
      throw p.error("trailing text");
    }
    return v;
  }

  /** {@link #parse} expecting an object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    return (Map<String, Object>) v;
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
    }

    void space() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    Object value() {
      space();
      if (pos >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      space();
      if (pos < s.length() && s.charAt(pos) == '}') {
        pos++;
        return m;
      }
      while (true) {
        space();
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw error("expected a key");
        }
        String k = string();
        space();
        expect(':');
        m.put(k, value());
        space();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect('}');
        return m;
      }
    }

    List<Object> array() {
      List<Object> l = new ArrayList<>();
      pos++;
      space();
      if (pos < s.length() && s.charAt(pos) == ']') {
        pos++;
        return l;
      }
      while (true) {
        l.add(value());
        space();
        if (pos < s.length() && s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    void expect(char c) {
      if (pos >= s.length() || s.charAt(pos) != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("short \\u escape");
            }
            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw error("bad escape \\" + e);
        }
      }
    }

    Object number() {
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
      String n = s.substring(start, pos);
      if (n.isEmpty()) {
        throw error("unexpected character '" + s.charAt(start) + "'");
      }
      try {
        if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
          return Long.parseLong(n);
        }
        return Double.parseDouble(n);
      } catch (NumberFormatException e) {
        throw error("bad number " + n);
      }
    }
  }
}
