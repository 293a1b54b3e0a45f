package dev.braid.cql;

/**
 * A lexical token with its position.
 *
 * @param type  the token type
 * @param text  the token's value: identifiers unquoted ({@code "Quoted"} keeps its case,
 *              unquoted ones are lower-cased), strings unescaped, other tokens as written
 * @param start 0-based char index of the token's first character in the input
 * @param end   0-based char index just after the token
 */
record Token(Type type, String text, int start, int end) {
  enum Type {
    IDENT, QUOTED_IDENT, STRING, INTEGER, FLOAT, HEX, UUID, SYMBOL, EOF
  }

  boolean isSymbol(String s) {
    return type == Type.SYMBOL && text.equals(s);
  }

  /** Whether this is the unquoted keyword {@code kw} (lower case). */
  boolean isKeyword(String kw) {
    return type == Type.IDENT && text.equals(kw);
  }

  /** A short description for error messages. */
  String describe(String input) {
    if (type == Type.EOF) {
      return "end of input";
    }
    return "'" + input.substring(start, end) + "'";
  }
}
