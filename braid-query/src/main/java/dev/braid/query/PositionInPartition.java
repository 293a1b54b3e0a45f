package dev.braid.query;

import java.util.Objects;

/**
 * An immutable position in a partition: a {@link PartitionRegion region}, and for the clustered
 * region a {@link ClusteringPrefix key prefix} with a {@link BoundWeight bound weight}.
 *
 * <p>Positions are totally ordered by {@link ClusteringSchema#compare(PositionInPartition,
 * PositionInPartition)}: region first; keyless positions in one region are equal; clustered
 * positions compare their common components column by column and, on a tie, by weight if the
 * prefixes have equal length, otherwise the shorter one sorts before all its extensions when its
 * weight is -1 or 0 and after them when it is +1.
 *
 * <p>Text form: {@code partition_start}, {@code static}, {@code before_all} (= {@code before()}),
 * {@code before(1,2)}, {@code at(1,2,3)}, {@code after(1)}, {@code after_all} (= {@code after()}),
 * {@code partition_end}.
 *
 * <p>{@link #equals} is structural (region, weight, prefix values), which agrees with the schema
 * comparator returning 0 for the supported value types.
 */
public final class PositionInPartition {
    private static final PositionInPartition PARTITION_START =
            new PositionInPartition(PartitionRegion.PARTITION_START, BoundWeight.EQUAL, null);
    private static final PositionInPartition STATIC_ROW =
            new PositionInPartition(PartitionRegion.STATIC_ROW, BoundWeight.EQUAL, null);
    private static final PositionInPartition PARTITION_END =
            new PositionInPartition(PartitionRegion.PARTITION_END, BoundWeight.EQUAL, null);
    private static final PositionInPartition BEFORE_ALL_CLUSTERED = new PositionInPartition(
            PartitionRegion.CLUSTERED, BoundWeight.BEFORE_ALL_PREFIXED, ClusteringPrefix.empty());
    private static final PositionInPartition AFTER_ALL_CLUSTERED = new PositionInPartition(
            PartitionRegion.CLUSTERED, BoundWeight.AFTER_ALL_PREFIXED, ClusteringPrefix.empty());

    private final PartitionRegion region;
    private final BoundWeight weight;
    private final ClusteringPrefix key;

    private PositionInPartition(PartitionRegion region, BoundWeight weight, ClusteringPrefix key) {
        this.region = region;
        this.weight = weight;
        this.key = key;
    }

    /**
     * A position from its components (as decoded from the wire).
     *
     * @param region the region
     * @param weight the bound weight; must be {@link BoundWeight#EQUAL} outside the clustered region
     * @param key    the key prefix; required in the clustered region and forbidden elsewhere
     * @throws IllegalArgumentException if the components are inconsistent
     */
    public static PositionInPartition of(PartitionRegion region, BoundWeight weight, ClusteringPrefix key) {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(weight, "weight");
        if (region == PartitionRegion.CLUSTERED) {
            if (key == null) {
                throw new IllegalArgumentException("a clustered position needs a key prefix");
            }
            return new PositionInPartition(region, weight, key);
        }
        if (key != null) {
            throw new IllegalArgumentException("a " + region + " position cannot have a key prefix");
        }
        if (weight != BoundWeight.EQUAL) {
            throw new IllegalArgumentException("a " + region + " position must have weight 0, got " + weight.value());
        }
        switch (region) {
            case PARTITION_START:
                return PARTITION_START;
            case STATIC_ROW:
                return STATIC_ROW;
            default:
                return PARTITION_END;
        }
    }

    /** The start of the partition, before the static row. */
    public static PositionInPartition partitionStart() {
        return PARTITION_START;
    }

    /** The static row. */
    public static PositionInPartition staticRow() {
        return STATIC_ROW;
    }

    /** The end of the partition, after every clustered position. */
    public static PositionInPartition partitionEnd() {
        return PARTITION_END;
    }

    /** {@code before()}: below every clustered position, above the static row. */
    public static PositionInPartition beforeAllClusteredRows() {
        return BEFORE_ALL_CLUSTERED;
    }

    /** {@code after()}: above every clustered position, below the partition end. */
    public static PositionInPartition afterAllClusteredRows() {
        return AFTER_ALL_CLUSTERED;
    }

    /** {@code at(key)}: the row with exactly this key (weight 0). */
    public static PositionInPartition forKey(ClusteringPrefix key) {
        return new PositionInPartition(PartitionRegion.CLUSTERED, BoundWeight.EQUAL, Objects.requireNonNull(key, "key"));
    }

    /** {@code before(key)}: just before {@code key} and every key it prefixes (weight -1). */
    public static PositionInPartition beforeKey(ClusteringPrefix key) {
        return new PositionInPartition(PartitionRegion.CLUSTERED, BoundWeight.BEFORE_ALL_PREFIXED,
                Objects.requireNonNull(key, "key"));
    }

    /** {@code after(key)}: just after {@code key} and every key it prefixes (weight +1), without padding. */
    public static PositionInPartition afterAllPrefixed(ClusteringPrefix key) {
        return new PositionInPartition(PartitionRegion.CLUSTERED, BoundWeight.AFTER_ALL_PREFIXED,
                Objects.requireNonNull(key, "key"));
    }

    /** If {@code pos} has weight 0, the same key with weight -1; otherwise {@code pos} itself. */
    public static PositionInPartition beforeKey(PositionInPartition pos) {
        return pos.weight == BoundWeight.EQUAL && pos.key != null ? beforeKey(pos.key) : pos;
    }

