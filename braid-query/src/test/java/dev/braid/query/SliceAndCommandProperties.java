package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SliceAndCommandProperties {
    @Provide
    Arbitrary<ClusteringSchema> schemas() {
        return Grid.schemas();
    }

    @Provide
    Arbitrary<PartitionSlice> slices() {
        return CommandGen.slices();
    }

    @Provide
    Arbitrary<PartitionSliceV2> slicesV2() {
        return CommandGen.slicesV2();
    }

    @Provide
    Arbitrary<ReadCommand> commands() {
        return CommandGen.commands();
    }

    @Provide
    Arbitrary<PartitionKey> keys() {
        return CommandGen.partitionKeys();
    }

    private static void assertSameNonRangeFields(PartitionSlice a, PartitionSlice b) {
        assertThat(b.staticColumns()).isEqualTo(a.staticColumns());
        assertThat(b.regularColumns()).isEqualTo(a.regularColumns());
        assertThat(b.options().mask()).isEqualTo(a.options().mask());
        assertThat(b.cqlProtocolVersion()).isEqualTo(a.cqlProtocolVersion());
        assertThat(b.partitionRowLimitLowBits()).isEqualTo(a.partitionRowLimitLowBits());
        assertThat(b.partitionRowLimitHighBits()).isEqualTo(a.partitionRowLimitHighBits());
        assertThat(b.specificRanges().isPresent()).isEqualTo(a.specificRanges().isPresent());
        a.specificRanges().ifPresent(s -> assertThat(b.specificRanges().get().partitionKey()).isEqualTo(s.partitionKey()));
    }

    private static void assertSameRowsPerRange(ClusteringSchema s, List<ClusteringRange> a, List<ClusteringRange> b) {
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(Grid.rows(s, b.get(i))).isEqualTo(Grid.rows(s, a.get(i)));
        }
    }

    @Property(tries = 200)
    void sliceV1ToV2ToV1KeepsEveryFieldAndEveryRangesRows(@ForAll("schemas") ClusteringSchema s,
            @ForAll("slices") PartitionSlice v1) {
        PartitionSliceV2 v2 = PartitionSliceV2.fromLegacy(v1);
        PartitionSlice back = v2.toLegacy(s);
        assertSameNonRangeFields(v1, back);
        assertSameRowsPerRange(s, v1.defaultRowRanges(), back.defaultRowRanges());
        v1.specificRanges().ifPresent(sp -> assertSameRowsPerRange(s, sp.ranges(), back.specificRanges().get().ranges()));
        // canonical after one trip: a second trip is the identity, and v2 is stable
        assertThat(PartitionSliceV2.fromLegacy(back).toLegacy(s)).isEqualTo(back);
        assertThat(PartitionSliceV2.fromLegacy(back)).isEqualTo(v2);
    }

    @Property(tries = 200)
    void sliceV2ToV1ToV2IsTheIdentity(@ForAll("schemas") ClusteringSchema s, @ForAll("slicesV2") PartitionSliceV2 v2) {
        assertThat(PartitionSliceV2.fromLegacy(v2.toLegacy(s))).isEqualTo(v2);
    }

    @Property(tries = 200)
    void clusteringRestrictionPredicateIsTheSameOnV1AndV2(@ForAll("schemas") ClusteringSchema s,
            @ForAll("slices") PartitionSlice v1, @ForAll("keys") PartitionKey pk) {
        PartitionSliceV2 v2 = PartitionSliceV2.fromLegacy(v1);
        assertThat(v2.hasClusteringRestriction(pk)).isEqualTo(v1.hasClusteringRestriction(pk));
        PartitionKey specificKey = v1.specificRanges().map(SpecificRanges::partitionKey).orElse(pk);
        assertThat(v2.hasClusteringRestriction(specificKey)).isEqualTo(v1.hasClusteringRestriction(specificKey));
        PartitionSlice back = v2.toLegacy(s);
        assertThat(back.hasClusteringRestriction(pk)).isEqualTo(v1.hasClusteringRestriction(pk));
        assertThat(back.hasClusteringRestriction(specificKey)).isEqualTo(v1.hasClusteringRestriction(specificKey));
        // and on the reversed forms
        assertThat(v2.reversed().hasClusteringRestriction(specificKey)).isEqualTo(v1.hasClusteringRestriction(specificKey));
        assertThat(v1.reversed().hasClusteringRestriction(specificKey)).isEqualTo(v1.hasClusteringRestriction(specificKey));
    }

    @Property(tries = 200)
    void reversedSlicesUseNativeLayoutAndCommute(@ForAll("schemas") ClusteringSchema s,
            @ForAll("slices") PartitionSlice v1) {
        PartitionSliceV2 v2 = PartitionSliceV2.fromLegacy(v1);
        assertThat(v1.reversed().reversed()).isEqualTo(v1);
        assertThat(v2.reversed().reversed()).isEqualTo(v2);
        assertThat(v2.reversed().isReversed()).isNotEqualTo(v2.isReversed());
        assertThat(PartitionSliceV2.fromLegacy(v1.reversed())).isEqualTo(v2.reversed());
        // reversed ranges, in reverse order, select the same rows under the reversed schema
        List<PositionRange> fwd = v2.defaultRowRanges();
        List<PositionRange> rev = v2.reversed().defaultRowRanges();
        for (int i = 0; i < fwd.size(); i++) {
            assertThat(Grid.rows(s.reversed(), rev.get(fwd.size() - 1 - i))).isEqualTo(Grid.rows(s, fwd.get(i)));
        }
        // v1 -> v2 -> v1 of a reversed slice under the reversed schema = reversal of the canonical forward slice
        assertThat(v2.reversed().toLegacy(s.reversed())).isEqualTo(v2.toLegacy(s).reversed());
    }

    @Property(tries = 150)
    void commandV1ToV2ToV1KeepsEveryField(@ForAll("schemas") ClusteringSchema s, @ForAll("commands") ReadCommand v1) {
        ReadCommandV2 v2 = ReadCommandV2.fromLegacy(v1);
        assertThat(v2.tableId()).isEqualTo(v1.tableId());
        assertThat(v2.schemaVersion()).isEqualTo(v1.schemaVersion());
        assertThat(v2.rowLimitLowBits()).isEqualTo(v1.rowLimitLowBits());
        assertThat(v2.rowLimitHighBits()).isEqualTo(v1.rowLimitHighBits());
        assertThat(v2.timestamp()).isEqualTo(v1.timestamp());
        assertThat(v2.traceInfo()).isEqualTo(v1.traceInfo());
        assertThat(v2.partitionLimit()).isEqualTo(v1.partitionLimit());
        assertThat(v2.queryId()).isEqualTo(v1.queryId());
        assertThat(v2.isFirstPage()).isEqualTo(v1.isFirstPage());
        assertThat(v2.maxResultSize()).isEqualTo(v1.maxResultSize());
        assertThat(v2.tombstoneLimit()).isEqualTo(v1.tombstoneLimit());
        assertThat(v2.slice()).isEqualTo(PartitionSliceV2.fromLegacy(v1.slice()));

        ReadCommand back = v2.toLegacy(s);
        assertThat(back).isEqualTo(v1.toBuilder().slice(v2.slice().toLegacy(s)).build());
        assertThat(ReadCommandV2.fromLegacy(back)).isEqualTo(v2);
        assertThat(ReadCommandV2.fromLegacy(back).toLegacy(s)).isEqualTo(back);
    }

    @Property(tries = 150)
    void reversedCommands(@ForAll("schemas") ClusteringSchema s, @ForAll("commands") ReadCommand v1) {
        ReadCommand rev = v1.reversed();
        assertThat(rev.schemaVersion()).isEqualTo(ReadCommand.reversedSchemaVersion(v1.schemaVersion()));
        assertThat(rev.schemaVersion()).isNotEqualTo(v1.schemaVersion());
        assertThat(rev.reversed()).isEqualTo(v1);
        assertThat(ReadCommandV2.fromLegacy(rev)).isEqualTo(ReadCommandV2.fromLegacy(v1).reversed());
        assertThat(ReadCommandV2.fromLegacy(v1).reversed().toLegacy(s.reversed()))
                .isEqualTo(ReadCommandV2.fromLegacy(v1).toLegacy(s).reversed());
    }

    @Property(tries = 100)
    void legacyHalfReversedCommandsAreDetectedAndConverted(@ForAll("commands") ReadCommand v1) {
        ReadCommand forward = v1.toBuilder().slice(v1.slice().toBuilder()
                .options(v1.slice().options().without(SliceOption.REVERSED)).build()).build();
        ReadCommand nativeRev = forward.reversed();
        // legacy layout: reversed order, bounds not swapped, table's own schema version
        PartitionSlice halfReversed = nativeRev.slice().toBuilder()
                .defaultRowRanges(nativeRev.slice().defaultRowRanges().stream().map(ClusteringRange::reverse).toList())
                .specificRanges(nativeRev.slice().specificRanges().map(sp -> new SpecificRanges(sp.partitionKey(),
                        sp.ranges().stream().map(ClusteringRange::reverse).toList())).orElse(null))
                .build();
        ReadCommand legacy = nativeRev.toBuilder().slice(halfReversed).schemaVersion(forward.schemaVersion()).build();
        assertThat(legacy.toNativeReversed(forward.schemaVersion())).isEqualTo(nativeRev);
        assertThat(nativeRev.toNativeReversed(forward.schemaVersion())).isEqualTo(nativeRev);
        assertThat(forward.toNativeReversed(forward.schemaVersion())).isEqualTo(forward);
    }

    @Property(tries = 200)
    void optionMaskRoundTripsAndUnknownBitsAreRejected(@ForAll long mask) {
        long known = (1L << SliceOption.values().length) - 1;
        if ((mask & ~known) != 0) {
            assertThatThrownBy(() -> SliceOptions.fromMask(mask)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown partition-slice option bits");
        } else {
            assertThat(SliceOptions.fromMask(mask).mask()).isEqualTo(mask);
        }
        assertThat(SliceOptions.fromMask(mask & known).mask()).isEqualTo(mask & known);
    }

    // ---- examples ----

    private static final ClusteringSchema S = ClusteringSchema.parse("int, int, int");

    private static ClusteringRange r(String t) {
        return Notation.parseClusteringRange(S, t);
    }

    @Example
    void restrictionPredicateExamples() {
        assertThat(PartitionSlice.hasClusteringRestriction(List.of())).isTrue();
        assertThat(PartitionSlice.hasClusteringRestriction(List.of(ClusteringRange.full()))).isFalse();
        assertThat(PartitionSlice.hasClusteringRestriction(List.of(ClusteringRange.full(), ClusteringRange.full()))).isFalse();
        // covers every row but is two ranges: restricted, in v1 and in v2, and stays so after conversion
        List<ClusteringRange> split = List.of(r("(-inf, (1)]"), r("[(1,1), +inf)"));
        assertThat(PartitionSlice.hasClusteringRestriction(split)).isTrue();
        assertThat(PartitionSliceV2.hasClusteringRestriction(RangeConversions.fromLegacy(split))).isTrue();
        assertThat(ClusteringIntervalSet.fromLegacy(S, split).toLegacy()).containsExactly(ClusteringRange.full());
        // a full range plus a range holding no row: restricted; the empty range survives conversion
        List<ClusteringRange> withEmpty = List.of(ClusteringRange.full(), r("[(1,2,2), (1,2))"));
        PartitionSlice v1 = PartitionSlice.builder().defaultRowRanges(withEmpty).build();
        PartitionSlice back = PartitionSliceV2.fromLegacy(v1).toLegacy(S);
        assertThat(back.defaultRowRanges()).isEqualTo(withEmpty);
        assertThat(back.hasClusteringRestriction(PartitionKey.of())).isTrue();
    }

    @Example
    void reversedSliceExample() {
        PartitionSlice forward = PartitionSlice.builder().defaultRowRanges(r("[(1), (2)]"), r("[(4), (5)]")).build();
        PartitionSlice rev = forward.reversed();
        assertThat(rev.defaultRowRanges()).containsExactly(r("[(5), (4)]"), r("[(2), (1)]"));
        assertThat(rev.isReversed()).isTrue();
        assertThat(PartitionSliceV2.fromLegacy(rev).defaultRowRanges().toString())
                .isEqualTo("[[before(5), after(4)), [before(2), after(1))]");
    }

    @Example
    void splitLimitsAndValidation() {
        PartitionSlice s = PartitionSlice.builder().partitionRowLimit(7, 1).build();
        assertThat(s.partitionRowLimit()).isEqualTo((1L << 32) + 7);
        assertThat(PartitionSlice.builder().build().partitionRowLimitLowBits()).isEqualTo(-1);
        assertThatThrownBy(() -> PartitionSlice.builder().cqlProtocolVersion(2).build())
                .hasMessageContaining("CQL protocol version");
        assertThatThrownBy(() -> PartitionSlice.builder().staticColumns(List.of(-1)).build())
                .hasMessageContaining("column id");
        assertThatThrownBy(() -> PartitionSliceV2.builder().defaultRowRanges(PositionRange.full()).build())
                .hasMessageContaining("non-clustered bound");
        assertThatThrownBy(() -> PartitionSliceV2.builder().defaultRowRanges(PositionRange.of(
                PositionInPartition.forKey(ClusteringPrefix.of(1)), PositionInPartition.afterAllClusteredRows())).build())
                .hasMessageContaining("row position");
        ReadCommand.Builder b = ReadCommand.builder().tableId(UUID.randomUUID()).schemaVersion(UUID.randomUUID())
                .slice(PartitionSlice.builder().build());
        assertThatThrownBy(b::build).isInstanceOf(NullPointerException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> b.timestamp(Instant.ofEpochMilli(1500)).build()).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> b.timestamp(Instant.EPOCH).partitionLimit(1L << 32).build())
                .hasMessageContaining("partition limit");
        ReadCommand c = b.timestamp(Instant.EPOCH).partitionLimit(5).rowLimit(3, 2).build();
        assertThat(c.rowLimit()).isEqualTo((2L << 32) + 3);
        assertThat(c.tombstoneLimit()).isEqualTo(ReadCommand.NO_TOMBSTONE_LIMIT);
        assertThat(c.queryId()).isEqualTo(ReadCommand.NULL_QUERY_ID);
    }
}
