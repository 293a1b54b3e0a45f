package dev.braid.cql;

/**
 * A statement that cannot be parsed, bound or executed. When the problem is in the statement
 * text, the message names it, gives the 1-based line (for multi-line input) and column (counted
 * in Unicode code points) and shows the offending line with a caret under the token, like
 * {@code braid ranges} does:
 *
 * <pre>
 * Undefined column name x in table ks.t at column 22
 *   SELECT * FROM t WHERE x = 1
 *                         ^
 * </pre>
 */
public final class CqlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem this is; the shell prints it before the message. */
  public enum Kind {
    /** The text is not valid in the subset. */
    SYNTAX("SyntaxException"),
    /** The statement is well formed but invalid against the schema or the CQL rules. */
    INVALID("InvalidRequest");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The cqlsh-like label, e.g. {@code SyntaxException}. */
    public String label() {
      return label;
    }
  }

  private final Kind kind;
  private final String reason;
  private final String input;
  private final int index;

  /**
   * @param kind   syntax or invalid request
   * @param reason what is wrong
   * @param input  the statement text, or null when the problem has no position
   * @param index  0-based char index of the offending token in {@code input} ({@code
   *               input.length()} for "end of input"); ignored when {@code input} is null
   */
  public CqlException(Kind kind, String reason, String input, int index) {
    super(render(reason, input, index));
    this.kind = kind;
    this.reason = reason;
    this.input = input;
    this.index = input == null ? -1 : Math.max(0, Math.min(index, input.length()));
  }

  /** An invalid-request error without a position. */
  public static CqlException invalid(String reason) {
    return new CqlException(Kind.INVALID, reason, null, -1);
  }

  /** The kind of problem. */
  public Kind kind() {
    return kind;
  }

  /** The problem, without position or input. */
  public String reason() {
    return reason;
  }

  /** The statement text, or null. */
  public String input() {
    return input;
  }

  /** 0-based char index of the offending token, or -1. */
  public int index() {
    return index;
  }

  /** 1-based line of the offending token, or -1. */
  public int line() {
    if (input == null) {
      return -1;
    }
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (input.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  /** 1-based column of the offending token in its line, in Unicode code points, or -1. */
  public int column() {
    if (input == null) {
      return -1;
    }
    int lineStart = input.lastIndexOf('\n', index - 1) + 1;
    return input.codePointCount(lineStart, index) + 1;
  }

  /** This error re-anchored in a larger text: {@code offset} is where {@code input} starts in it. */
  public CqlException within(String text, int offset) {
    if (input == null) {
      return this;
    }
    return new CqlException(kind, reason, text, offset + index);
  }

  private static String render(String reason, String input, int index) {
    if (input == null) {
      return reason;
    }
    int at = Math.max(0, Math.min(index, input.length()));
    int lineStart = input.lastIndexOf('\n', at - 1) + 1;
    int lineEnd = input.indexOf('\n', at);
    if (lineEnd < 0) {
      lineEnd = input.length();
    }
    String line = input.substring(lineStart, lineEnd).replace('\t', ' ').replace('\r', ' ');
    int col = input.codePointCount(lineStart, at) + 1;
    boolean multiLine = input.indexOf('\n') >= 0 && input.indexOf('\n') < input.length() - 1;
    String where;
    if (multiLine) {
      int ln = 1;
      for (int i = 0; i < at; i++) {
        if (input.charAt(i) == '\n') {
          ln++;
        }
      }
      where = " at line " + ln + ", column " + col;
    } else {
      where = " at column " + col;
    }
    return reason + where + "\n  " + line + "\n  " + " ".repeat(col - 1) + "^";
  }
}
