package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ConversionProperties {
    @Provide
    Arbitrary<ClusteringSchema> schemas() {
        return Grid.schemas();
    }

    @Provide
    Arbitrary<ClusteringRange> legacy() {
        return Grid.legacyRanges();
    }

    @Provide
    Arbitrary<PositionRange> clustered() {
        return Grid.clusteredRanges();
    }

    @Provide
    Arbitrary<PositionRange> boundRanges() {
        return Grid.boundRanges();
    }

    @Property(tries = 500)
    void fromLegacyIsRowExact(@ForAll("schemas") ClusteringSchema s, @ForAll("legacy") ClusteringRange r) {
        assertThat(Grid.rows(s, RangeConversions.fromLegacy(r))).isEqualTo(Grid.rows(s, r));
    }

    @Property(tries = 500)
    void toLegacyAfterFromLegacyPreservesRows(@ForAll("schemas") ClusteringSchema s, @ForAll("legacy") ClusteringRange r) {
        Optional<ClusteringRange> back = RangeConversions.toLegacy(s, RangeConversions.fromLegacy(r));
        Set<Integer> expected = Grid.rows(s, r);
        if (back.isEmpty()) {
            assertThat(expected).isEmpty();
        } else {
            assertThat(Grid.rows(s, back.get())).isEqualTo(expected);
        }
    }

    @Property(tries = 500)
    void toLegacyIsRowExactOnAnyClusteredRange(@ForAll("schemas") ClusteringSchema s,
            @ForAll("clustered") PositionRange r) {
        Optional<ClusteringRange> legacy = RangeConversions.toLegacy(s, r);
        Set<Integer> expected = Grid.rows(s, r);
        if (legacy.isEmpty()) {
            assertThat(expected).isEmpty();
        } else {
            assertThat(Grid.rows(s, legacy.get())).isEqualTo(expected);
            assertThat(r.isEmpty(s)).isFalse();
        }
    }

    @Property(tries = 500)
    void fromLegacyAfterToLegacyIsIdentityOnNonEmptyBoundRanges(@ForAll("schemas") ClusteringSchema s,
            @ForAll("boundRanges") PositionRange r) {
        if (r.isEmpty(s)) {
            assertThat(RangeConversions.toLegacy(s, r)).isEmpty();
            return;
        }
        assertThat(RangeConversions.fromLegacy(RangeConversions.toLegacy(s, r).orElseThrow())).isEqualTo(r);
    }

    @Property(tries = 300)
    void toLegacyOutputIsCanonical(@ForAll("schemas") ClusteringSchema s, @ForAll("legacy") ClusteringRange r) {
        RangeConversions.toLegacy(s, RangeConversions.fromLegacy(r)).ifPresent(c -> {
            // canonical: idempotent under another round trip, and never an empty-prefix bound pair for "all rows"
            assertThat(RangeConversions.toLegacy(s, RangeConversions.fromLegacy(c))).contains(c);
            if (!c.isSingular()) {
                c.start().ifPresent(b -> assertThat(b.prefix().isEmpty() && b.inclusive()).isFalse());
                c.end().ifPresent(b -> assertThat(b.prefix().isEmpty() && b.inclusive()).isFalse());
                if (c.start().isPresent() && c.end().isPresent()) {
                    assertThat(c.start().get().prefix()).isNotEqualTo(c.end().get().prefix());
                }
            }
        });
    }

    @Property(tries = 400)
    void legacyReversalIsAnInvolutionPreservingRows(@ForAll("schemas") ClusteringSchema s,
            @ForAll("legacy") ClusteringRange r) {
        assertThat(r.reverse().reverse()).isEqualTo(r);
        assertThat(Grid.rows(s.reversed(), r.reverse())).isEqualTo(Grid.rows(s, r));
        // conversion commutes with reversal
        assertThat(RangeConversions.fromLegacy(r.reverse())).isEqualTo(RangeConversions.fromLegacy(r).reversed());
    }

    @Property(tries = 400)
    void positionRangeReversalIsAnInvolutionPreservingRows(@ForAll("schemas") ClusteringSchema s,
            @ForAll("boundRanges") PositionRange r) {
        assertThat(r.reversed().reversed()).isEqualTo(r);
        assertThat(Grid.rows(s.reversed(), r.reversed())).isEqualTo(Grid.rows(s, r));
        assertThat(r.reversed().isEmpty(s.reversed())).isEqualTo(r.isEmpty(s));
    }

    @Property(tries = 300)
    void rangeOperationsAgreeWithTheOracle(@ForAll("schemas") ClusteringSchema s, @ForAll("clustered") PositionRange a,
            @ForAll("clustered") PositionRange b) {
        boolean anyShared = false;
        boolean allOfBInA = true;
        for (PositionInPartition p : Grid.allClusteredPositions()) {
            boolean inA = Grid.oracleInRange(s, a, p);
            boolean inB = Grid.oracleInRange(s, b, p);
            assertThat(a.contains(s, p)).isEqualTo(inA);
            anyShared |= inA && inB;
            allOfBInA &= !inB || inA;
            assertThat(a.intersection(s, b).map(r -> r.contains(s, p)).orElse(false)).isEqualTo(inA && inB);
        }
        // the grid holds every bound, so a shared position exists iff one exists on the grid
        assertThat(a.overlaps(s, b)).isEqualTo(anyShared);
        assertThat(a.contains(s, b)).isEqualTo(allOfBInA);
    }
}
