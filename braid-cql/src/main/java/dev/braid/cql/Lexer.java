package dev.braid.cql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hand-written lexer for the CQL subset: identifiers (unquoted, case-insensitive; or
 * {@code "double-quoted"}, case kept, {@code ""} escapes a quote), string literals in single
 * quotes ({@code ''} escapes a quote), integers, decimals (with exponent, {@code NaN},
 * {@code Infinity} are identifiers), hex blobs {@code 0x..}, UUIDs, symbols and comments
 * ({@code -- ...}, {@code // ...}, {@code /* ... *&#47;}).
 */
final class Lexer {
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern NUMBER =
      Pattern.compile("-?(\\d+)(\\.\\d*)?([eE][+-]?\\d+)?");

  private final String in;
  private int pos;

  private Lexer(String in) {
    this.in = in;
  }

  /** The tokens of {@code input}, ending with an EOF token. */
  static List<Token> tokenize(String input) {
    Lexer lx = new Lexer(input);
    List<Token> out = new ArrayList<>();
    Token t;
    do {
      t = lx.next();
      out.add(t);
    } while (t.type() != Token.Type.EOF);
    return out;
  }

  private Token next() {
    skipSpaceAndComments();
    if (pos >= in.length()) {
      return new Token(Token.Type.EOF, "", in.length(), in.length());
    }
    int s = pos;
    char c = in.charAt(pos);
    if (c == '\'') {
      return string();
    }
    if (c == '"') {
      return quotedIdent();
    }
    Matcher u = UUID.matcher(in).region(pos, in.length());
    if (u.lookingAt() && !identChar(at(u.end()))) {
      pos = u.end();
      return new Token(Token.Type.UUID, in.substring(s, pos), s, pos);
    }
    if ((c == '0') && (at(pos + 1) == 'x' || at(pos + 1) == 'X')) {
      pos += 2;
      while (pos < in.length() && isHex(in.charAt(pos))) {
        pos++;
      }
      if (identChar(at(pos))) {
        throw error("invalid hexadecimal literal", s);
      }
      return new Token(Token.Type.HEX, in.substring(s, pos), s, pos);
    }
    boolean negative = c == '-' && Character.isDigit(at(pos + 1)); // no arithmetic: always a sign
    if (Character.isDigit(c) || negative) {
      Matcher m = NUMBER.matcher(in).region(pos, in.length());
      if (!m.lookingAt()) {
        throw error("invalid number", s);
      }
      pos = m.end();
      if (identChar(at(pos))) {
        throw error("invalid number '" + in.substring(s, endOfWord(pos)) + "'", s);
      }
      boolean isFloat = m.group(2) != null || m.group(3) != null;
      return new Token(isFloat ? Token.Type.FLOAT : Token.Type.INTEGER, in.substring(s, pos), s,
          pos);
    }
    if (Character.isLetter(c) || c == '_') {
      while (pos < in.length() && identChar(in.charAt(pos))) {
        pos++;
      }
      return new Token(Token.Type.IDENT, in.substring(s, pos).toLowerCase(Locale.ROOT), s, pos);
    }
    for (String sym : new String[] {"<=", ">=", "!=", "(", ")", ",", ";", ".", "=", "<", ">",
        "*", "{", "}", ":", "[", "]", "-", "+"}) {
      if (in.startsWith(sym, pos)) {
        pos += sym.length();
        return new Token(Token.Type.SYMBOL, sym, s, pos);
      }
    }
    throw error("unexpected character '" + new String(Character.toChars(in.codePointAt(pos)))
        + "'", s);
  }

  private int endOfWord(int p) {
    while (p < in.length() && identChar(in.charAt(p))) {
      p++;
    }
    return p;
  }

  private Token string() {
    int s = pos;
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= in.length()) {
        throw error("unterminated string literal", s);
      }
      char c = in.charAt(pos++);
      if (c == '\'') {
        if (at(pos) == '\'') {
          b.append('\'');
          pos++;
        } else {
          return new Token(Token.Type.STRING, b.toString(), s, pos);
        }
      } else {
        b.append(c);
      }
    }
  }

  private Token quotedIdent() {
    int s = pos;
    pos++;
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= in.length()) {
        throw error("unterminated quoted identifier", s);
      }
      char c = in.charAt(pos++);
      if (c == '"') {
        if (at(pos) == '"') {
          b.append('"');
          pos++;
        } else {
          if (b.length() == 0) {
            throw error("empty quoted identifier", s);
          }
          return new Token(Token.Type.QUOTED_IDENT, b.toString(), s, pos);
        }
      } else {
        b.append(c);
      }
    }
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (in.startsWith("--", pos) || in.startsWith("//", pos)) {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else if (in.startsWith("/*", pos)) {
        int end = in.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error("unterminated comment", pos);
        }
        pos = end + 2;
      } else {
        return;
      }
    }
  }

  private char at(int i) {
    return i < in.length() ? in.charAt(i) : '\0';
  }

  private static boolean identChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  private CqlException error(String reason, int at) {
    return new CqlException(CqlException.Kind.SYNTAX, reason, in, at);
  }
}
