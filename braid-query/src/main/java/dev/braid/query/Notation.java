package dev.braid.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Parser for the text notation printed by the {@code toString} methods of this package.
 *
 * <ul>
 *   <li>schema: {@code int asc, text desc, uuid} (direction defaults to {@code asc}); types
 *       {@code int bigint text blob boolean double uuid timestamp}</li>
 *   <li>values, typed by their column: integers {@code -12}, text {@code 'it''s'}, blobs {@code
 *       0x0a0b}, {@code true}/{@code false}, decimals {@code 1.5}, {@code 2e3}, {@code NaN},
 *       {@code Infinity}, uuids {@code 123e4567-e89b-12d3-a456-426614174000}, timestamps as
 *       epoch milliseconds or a quoted ISO-8601 instant, and {@code empty} (the empty value)</li>
 *   <li>prefixes: {@code (1,2)}, {@code ()}</li>
 *   <li>legacy ranges: {@code [(1,2), (3))}, {@code ((1), +inf)}, {@code (-inf, (1,1)]},
 *       {@code {(1,2)}}, {@code (-inf, +inf)}</li>
 *   <li>positions: {@code before(1,2)}, {@code at(1,2,3)}, {@code after(1)}, {@code before_all},
 *       {@code after_all}, {@code static}, {@code partition_start}, {@code partition_end}</li>
 *   <li>position ranges: {@code [before(1), after(2))}</li>
 * </ul>
 *
 * <p>Whitespace is allowed between tokens. Every parse method consumes the whole input and throws
 * {@link NotationException} pointing at the first offending character.
 */
public final class Notation {
    private final String in;
    private final ClusteringSchema schema;
    private int pos;

    private Notation(String in, ClusteringSchema schema) {
        this.in = in;
        this.schema = schema;
    }

    /** Parses a clustering schema such as {@code int asc, int asc, int desc}. */
    public static ClusteringSchema parseSchema(String text) {
        Notation p = new Notation(text, null);
        List<ClusteringColumn> cols = new ArrayList<>();
        p.skipWs();
        if (!p.atEnd()) {
            do {
                p.skipWs();
                int at = p.pos;
                String name = p.word();
                if (name.isEmpty()) {
                    throw p.error("expected a type (" + typeNames() + ")", at);
                }
                ClusteringType t = ClusteringType.byName(name);
                if (t == null) {
                    throw p.error("unknown type '" + name + "' (expected " + typeNames() + ")", at);
                }
                p.skipWs();
                ClusteringOrder order = ClusteringOrder.ASC;
                int oat = p.pos;
                String dir = p.word();
                if (dir.equalsIgnoreCase("desc")) {
                    order = ClusteringOrder.DESC;
                } else if (!dir.isEmpty() && !dir.equalsIgnoreCase("asc")) {
                    throw p.error("expected asc or desc, got '" + dir + "'", oat);
                }
                cols.add(new ClusteringColumn(t, order));
                p.skipWs();
            } while (p.eat(','));
        }
        p.expectEnd();
        return ClusteringSchema.of(cols);
    }

    private static String typeNames() {
        StringBuilder b = new StringBuilder();
        for (ClusteringType t : ClusteringType.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(t.cqlName());
        }
        return b.toString();
    }

    /** Parses a clustering-key prefix such as {@code (1,'a')} whose values fit {@code schema}. */
    public static ClusteringPrefix parsePrefix(ClusteringSchema schema, String text) {
        Notation p = new Notation(text, schema);
        p.skipWs();
        ClusteringPrefix k = p.prefix();
        p.expectEnd();
        return k;
    }

    /** Parses a legacy clustering range such as {@code [(1,2), (3))}. */
    public static ClusteringRange parseClusteringRange(ClusteringSchema schema, String text) {
        Notation p = new Notation(text, schema);
        p.skipWs();
        ClusteringRange r = p.legacyRange();
        p.expectEnd();
        return r;
    }

    /** Parses a position such as {@code before(1,2)} or {@code static}. */
    public static PositionInPartition parsePosition(ClusteringSchema schema, String text) {
        Notation p = new Notation(text, schema);
        p.skipWs();
        PositionInPartition r = p.position();
        p.expectEnd();
        return r;
    }

    /** Parses a position range such as {@code [before(1), after(2))}. */
    public static PositionRange parsePositionRange(ClusteringSchema schema, String text) {
        Notation p = new Notation(text, schema);
        p.skipWs();
        PositionRange r = p.positionRange();
        p.expectEnd();
        return r;
    }

