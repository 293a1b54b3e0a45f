package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.InstanceOfAssertFactories;

class NotationTest {
    private static final ClusteringSchema S = ClusteringSchema.parse("int asc, int asc, int desc");

    @Provide
    Arbitrary<ClusteringRange> legacy() {
        return Grid.legacyRanges();
    }

    @Provide
    Arbitrary<PositionRange> ranges() {
        return Grid.clusteredRanges();
    }

    @Provide
    Arbitrary<PositionInPartition> positions() {
        return Grid.positions();
    }

    @Property(tries = 200)
    void legacyRangesRoundTripThroughText(@ForAll("legacy") ClusteringRange r) {
        assertThat(Notation.parseClusteringRange(S, r.toString())).isEqualTo(r);
    }

    @Property(tries = 200)
    void positionRangesRoundTripThroughText(@ForAll("ranges") PositionRange r) {
        assertThat(Notation.parsePositionRange(S, r.toString())).isEqualTo(r);
        assertThat(Notation.looksLikePositionRange(r.toString())).isTrue();
    }

    @Property(tries = 200)
    void positionsRoundTripThroughText(@ForAll("positions") PositionInPartition p) {
        assertThat(Notation.parsePosition(S, p.toString())).isEqualTo(p);
    }

    @Example
    void issueExamplesParse() {
        assertThat(Notation.parseClusteringRange(S, "[(1,2), (3))")).isEqualTo(ClusteringRange.between(
                ClusteringRange.Bound.inclusive(ClusteringPrefix.of(1, 2)), ClusteringRange.Bound.exclusive(ClusteringPrefix.of(3))));
        assertThat(Notation.parseClusteringRange(S, "((1), +inf)")).hasToString("((1), +inf)");
        assertThat(Notation.parseClusteringRange(S, "(-inf, (1,1)]")).hasToString("(-inf, (1,1)]");
        assertThat(Notation.parseClusteringRange(S, "{(1,2)}").isSingular()).isTrue();
        assertThat(Notation.parseClusteringRange(S, " ( -inf ,+inf ) ").isFull()).isTrue();
        assertThat(Notation.parsePosition(S, "before(1,2)")).isEqualTo(PositionInPartition.beforeKey(ClusteringPrefix.of(1, 2)));
        assertThat(Notation.parsePosition(S, "at(1,2,3)")).isEqualTo(PositionInPartition.forKey(ClusteringPrefix.of(1, 2, 3)));
        assertThat(Notation.parsePosition(S, "after(1)")).isEqualTo(PositionInPartition.afterAllPrefixed(ClusteringPrefix.of(1)));
        assertThat(Notation.parsePosition(S, "before()")).isEqualTo(PositionInPartition.beforeAllClusteredRows());
        assertThat(Notation.parsePosition(S, "static")).isEqualTo(PositionInPartition.staticRow());
        assertThat(Notation.parsePositionRange(S, "[before(1), after(2))")).hasToString("[before(1), after(2))");
        assertThat(S).hasToString("int asc, int asc, int desc");
        assertThat(S.reversed()).hasToString("int desc, int desc, int asc");
        assertThat(ClusteringSchema.parse("int, TEXT Desc")).hasToString("int asc, text desc");
    }

    @Example
    void everyTypeParsesAndPrints() {
        ClusteringSchema t = ClusteringSchema.parse("int, bigint, text, blob, boolean, double, uuid, timestamp");
        String text = "(-1,9000000000,'it''s',0x0a0B,true,-1.5e3,123e4567-e89b-12d3-a456-426614174000,1700000000123)";
        ClusteringPrefix p = Notation.parsePrefix(t, text);
        assertThat(p.values()).containsExactly(-1, 9_000_000_000L, "it's", Bytes.of((byte) 10, (byte) 11), true, -1500.0,
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(Notation.parsePrefix(t, p.toString())).isEqualTo(p);
        assertThat(Notation.parsePrefix(t, "(empty,empty,empty,empty)").values())
                .containsExactly(EmptyValue.INSTANCE, EmptyValue.INSTANCE, "", Bytes.empty());
        assertThat(Notation.parsePrefix(t, "(1,2,'x',0x,false,NaN,123e4567-e89b-12d3-a456-426614174000,'2024-01-02T03:04:05.678Z')")
                .get(7)).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
    }

    private static void assertError(String input, int column, String reason) {
        assertThatThrownBy(() -> Notation.parseClusteringRange(S, input))
                .isInstanceOf(NotationException.class)
                .asInstanceOf(InstanceOfAssertFactories.type(NotationException.class))
                .satisfies(e -> {
                    assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).contains("at column " + column).contains(input)
                            .endsWith(" ".repeat(column - 1) + "^");
                });
    }