    /**
     * Just after the row {@code key}. For a full key this is {@code after(key)}. For a strict
     * prefix (rows of dense tables) the key is padded to full length with each column's
     * zero-length value ({@link ClusteringType#emptyValue()}) and the weight is -1: just after the row with the prefix key but before
     * any key extending it with non-empty values.
     */
    public static PositionInPartition afterKey(ClusteringSchema schema, ClusteringPrefix key) {
        schema.validate(key);
        if (key.size() == schema.size()) {
            return afterAllPrefixed(key);
        }
        return beforeKey(key.padWithEmpty(schema));
    }

    /** If {@code pos} has weight 0, {@link #afterKey(ClusteringSchema, ClusteringPrefix)}; otherwise {@code pos}. */
    public static PositionInPartition afterKey(ClusteringSchema schema, PositionInPartition pos) {
        return pos.weight == BoundWeight.EQUAL && pos.key != null ? afterKey(schema, pos.key) : pos;
    }

    /**
     * The position where a legacy range starts: {@code [k} gives {@code before(k)}, {@code (k}
     * gives {@code after(k)}, no start bound gives {@code before_all}.
     */
    public static PositionInPartition forRangeStart(ClusteringRange range) {
        return range.start().map(b -> b.inclusive() ? beforeKey(b.prefix()) : afterAllPrefixed(b.prefix()))
                .orElse(BEFORE_ALL_CLUSTERED);
    }

    /**
     * The position where a legacy range ends (exclusive): {@code k]} gives {@code after(k)},
     * {@code k)} gives {@code before(k)}, no end bound gives {@code after_all}. For a singular
     * range the end bound is its start bound.
     */
    public static PositionInPartition forRangeEnd(ClusteringRange range) {
        return range.end().map(b -> b.inclusive() ? afterAllPrefixed(b.prefix()) : beforeKey(b.prefix()))
                .orElse(AFTER_ALL_CLUSTERED);
    }

    /** The region. */
    public PartitionRegion region() {
        return region;
    }

    /** The bound weight ({@link BoundWeight#EQUAL} outside the clustered region). */
    public BoundWeight weight() {
        return weight;
    }

    /** The key prefix, or {@code null} outside the clustered region. */
    public ClusteringPrefix key() {
        return key;
    }

    /** Whether this position is in the clustered region (and so has a key). */
    public boolean isClustered() {
        return region == PartitionRegion.CLUSTERED;
    }

    /** Clustered with weight 0: a row position (a real row when the key is full). */
    public boolean isClusteringRow() {
        return region == PartitionRegion.CLUSTERED && weight == BoundWeight.EQUAL;
    }

    /** Whether no clustered position is below this one: a region before clustered, or {@code before_all}. */
    public boolean isBeforeAllClusteredRows() {
        return region.compareTo(PartitionRegion.CLUSTERED) < 0
                || (region == PartitionRegion.CLUSTERED && key.isEmpty() && weight == BoundWeight.BEFORE_ALL_PREFIXED);
    }

    /** Whether no clustered position is above this one: partition end, or {@code after_all}. */
    public boolean isAfterAllClusteredRows() {
        return region == PartitionRegion.PARTITION_END
                || (region == PartitionRegion.CLUSTERED && key.isEmpty() && weight == BoundWeight.AFTER_ALL_PREFIXED);
    }

    /**
     * The same position with the weight negated, meant to be compared under {@link
     * ClusteringSchema#reversed()}. An involution. For weight ±1 and for weight 0 on a full key,
     * {@code reversedSchema.compare(p.reversed(), q.reversed()) == schema.compare(q, p)}. A weight-0
     * position on a strict prefix has no exact mirror (it sorts before its extensions in both
     * directions); see {@link PositionRange#reversed()}.
     */
    public PositionInPartition reversed() {
        if (region != PartitionRegion.CLUSTERED || weight == BoundWeight.EQUAL) {
            return this;
        }
        return new PositionInPartition(region, weight.negate(), key);
    }

    /**
     * The legacy start bound equal to this position: weight -1 gives inclusive, +1 exclusive.
     *
     * @throws IllegalStateException if not clustered or weight is 0
     */
    public ClusteringRange.Bound asStartBound() {
        requireBound();
        return new ClusteringRange.Bound(key, weight == BoundWeight.BEFORE_ALL_PREFIXED);
    }

    /**
     * The legacy end bound equal to this position: weight +1 gives inclusive, -1 exclusive.
     *
     * @throws IllegalStateException if not clustered or weight is 0
     */
    public ClusteringRange.Bound asEndBound() {
        requireBound();
        return new ClusteringRange.Bound(key, weight == BoundWeight.AFTER_ALL_PREFIXED);
    }

    private void requireBound() {
        if (region != PartitionRegion.CLUSTERED || weight == BoundWeight.EQUAL) {
            throw new IllegalStateException(this + " is not a clustering bound (needs a clustered position with weight -1 or +1)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionInPartition p && region == p.region && weight == p.weight
                && Objects.equals(key, p.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(region, weight, key);
    }

    @Override
    public String toString() {
        switch (region) {
            case PARTITION_START:
                return "partition_start";
            case STATIC_ROW:
                return "static";
            case PARTITION_END:
                return "partition_end";
            default:
                break;
        }
        if (key.isEmpty() && weight == BoundWeight.BEFORE_ALL_PREFIXED) {
            return "before_all";
        }
        if (key.isEmpty() && weight == BoundWeight.AFTER_ALL_PREFIXED) {
            return "after_all";
        }
        String name = weight == BoundWeight.BEFORE_ALL_PREFIXED ? "before" : weight == BoundWeight.EQUAL ? "at" : "after";
        return name + key;
    }
}
