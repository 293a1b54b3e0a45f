package dev.braid.protobuf.tools;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader and a type check of the result against a message type, run before
 * protobuf's lenient JSON parser sees the text. It rejects what that parser lets through:
 * trailing content after the value, comments, single quotes, unquoted names, {@code NaN}
 * literals, a number or an array where a string belongs, a string where a boolean belongs,
 * and (unless allowed) unknown fields. Messages name the field path and its expected type and
 * carry no library class names.
 *
 * <p>Bounds: nesting deeper than {@value #MAX_DEPTH} levels is rejected before recursion
 * could exhaust the stack. Not thread-safe; one instance per text.
 */
final class StrictJson {
  /** Deepest nesting of arrays and objects accepted. */
  static final int MAX_DEPTH = 100;

  /** A number as written, checked for JSON syntax only. */
  record Num(String text) {}

  /** JSON {@code null}. */
  enum Null { NULL }

  private final String in;
  private int pos;
  private int depth;

  private StrictJson(String in) {
    this.in = in;
  }

  /**
   * Parses one JSON value that must make up the whole text (surrounding whitespace allowed).
   * Objects become {@link LinkedHashMap}s, arrays {@link List}s, numbers {@link Num}.
   *
   * @throws IllegalArgumentException naming the line and column of the first error
   */
  static Object parse(String text) {
    StrictJson p = new StrictJson(text);
    p.ws();
    if (p.pos >= text.length()) {
      throw p.error("expected a JSON value but the input is empty");
    }
    Object v = p.value();
    p.ws();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describeHere() + " after the JSON value (one value per"
          + " request)");
    }
    return v;
  }

  /**
   * Checks that {@code json} (from {@link #parse}) fits {@code type}: every field known
   * (unless {@code allowUnknown}), every value of the JSON kind its field type takes.
   * Well-known types ({@code google.protobuf.*}) are left to protobuf's parser.
   *
   * @throws IllegalArgumentException naming the field path and its expected type
   */
  static void check(Object json, Descriptor type, boolean allowUnknown) {
    if (!(json instanceof Map)) {
      throw new IllegalArgumentException("the request must be a JSON object ({...}) for "
          + type.getFullName() + ", not " + kind(json));
    }
    checkMessage(json, type, "", allowUnknown);
  }

  private static void checkMessage(Object json, Descriptor type, String path,
      boolean allowUnknown) {
    if (type.getFullName().startsWith("google.protobuf.")) {
      return; // Timestamp, Duration, wrappers, Struct, Any...: their own JSON forms
    }
    if (!(json instanceof Map<?, ?> obj)) {
      throw new IllegalArgumentException("field " + quote(path) + " is a message "
          + type.getFullName() + " (a JSON object), not " + kind(json));
    }
    for (Map.Entry<?, ?> e : obj.entrySet()) {
      String name = (String) e.getKey();
      FieldDescriptor f = field(type, name);
      String p = path.isEmpty() ? name : path + "." + name;
      if (f == null) {
        if (allowUnknown) {
          continue;
        }
        List<String> names = new ArrayList<>();
        for (FieldDescriptor k : type.getFields()) {
          names.add(k.getJsonName());
        }
        throw new IllegalArgumentException("unknown field " + quote(p) + " in "
            + type.getFullName() + " (its fields: "
            + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
      }
      Object v = e.getValue();
      if (v == Null.NULL) {
        continue; // null: the field's default
      }
      if (f.isMapField()) {
        if (!(v instanceof Map<?, ?> m)) {
          throw new IllegalArgumentException("field " + quote(p) + " is a " + typeName(f)
              + " (a JSON object), not " + kind(v));
        }
        FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
        for (Map.Entry<?, ?> me : m.entrySet()) {
          checkValue(me.getValue(), valueField, p + "[" + quoteKey((String) me.getKey()) + "]",
              allowUnknown);
        }
      } else if (f.isRepeated()) {
        if (!(v instanceof List<?> l)) {
          throw new IllegalArgumentException("field " + quote(p) + " is a " + typeName(f)
              + " (a JSON array), not " + kind(v));
        }
        for (int i = 0; i < l.size(); i++) {
          checkValue(l.get(i), f, p + "[" + i + "]", allowUnknown);
        }
      } else {
        checkValue(v, f, p, allowUnknown);
      }
    }
  }

  private static FieldDescriptor field(Descriptor type, String jsonKey) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(jsonKey) || f.getName().equals(jsonKey)) {
        return f;
      }
    }
    return null;
  }

  /** One value (a list element or map value counts as one) of field {@code f}. */
  private static void checkValue(Object v, FieldDescriptor f, String path,
      boolean allowUnknown) {
    boolean ok;
    String want;
    switch (f.getJavaType()) {
      case STRING -> {
        ok = v instanceof String;
        want = "a JSON string";
      }
      case BYTE_STRING -> {
        ok = v instanceof String;
        want = "a base64 JSON string";
      }
      case BOOLEAN -> {
        ok = v instanceof Boolean;
        want = "true or false";
      }
      case INT, LONG -> {
        ok = v instanceof Num || v instanceof String;
        want = "an integer (a JSON number or a string of digits)";
      }
      case FLOAT, DOUBLE -> {
        ok = v instanceof Num || v instanceof String;
        want = "a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
      }
      case ENUM -> {
        ok = v instanceof String || v instanceof Num
            || (v == Null.NULL && f.getEnumType().getFullName().equals(
                "google.protobuf.NullValue"));
        want = "an enum value name (a JSON string) or number";
      }
      case MESSAGE -> {
        if (f.getMessageType().getFullName().startsWith("google.protobuf.")) {
          return;
        }
        ok = v instanceof Map;
        want = "a JSON object";
        if (ok) {
          checkMessage(v, f.getMessageType(), path, allowUnknown);
        }
      }
      default -> throw new AssertionError(f.getJavaType());
    }
    if (!ok) {
      throw new IllegalArgumentException("field " + quote(path) + " is " + article(f) + " "
          + scalarName(f) + ": expected " + want + ", got " + kind(v));
    }
  }

  private static String article(FieldDescriptor f) {
    String n = scalarName(f);
    return "aeiou".indexOf(n.charAt(0)) >= 0 ? "an" : "a";
  }

  /** {@code string}, {@code int32}, {@code enum pkg.E}, {@code message pkg.M}. */
  private static String scalarName(FieldDescriptor f) {
    return switch (f.getType()) {
      case ENUM -> "enum " + f.getEnumType().getFullName();
      case MESSAGE, GROUP -> "message " + f.getMessageType().getFullName();
      default -> f.getType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String typeName(FieldDescriptor f) {
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      return "map<" + scalarName(entry.findFieldByName("key")) + ", "
          + scalarName(entry.findFieldByName("value")) + ">";
    }
    return (f.isRepeated() ? "repeated " : "") + scalarName(f);
  }

  private static String quote(String path) {
    return "'" + path + "'";
  }

  private static String quoteKey(String key) {
    return "\"" + key + "\"";
  }

  /** E.g. {@code the number 5}, {@code an array}, {@code the string "a"}. */
  static String kind(Object v) {
    if (v instanceof String s) {
      return "the string " + shorten("\"" + s + "\"");
    }
    if (v instanceof Num n) {
      return "the number " + shorten(n.text());
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof Map) {
      return "an object";
    }
    return "null";
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  // ---- the reader ----

  private Object value() {
    if (pos >= in.length()) {
      throw error("expected a JSON value but the input ended");
    }
    char c = in.charAt(pos);
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
        return literal("null", Null.NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("expected a JSON value, got " + describeHere()
            + (c == '\'' ? " (JSON strings use double quotes)" : ""));
    }
  }

  private Map<String, Object> object() {
    enter();
    pos++; // {
    Map<String, Object> m = new LinkedHashMap<>();
    ws();
    if (eat('}')) {
      depth--;
      return m;
    }
    while (true) {
      ws();
      if (pos >= in.length() || in.charAt(pos) != '"') {
        throw error("expected a field name in double quotes, got " + describeHere());
      }
      int at = pos;
      String key = string();
      if (m.containsKey(key)) {
        pos = at;
        throw error("field \"" + key + "\" appears twice");
      }
      ws();
      if (!eat(':')) {
        throw error("expected ':' after \"" + key + "\", got " + describeHere());
      }
      ws();
      m.put(key, value());
      ws();
      if (eat('}')) {
        depth--;
        return m;
      }
      if (!eat(',')) {
        throw error("expected ',' or '}' in the object, got " + describeHere());
      }
    }
  }

  private List<Object> array() {
    enter();
    pos++; // [
    List<Object> l = new ArrayList<>();
    ws();
    if (eat(']')) {
      depth--;
      return l;
    }
    while (true) {
      ws();
      l.add(value());
      ws();
      if (eat(']')) {
        depth--;
        return l;
      }
      if (!eat(',')) {
        throw error("expected ',' or ']' in the array, got " + describeHere());
      }
    }
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private String string() {
    int start = pos;
    pos++; // "
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= in.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char c = in.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("control character U+" + String.format("%04X", (int) c)
            + " in a string (write it as an escape such as \\n)");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (pos >= in.length()) {
        pos = start;
        throw error("unterminated string");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > in.length()
              || !in.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
            pos -= 2;
            throw error("bad \\u escape (needs four hex digits)");
          }
          b.append((char) Integer.parseInt(in.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> {
          pos -= 2;
          throw error("bad escape \\" + e);
        }
      }
    }
  }

  private Num number() {
    int start = pos;
    eat('-');
    if (eat('0')) {
      // no leading zeros
    } else if (pos < in.length() && in.charAt(pos) >= '1' && in.charAt(pos) <= '9') {
      digits();
    } else {
      throw error("bad number: expected a digit");
    }
    if (eat('.')) {
      if (digits() == 0) {
        throw error("bad number: expected a digit after '.'");
      }
    }
    if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
      pos++;
      if (!eat('+')) {
        eat('-');
      }
      if (digits() == 0) {
        throw error("bad number: expected a digit in the exponent");
      }
    }
    if (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '.')) {
      throw error("bad number " + describeHere());
    }
    return new Num(in.substring(start, pos));
  }

  private int digits() {
    int s = pos;
    while (pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9') {
      pos++;
    }
    return pos - s;
  }

  private Object literal(String word, Object value) {
    if (in.startsWith(word, pos)) {
      int end = pos + word.length();
      if (end >= in.length() || !Character.isLetterOrDigit(in.charAt(end))) {
        pos = end;
        return value;
      }
    }
    throw error("expected a JSON value, got " + describeHere());
  }

  private void ws() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private boolean eat(char c) {
    if (pos < in.length() && in.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  /** The word or character at the current position, for messages. */
  private String describeHere() {
    if (pos >= in.length()) {
      return "the end of the input";
    }
    int end = pos;
    while (end < in.length() && end - pos < 20 && Character.isLetterOrDigit(in.charAt(end))) {
      end++;
    }
    if (end == pos) {
      end = pos + Character.charCount(in.codePointAt(pos));
    }
    return "'" + in.substring(pos, end) + "'";
  }

  /** An error at the current position: line and column (code points, from 1). */
  private IllegalArgumentException error(String reason) {
    int line = 1;
    int lineStart = 0;
    int at = Math.min(pos, in.length());
    for (int i = 0; i < at; i++) {
      if (in.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int column = in.codePointCount(lineStart, at) + 1;
    return new IllegalArgumentException("invalid JSON at line " + line + ", column " + column
        + ": " + reason);
  }
}