    @Example
    void errorsPointAtTheOffendingCharacter() {
        assertError("[(1,x), (3))", 5, "invalid int value 'x'");
        assertError("[(1,2), (3)", 12, "expected ']' or ')'");
        assertError("[(1,2,3,4), (3))", 9, "too many values");
        assertError("<(1), (2)]", 1, "expected a clustering range");
        assertError("[(1), (2)] junk", 12, "unexpected 'j'");
        assertError("[(1) (2)]", 6, "expected ','");
        assertError("[(1), 2]", 7, "expected a prefix");
        assertThatThrownBy(() -> ClusteringSchema.parse("int, integer"))
                .isInstanceOf(NotationException.class).hasMessageContaining("unknown type 'integer'")
                .hasMessageContaining("column 6");
        assertThatThrownBy(() -> Notation.parsePosition(S, "befor(1)"))
                .isInstanceOf(NotationException.class).hasMessageContaining("expected a position").hasMessageContaining("column 1");
        assertThatThrownBy(() -> Notation.parsePrefix(ClusteringSchema.parse("text"), "(abc)"))
                .hasMessageContaining("text values must be quoted");
        assertThatThrownBy(() -> Notation.parsePrefix(ClusteringSchema.parse("text"), "('abc)"))
                .hasMessageContaining("unterminated quoted string").hasMessageContaining("column 2");
    }

    @Example
    void caretsCountCodePointsNotUtf16Units() {
        ClusteringSchema t = ClusteringSchema.parse("text, int");
        // "\uD83D\uDE00" is one emoji: two UTF-16 units, one code point (one column).
        String input = "('\uD83D\uDE00', x)";
        assertThatThrownBy(() -> Notation.parsePrefix(t, input))
                .asInstanceOf(InstanceOfAssertFactories.type(NotationException.class))
                .satisfies(e -> {
                    assertThat(e.column()).isEqualTo(7);
                    assertThat(e.index()).isEqualTo(7);
                    assertThat(e.getMessage()).contains("at column 7").endsWith("\n  " + " ".repeat(6) + "^");
                });
        assertThatThrownBy(() -> Notation.parsePrefix(t, "('a', 1)\uD83D\uDE00"))
                .hasMessageContaining("unexpected '\uD83D\uDE00' after the end at column 9");
    }

    @Example
    void outOfRangeValuesAreNotationErrors() {
        ClusteringSchema d = ClusteringSchema.parse("double");
        assertThatThrownBy(() -> Notation.parsePrefix(d, "(1e999999)")).isInstanceOf(NotationException.class)
                .hasMessageContaining("double value '1e999999' is out of range").hasMessageContaining("column 2");
        assertThatThrownBy(() -> Notation.parsePrefix(d, "(-1e309)")).isInstanceOf(NotationException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Notation.parsePrefix(d, "(1e-999999)")).isInstanceOf(NotationException.class)
                .hasMessageContaining("too small");
        assertThat(Notation.parsePrefix(d, "(-Infinity)").get(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Notation.parsePrefix(d, "(0e999999)").get(0)).isEqualTo(0.0);
        assertThat(Notation.parsePrefix(d, "(1.7976931348623157e308)").get(0)).isEqualTo(Double.MAX_VALUE);
        ClusteringSchema ts = ClusteringSchema.parse("timestamp");
        assertThatThrownBy(() -> Notation.parseClusteringRange(ts, "[('+999999999-12-31T23:59:59.999Z'), +inf)"))
                .isInstanceOf(NotationException.class)
                .hasMessageContaining("outside the range of 64-bit epoch milliseconds")
                .hasMessageContaining("column 3");
    }
}