    /**
     * Whether {@code text} looks like a position range rather than a legacy range: its first
     * element (after the opening bracket) is a position keyword.
     */
    public static boolean looksLikePositionRange(String text) {
        String t = text.strip();
        if (!t.startsWith("[")) {
            return false;
        }
        String rest = t.substring(1).stripLeading();
        int i = 0;
        while (i < rest.length() && (Character.isLetter(rest.charAt(i)) || rest.charAt(i) == '_')) {
            i++;
        }
        String w = rest.substring(0, i).toLowerCase(Locale.ROOT);
        return List.of("before", "at", "after", "before_all", "after_all", "static", "partition_start",
                "partition_end").contains(w);
    }

    // ---- grammar ----

    private ClusteringRange legacyRange() {
        int at = pos;
        if (eat('{')) {
            skipWs();
            ClusteringPrefix x = prefix();
            skipWs();
            expect('}');
            return ClusteringRange.singular(x);
        }
        boolean startIncl;
        if (eat('[')) {
            startIncl = true;
        } else if (eat('(')) {
            startIncl = false;
        } else {
            throw error("expected a clustering range starting with '[', '(' or '{'", at);
        }
        skipWs();
        Optional<ClusteringRange.Bound> start;
        if (peekWord("-inf")) {
            pos += 4;
            start = Optional.empty();
        } else if (peek() == '(') {
            start = Optional.of(new ClusteringRange.Bound(prefix(), startIncl));
        } else {
            throw error("expected a prefix such as (1,2) or -inf", pos);
        }
        skipWs();
        expect(',');
        skipWs();
        Optional<ClusteringPrefix> endKey;
        if (peekWord("+inf")) {
            pos += 4;
            endKey = Optional.empty();
        } else if (peek() == '(') {
            endKey = Optional.of(prefix());
        } else {
            throw error("expected a prefix such as (1,2) or +inf", pos);
        }
        skipWs();
        boolean endIncl;
        if (eat(']')) {
            endIncl = true;
        } else if (eat(')')) {
            endIncl = false;
        } else {
            throw error("expected ']' or ')' to close the range", pos);
        }
        return ClusteringRange.of(start, endKey.map(k -> new ClusteringRange.Bound(k, endIncl)));
    }

    private PositionRange positionRange() {
        expect('[');
        skipWs();
        PositionInPartition s = position();
        skipWs();
        expect(',');
        skipWs();
        PositionInPartition e = position();
        skipWs();
        expect(')');
        return PositionRange.of(s, e);
    }

    private PositionInPartition position() {
        int at = pos;
        String w = word().toLowerCase(Locale.ROOT);
        switch (w) {
            case "partition_start":
                return PositionInPartition.partitionStart();
            case "static":
                return PositionInPartition.staticRow();
            case "partition_end":
                return PositionInPartition.partitionEnd();
            case "before_all":
                return PositionInPartition.beforeAllClusteredRows();
            case "after_all":
                return PositionInPartition.afterAllClusteredRows();
            case "before":
                skipWs();
                return PositionInPartition.beforeKey(prefix());
            case "at":
                skipWs();
                return PositionInPartition.forKey(prefix());
            case "after":
                skipWs();
                return PositionInPartition.afterAllPrefixed(prefix());
            default:
                throw error("expected a position (before(..), at(..), after(..), before_all, after_all, static, "
                        + "partition_start, partition_end)", at);
        }
    }

    private ClusteringPrefix prefix() {
        expect('(');
        skipWs();
        List<Object> values = new ArrayList<>();
        if (eat(')')) {
            return ClusteringPrefix.empty();
        }
        do {
            skipWs();
            int at = pos;
            if (values.size() >= schema.size()) {
                throw error("too many values: the schema has " + schema.size() + " clustering column"
                        + (schema.size() == 1 ? "" : "s"), at);
            }
            values.add(value(schema.column(values.size()).type()));
            skipWs();
        } while (eat(','));
        expect(')');
        return ClusteringPrefix.of(values);
    }

