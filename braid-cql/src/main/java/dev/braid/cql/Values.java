package dev.braid.cql;

import dev.braid.cql.Ast.Literal;
import dev.braid.cql.Ast.LiteralKind;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.UUID;

/** Typed literals: a literal checked against a column type becomes the type's Java value. */
final class Values {
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd")
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendPattern("HH:mm")
      .optionalStart().appendPattern(":ss").optionalEnd()
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter();

  private Values() {
  }

  /**
   * The value of {@code lit} for a column of {@code type}; {@code null} for a null literal.
   *
   * @throws CqlException pointing at the literal when it is not a value of the type
   */
  static Object of(Literal lit, ClusteringType type, String column, String input) {
    if (lit.kind() == LiteralKind.NULL) {
      return null;
    }
    String t = lit.text();
    try {
      switch (type) {
        case INT:
          if (lit.kind() == LiteralKind.INTEGER) {
            try {
              return Integer.parseInt(t);
            } catch (NumberFormatException e) {
              throw bad(lit, column, type, input, ": out of range for int");
            }
          }
          break;
        case BIGINT:
          if (lit.kind() == LiteralKind.INTEGER) {
            try {
              return Long.parseLong(t);
            } catch (NumberFormatException e) {
              throw bad(lit, column, type, input, ": out of range for bigint");
            }
          }
          break;
        case TEXT:
          if (lit.kind() == LiteralKind.STRING) {
            return t;
          }
          break;
        case BLOB:
          if (lit.kind() == LiteralKind.HEX) {
            String hex = t.substring(2);
            if (hex.length() % 2 != 0) {
              throw bad(lit, column, type, input, ": a hex blob needs an even number of digits");
            }
            return Bytes.of(HexFormat.of().parseHex(hex));
          }
          break;
        case BOOLEAN:
          if (lit.kind() == LiteralKind.BOOLEAN) {
            return Boolean.parseBoolean(t);
          }
          break;
        case DOUBLE:
          if (lit.kind() == LiteralKind.FLOAT || lit.kind() == LiteralKind.INTEGER) {
            return Double.parseDouble(t);
          }
          break;
        case UUID:
          if (lit.kind() == LiteralKind.UUID) {
            return UUID.fromString(t);
          }
          break;
        case TIMESTAMP:
          if (lit.kind() == LiteralKind.INTEGER) {
            try {
              return Instant.ofEpochMilli(Long.parseLong(t));
            } catch (NumberFormatException e) {
              throw bad(lit, column, type, input, ": out of range for timestamp");
            }
          }
          if (lit.kind() == LiteralKind.STRING) {
            return timestamp(lit, column, input);
          }
          break;
        default:
          throw new AssertionError(type);
      }
    } catch (IllegalArgumentException e) {
      throw bad(lit, column, type, input, "");
    }
    throw bad(lit, column, type, input, "");
  }

  private static Instant timestamp(Literal lit, String column, String input) {
    String s = lit.text().trim();
    try {
      var parsed = TIMESTAMP.parseBest(s, OffsetDateTime::from, LocalDateTime::from,
          LocalDate::from);
      Instant i;
      if (parsed instanceof OffsetDateTime o) {
        i = o.toInstant();
      } else if (parsed instanceof LocalDateTime l) {
        i = l.toInstant(ZoneOffset.UTC);
      } else {
        i = ((LocalDate) parsed).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (i.getNano() % 1_000_000 != 0) {
        throw new CqlException(CqlException.Kind.INVALID, "Unable to coerce '" + s
            + "' to a formatted date: timestamps have millisecond precision", input,
            lit.at().start());
      }
      return i;
    } catch (DateTimeParseException e) {
      throw new CqlException(CqlException.Kind.INVALID, "Unable to coerce '" + s
          + "' to a formatted date (expected e.g. '2024-01-02 03:04:05.678+0000' or"
          + " '2024-01-02T03:04:05Z', UTC when no offset is given) for \"" + column + "\"",
          input, lit.at().start());
    }
  }

  private static CqlException bad(Literal lit, String column, ClusteringType type, String input,
      String detail) {
    String shown = lit.kind() == LiteralKind.STRING ? "'" + lit.text() + "'" : lit.text();
    return new CqlException(CqlException.Kind.INVALID, "Invalid " + lit.kind() + " constant ("
        + shown + ") for \"" + column + "\" of type " + type.cqlName() + detail, input,
        lit.at().start());
  }

  /** The CQL rendering of a typed value (for messages). */
  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "'" + s.replace("'", "''") + "'";
    }
    if (v instanceof Bytes b) {
      return "0x" + b.toHex();
    }
    return v.toString();
  }
}
