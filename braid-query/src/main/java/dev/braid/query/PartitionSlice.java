package dev.braid.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The v1 partition slice: which rows (legacy clustering ranges) and columns of each partition a
 * read returns. Immutable; build with {@link #builder()}. Ranges are kept exactly as given (no
 * validation, no normalization), as v1 peers send them.
 *
 * <p>A reversed slice ({@link SliceOption#REVERSED}) is in native reversed layout: ranges are
 * listed in reverse order and each range has its bounds swapped, to be read under {@link
 * ClusteringSchema#reversed()}.
 */
public final class PartitionSlice {
    /** The only CQL protocol version carried (kept for wire compatibility). */
    public static final int DEFAULT_CQL_PROTOCOL_VERSION = 4;
    /** Default per-partition row limit: unlimited (2^64 - 1 as unsigned). */
    public static final long NO_PARTITION_ROW_LIMIT = -1L;

    private final List<ClusteringRange> defaultRowRanges;
    private final List<Integer> staticColumns;
    private final List<Integer> regularColumns;
    private final SliceOptions options;
    private final SpecificRanges specificRanges;
    private final int cqlProtocolVersion;
    private final long partitionRowLimit;

    private PartitionSlice(Builder b) {
        this.defaultRowRanges = List.copyOf(b.defaultRowRanges);
        this.staticColumns = List.copyOf(b.staticColumns);
        this.regularColumns = List.copyOf(b.regularColumns);
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

    /** The row ranges used for every partition without a specific override. */
    public List<ClusteringRange> defaultRowRanges() {
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
    public Optional<SpecificRanges> specificRanges() {
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

    /** Low 32 bits of the per-partition row limit, as on the wire. */
    public int partitionRowLimitLowBits() {
        return (int) partitionRowLimit;
    }

    /** High 32 bits of the per-partition row limit, as on the wire. */
    public int partitionRowLimitHighBits() {
        return (int) (partitionRowLimit >>> 32);
    }

    /** Whether {@link SliceOption#REVERSED} is set. */
    public boolean isReversed() {
        return options.contains(SliceOption.REVERSED);
    }

    /** The ranges for partition {@code key}: the specific ones if they are for that key, else the default ones. */
    public List<ClusteringRange> rowRanges(PartitionKey key) {
        return specificRanges != null && specificRanges.partitionKey().equals(key)
                ? specificRanges.ranges() : defaultRowRanges;
    }

    /**
     * Whether the ranges restrict clustering rows, the input of the static-row rule: a
     * partition without matching rows returns its static row only if the slice has no clustering
     * restriction (or {@link SliceOption#ALWAYS_RETURN_STATIC_CONTENT}). Evaluated per range as
     * sent, without merging: unrestricted iff the list is non-empty and every range selects
     * every clustered position, i.e. converts to exactly {@link PositionRange#allClusteredRows()}
     * ({@code (-inf, +inf)}, or bounds that are the empty prefix, inclusive). An empty list
     * restricts everything. {@code {(-inf,(1)], [(1),+inf)}} is restricted even though it covers
     * every row. Gives the same answer as {@link PartitionSliceV2#hasClusteringRestriction(List)}
     * on the converted list.
     */
    public static boolean hasClusteringRestriction(List<ClusteringRange> ranges) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (ClusteringRange r : ranges) {
            if (!RangeConversions.fromLegacy(r).isAllClusteredRows()) {
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
     * The native reversal: reverses the order of the default and specific ranges, swaps each
     * range's bounds and toggles {@link SliceOption#REVERSED}. An involution.
     */
    public PartitionSlice reversed() {
        return toBuilder().defaultRowRanges(reverseRanges(defaultRowRanges))
                .specificRanges(specificRanges == null ? null : specificRanges.reversed())
                .options(options.toggle(SliceOption.REVERSED)).build();
    }

    /**
     * Converts a reversed slice in the legacy "half-reversed" layout (ranges in reverse order but
     * bounds not swapped) to the native layout by swapping each range's bounds.
     *
     * @throws IllegalStateException if the slice is not reversed
     */
    public PartitionSlice legacyReversedToNative() {
        if (!isReversed()) {
            throw new IllegalStateException("not a reversed slice");
        }
        return toBuilder().defaultRowRanges(defaultRowRanges.stream().map(ClusteringRange::reverse).toList())
                .specificRanges(specificRanges == null ? null : new SpecificRanges(specificRanges.partitionKey(),
                        specificRanges.ranges().stream().map(ClusteringRange::reverse).toList()))
                .build();
    }

    static List<ClusteringRange> reverseRanges(List<ClusteringRange> ranges) {
        List<ClusteringRange> out = new ArrayList<>(ranges.size());
        for (ClusteringRange r : ranges) {
            out.add(r.reverse());
        }
        Collections.reverse(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionSlice s && defaultRowRanges.equals(s.defaultRowRanges)
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
        return "PartitionSlice{ranges=" + defaultRowRanges + ", static=" + staticColumns + ", regular="
                + regularColumns + ", options=" + options + (specificRanges == null ? "" : ", specific=" + specificRanges)
                + ", partitionRowLimit=" + Long.toUnsignedString(partitionRowLimit) + "}";
    }

    /** Builds {@link PartitionSlice}s; {@link #build()} validates. */
    public static final class Builder {
        private List<ClusteringRange> defaultRowRanges = List.of();
        private List<Integer> staticColumns = List.of();
        private List<Integer> regularColumns = List.of();
        private SliceOptions options = SliceOptions.none();
        private SpecificRanges specificRanges;
        private int cqlProtocolVersion = DEFAULT_CQL_PROTOCOL_VERSION;
        private long partitionRowLimit = NO_PARTITION_ROW_LIMIT;

        private Builder() {
        }

        /** Sets the default row ranges. */
        public Builder defaultRowRanges(List<ClusteringRange> ranges) {
            this.defaultRowRanges = List.copyOf(ranges);
            return this;
        }

        /** Sets the default row ranges. */
        public Builder defaultRowRanges(ClusteringRange... ranges) {
            return defaultRowRanges(List.of(ranges));
        }

        /** Sets the static column ids (each must be &gt;= 0). */
        public Builder staticColumns(List<Integer> ids) {
            this.staticColumns = List.copyOf(ids);
            return this;
        }

        /** Sets the regular column ids (each must be &gt;= 0). */
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
        public Builder specificRanges(SpecificRanges specific) {
            this.specificRanges = specific;
            return this;
        }

        /** Sets the CQL protocol version (3..255). */
        public Builder cqlProtocolVersion(int version) {
            this.cqlProtocolVersion = version;
            return this;
        }

        /** Sets the per-partition row limit (unsigned 64-bit; {@code -1} = unlimited). */
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
         * @throws IllegalArgumentException for a negative column id or a protocol version outside 3..255
         */
        public PartitionSlice build() {
            validateColumns("static", staticColumns);
            validateColumns("regular", regularColumns);
            if (cqlProtocolVersion < 3 || cqlProtocolVersion > 255) {
                throw new IllegalArgumentException("CQL protocol version must be 3..255, got " + cqlProtocolVersion);
            }
            return new PartitionSlice(this);
        }
    }

    static void validateColumns(String kind, List<Integer> ids) {
        for (Integer id : ids) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException(kind + " column id must be a non-negative integer, got " + id);
            }
        }
    }
}