    private Object value(ClusteringType type) {
        int at = pos;
        if (peek() == '\'') {
            String s = quoted();
            if (type == ClusteringType.TEXT) {
                return s;
            }
            if (type == ClusteringType.TIMESTAMP) {
                try {
                    Instant i = Instant.parse(s);
                    type.check(i);
                    return i;
                } catch (DateTimeParseException e) {
                    throw error("invalid timestamp '" + s + "' (expected ISO-8601 with at most millisecond precision)", at);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw error("invalid timestamp '" + s + "': " + e.getMessage(), at);
                }
            }
            throw error("a quoted string is not a " + type.cqlName() + " value", at);
        }
        String tok = token();
        if (tok.isEmpty()) {
            throw error("expected a " + type.cqlName() + " value", at);
        }
        if (tok.equals("empty")) {
            return type.emptyValue();
        }
        try {
            switch (type) {
                case INT:
                    return Integer.parseInt(requireInteger(tok));
                case BIGINT:
                    return Long.parseLong(requireInteger(tok));
                case TIMESTAMP:
                    return Instant.ofEpochMilli(Long.parseLong(requireInteger(tok)));
                case DOUBLE:
                    if (!tok.matches("[+-]?(NaN|Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)")) {
                        throw new IllegalArgumentException();
                    }
                    return finiteUnlessSpelledOut(tok, Double.parseDouble(tok), at);
                case BOOLEAN:
                    if (tok.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (tok.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                    throw new IllegalArgumentException();
                case BLOB:
                    if (!tok.startsWith("0x") && !tok.startsWith("0X")) {
                        throw new IllegalArgumentException();
                    }
                    String hex = tok.substring(2);
                    if (hex.length() % 2 != 0) {
                        throw new IllegalArgumentException();
                    }
                    return Bytes.of(HexFormat.of().parseHex(hex));
                case UUID:
                    if (!tok.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                        throw new IllegalArgumentException();
                    }
                    return UUID.fromString(tok);
                case TEXT:
                    throw error("text values must be quoted, e.g. '" + tok + "'", at);
                default:
                    throw new AssertionError(type);
            }
        } catch (NotationException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw error("invalid " + type.cqlName() + " value '" + tok + "'", at);
        }
    }

    /**
     * {@code d} parsed from {@code tok}, rejecting a decimal that is too large for a double
     * (it would silently become Infinity) or so small that it would become zero; {@code
     * Infinity} and {@code NaN} written out are values of their own.
     */
    private double finiteUnlessSpelledOut(String tok, double d, int at) {
        if (Double.isInfinite(d) && !tok.contains("Infinity")) {
            throw error("double value '" + tok + "' is out of range (largest: "
                    + Double.MAX_VALUE + "; write Infinity for infinity)", at);
        }
        if (d == 0 && tok.split("[eE]")[0].matches(".*[1-9].*")) {
            throw error("double value '" + tok + "' is too small to represent (smallest: "
                    + Double.MIN_VALUE + ")", at);
        }
        return d;
    }

    private static String requireInteger(String tok) {
        if (!tok.matches("[+-]?\\d+")) {
            throw new IllegalArgumentException();
        }
        return tok;
    }

    private String quoted() {
        int at = pos;
        expect('\'');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error("unterminated quoted string", at);
            }
            char c = in.charAt(pos++);
            if (c == '\'') {
                if (!atEnd() && in.charAt(pos) == '\'') {
                    b.append('\'');
                    pos++;
                } else {
                    return b.toString();
                }
            } else {
                b.append(c);
            }
        }
    }

    // ---- lexing helpers ----

    private String token() {
        int s = pos;
        while (!atEnd()) {
            char c = in.charAt(pos);
            if (Character.isWhitespace(c) || "(),[]{}'".indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        return in.substring(s, pos);
    }

    private String word() {
        int s = pos;
        while (!atEnd() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
            pos++;
        }
        return in.substring(s, pos);
    }

    private boolean peekWord(String w) {
        return in.startsWith(w, pos);
    }

    private char peek() {
        return atEnd() ? '\0' : in.charAt(pos);
    }

    private boolean atEnd() {
        return pos >= in.length();
    }

    private void skipWs() {
        while (!atEnd() && Character.isWhitespace(in.charAt(pos))) {
            pos++;
        }
    }

    private boolean eat(char c) {
        if (!atEnd() && in.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!eat(c)) {
            throw error(atEnd() ? "expected '" + c + "' but the input ended" : "expected '" + c + "'", pos);
        }
    }

    private void expectEnd() {
        skipWs();
        if (!atEnd()) {
            throw error("unexpected '" + Character.toString(in.codePointAt(pos)) + "' after the end", pos);
        }
    }

    private NotationException error(String reason, int at) {
        return new NotationException(reason, in, at);
    }
}
