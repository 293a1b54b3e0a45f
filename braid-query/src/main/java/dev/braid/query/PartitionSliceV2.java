package dev.braid.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The v2 partition slice: as {@link PartitionSlice} but every row range, default and specific,
 * is a {@link PositionRange}. Immutable; build with {@link #builder()}.
 *
 * <p>Rules for row ranges (checked by the builder and so on decode):
 * <ul>
 *   <li>both bounds are clustered positions with weight -1 or +1 (bounds between rows; every
 *       legacy range has such a form, and these bounds reverse exactly);</li>
 *   <li>ranges are kept as sent: an empty range is allowed (it selects nothing) and the list is
 *       not normalized, so that {@link #hasClusteringRestriction(List)} sees the same list as
 *       the v1 form.</li>
 * </ul>
 *
 * <p>A v2 slice is always in native reversed layout when {@link SliceOption#REVERSED} is set:
 * ranges in reverse order, each {@code [s, e)} stored as {@code [e.reversed(), s.reversed())},
 * read under {@link ClusteringSchema#reversed()}.
 */
public final class PartitionSliceV2 {
    private final List<PositionRange> defaultRowRanges;
    private final List<Integer> staticColumns;
    private final List<Integer> regularColumns;
    private final SliceOptions options;
    private final SpecificRangesV2 specificRanges;
    private final int cqlProtocolVersion;
    private final long partitionRowLimit;

    private PartitionSliceV2(Builder b) {
        this.defaultRowRanges = b.defaultRowRanges;
        this.staticColumns = b.staticColumns;
        this.regularColumns = b.regularColumns;
        this.options = b.options;
        this.specificRanges = b.specificRanges;
        this.cqlProtocolVersion = b.cqlProtocolVersion;
        this.partitionRowLimit = b.partitionRowLimit;
    }

    /** A builder with defaults: no ranges, no columns, no options, protocol 4, no row limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialized from this slice. */
    public Builder toBuilder() {
        return new Builder().defaultRowRanges(defaultRowRanges).staticColumns(staticColumns)
                .regularColumns(regularColumns).options(options).specificRanges(specificRanges)
                .cqlProtocolVersion(cqlProtocolVersion).partitionRowLimit(partitionRowLimit);
    }

    /**
     * The v2 form of a v1 slice: every range (default and specific) converted with {@link
     * RangeConversions#fromLegacy(ClusteringRange)}, in order, none dropped; all other fields
     * copied. Needs no schema. A reversed v1 slice must be in native layout (see {@link
     * PartitionSlice#legacyReversedToNative()}).
     */
    public static PartitionSliceV2 fromLegacy(PartitionSlice slice) {
        Builder b = builder().defaultRowRanges(RangeConversions.fromLegacy(slice.defaultRowRanges()))
                .staticColumns(slice.staticColumns()).regularColumns(slice.regularColumns())
                .options(slice.options()).cqlProtocolVersion(slice.cqlProtocolVersion())
                .partitionRowLimit(slice.partitionRowLimit());
        slice.specificRanges().ifPresent(s -> b.specificRanges(
                new SpecificRangesV2(s.partitionKey(), RangeConversions.fromLegacy(s.ranges()))));
        return b.build();
    }

    /**
     * The v1 form: each range converted with {@link RangeConversions#toLegacyKeepingEmpty}
     * (canonical legacy ranges; ranges holding no row keep a bound-by-bound form instead of
     * being dropped), all other fields copied.
     *
     * @param schema the schema the slice is expressed in (the reversed schema for a reversed slice)
     */
    public PartitionSlice toLegacy(ClusteringSchema schema) {
        PartitionSlice.Builder b = PartitionSlice.builder().defaultRowRanges(toLegacy(schema, defaultRowRanges))
                .staticColumns(staticColumns).regularColumns(regularColumns).options(options)
                .cqlProtocolVersion(cqlProtocolVersion).partitionRowLimit(partitionRowLimit);
        if (specificRanges != null) {
            b.specificRanges(new SpecificRanges(specificRanges.partitionKey(), toLegacy(schema, specificRanges.ranges())));
        }
        return b.build();
    }

    private static List<ClusteringRange> toLegacy(ClusteringSchema schema, List<PositionRange> ranges) {
        List<ClusteringRange> out = new ArrayList<>(ranges.size());
        for (PositionRange r : ranges) {
            out.add(RangeConversions.toLegacyKeepingEmpty(schema, r));
        }
        return out;
    }

    /** The row ranges used for every partition without a specific override. */
    public List<PositionRange> defaultRowRanges() {
        return defaultRowRanges;
    }

    /** Selected static column ids. */
    public List<Integer> staticColumns() {
        return staticColumns;
    }

    /** Selected regular column ids, in result order. */
    public List<Integer> regularColumns() {
        return regularColumns;
    }

    /** The options. */
    public SliceOptions options() {
        return options;
    }

    /** The per-partition override, if any. */
    public Optional<SpecificRangesV2> specificRanges() {
        return Optional.ofNullable(specificRanges);
    }

    /** The CQL protocol version field. */
    public int cqlProtocolVersion() {
        return cqlProtocolVersion;
    }

    /** The per-partition row limit, unsigned 64-bit ({@code -1} = unlimited). */
    public long partitionRowLimit() {
        return partitionRowLimit;
    }

    /** Low 32 bits of the per-partition row limit. */
    public int partitionRowLimitLowBits() {
        return (int) partitionRowLimit;
    }

    /** High 32 bits of the per-partition row limit. */
    public int partitionRowLimitHighBits() {
        return (int) (partitionRowLimit >>> 32);
    }

    /** Whether {@link SliceOption#REVERSED} is set. */
    public boolean isReversed() {
        return options.contains(SliceOption.REVERSED);
    }

    /** The ranges for partition {@code key}: the specific ones if they are for that key, else the default ones. */
    public List<PositionRange> rowRanges(PartitionKey key) {
        return specificRanges != null && specificRanges.partitionKey().equals(key)
                ? specificRanges.ranges() : defaultRowRanges;
    }

    /**
     * Whether the ranges restrict clustering rows (input of the static-row rule), per range as
     * sent: unrestricted iff the list is non-empty and every range is exactly {@code [before_all,
     * after_all)}. Same answer as {@link PartitionSlice#hasClusteringRestriction(List)} on the
     * legacy form, in both conversion directions.
     */
    public static boolean hasClusteringRestriction(List<PositionRange> ranges) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (PositionRange r : ranges) {
            if (!r.isAllClusteredRows()) {
                return true;
            }
        }
        return false;
    }

    /** {@link #hasClusteringRestriction(List)} of the ranges for partition {@code key}. */
    public boolean hasClusteringRestriction(PartitionKey key) {
        return hasClusteringRestriction(rowRanges(key));
    }

    /**
     * The native reversal: reverses the order of the default and specific ranges, turns each
     * {@code [s, e)} into {@code [e.reversed(), s.reversed())} and toggles {@link
     * SliceOption#REVERSED}. An involution; each range keeps its rows under the reversed schema.
     */
    public PartitionSliceV2 reversed() {
        return toBuilder().defaultRowRanges(reverseRanges(defaultRowRanges))
                .specificRanges(specificRanges == null ? null : specificRanges.reversed())
                .options(options.toggle(SliceOption.REVERSED)).build();
    }

    static List<PositionRange> reverseRanges(List<PositionRange> ranges) {
        List<PositionRange> out = new ArrayList<>(ranges.size());
        for (PositionRange r : ranges) {
            out.add(r.reversed());
        }
        Collections.reverse(out);
        return out;
    }

    static void validateRanges(List<PositionRange> ranges) {
        for (PositionRange r : ranges) {
            Objects.requireNonNull(r, "range");
            requireBound(r, r.start());
            requireBound(r, r.end());
        }
    }

    private static void requireBound(PositionRange r, PositionInPartition p) {
        if (!p.isClustered()) {
            throw new IllegalArgumentException("row range " + r + " has a non-clustered bound " + p);
        }
        if (p.weight() == BoundWeight.EQUAL) {
            throw new IllegalArgumentException("row range " + r + " has a row position " + p
                    + " as a bound; use before(..) or after(..)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionSliceV2 s && defaultRowRanges.equals(s.defaultRowRanges)
                && staticColumns.equals(s.staticColumns) && regularColumns.equals(s.regularColumns)
                && options.equals(s.options) && Objects.equals(specificRanges, s.specificRanges)
                && cqlProtocolVersion == s.cqlProtocolVersion && partitionRowLimit == s.partitionRowLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultRowRanges, staticColumns, regularColumns, options, specificRanges,
                cqlProtocolVersion, partitionRowLimit);
    }

    @Override
    public String toString() {
        return "PartitionSliceV2{ranges=" + defaultRowRanges + ", static=" + staticColumns + ", regular="
                + regularColumns + ", options=" + options + (specificRanges == null ? "" : ", specific=" + specificRanges)
                + ", partitionRowLimit=" + Long.toUnsignedString(partitionRowLimit) + "}";
    }

    /** Builds {@link PartitionSliceV2}s; {@link #build()} validates. */
    public static final class Builder {
        private List<PositionRange> defaultRowRanges = List.of();
        private List<Integer> staticColumns = List.of();
        private List<Integer> regularColumns = List.of();
        private SliceOptions options = SliceOptions.none();
        private SpecificRangesV2 specificRanges;
        private int cqlProtocolVersion = PartitionSlice.DEFAULT_CQL_PROTOCOL_VERSION;
        private long partitionRowLimit = PartitionSlice.NO_PARTITION_ROW_LIMIT;

        private Builder() {
        }

        /** Sets the default row ranges. */
        public Builder defaultRowRanges(List<PositionRange> ranges) {
            this.defaultRowRanges = List.copyOf(ranges);
            return this;
        }

        /** Sets the default row ranges. */
        public Builder defaultRowRanges(PositionRange... ranges) {
            return defaultRowRanges(List.of(ranges));
        }

        /** Sets the static column ids. */
        public Builder staticColumns(List<Integer> ids) {
            this.staticColumns = List.copyOf(ids);
            return this;
        }

        /** Sets the regular column ids. */
        public Builder regularColumns(List<Integer> ids) {
            this.regularColumns = List.copyOf(ids);
            return this;
        }

        /** Sets the options. */
        public Builder options(SliceOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Sets (or clears, with null) the per-partition override. */
        public Builder specificRanges(SpecificRangesV2 specific) {
            this.specificRanges = specific;
            return this;
        }

        /** Sets the CQL protocol version (3..255). */
        public Builder cqlProtocolVersion(int version) {
            this.cqlProtocolVersion = version;
            return this;
        }

        /** Sets the per-partition row limit (unsigned 64-bit). */
        public Builder partitionRowLimit(long limit) {
            this.partitionRowLimit = limit;
            return this;
        }

        /** Sets the per-partition row limit from its two wire halves. */
        public Builder partitionRowLimit(int lowBits, int highBits) {
            this.partitionRowLimit = ((long) highBits << 32) | (lowBits & 0xFFFF_FFFFL);
            return this;
        }

        /**
         * Builds the slice.
         *
         * @throws IllegalArgumentException for a bad row range, column id or protocol version
         */
        public PartitionSliceV2 build() {
            validateRanges(defaultRowRanges);
            PartitionSlice.validateColumns("static", staticColumns);
            PartitionSlice.validateColumns("regular", regularColumns);
            if (cqlProtocolVersion < 3 || cqlProtocolVersion > 255) {
                throw new IllegalArgumentException("CQL protocol version must be 3..255, got " + cqlProtocolVersion);
            }
            return new PartitionSliceV2(this);
        }
    }
}
