package dev.braid.query;

import java.util.Objects;
import java.util.Optional;

/**
 * An immutable half-open range {@code [start, end)} of positions: it contains every position
 * {@code p} with {@code start <= p < end}. Any two positions make a range; it is empty when
 * {@code !(start < end)} under the schema. Operations that need an order take the schema.
 *
 * <p>Text form: {@code [before(1), after(2))}.
 */
public final class PositionRange {
    private static final PositionRange FULL =
            new PositionRange(PositionInPartition.staticRow(), PositionInPartition.afterAllClusteredRows());
    private static final PositionRange ALL_CLUSTERED_ROWS = new PositionRange(
            PositionInPartition.beforeAllClusteredRows(), PositionInPartition.afterAllClusteredRows());
    private static final PositionRange FOR_STATIC_ROW =
            new PositionRange(PositionInPartition.staticRow(), PositionInPartition.beforeAllClusteredRows());

    private final PositionInPartition start;
    private final PositionInPartition end;

    private PositionRange(PositionInPartition start, PositionInPartition end) {
        this.start = start;
        this.end = end;
    }

    /** {@code [start, end)}. */
    public static PositionRange of(PositionInPartition start, PositionInPartition end) {
        return new PositionRange(Objects.requireNonNull(start, "start"), Objects.requireNonNull(end, "end"));
    }

    /** {@code [static, after_all)}: the static row and every clustered row. */
    public static PositionRange full() {
        return FULL;
    }

    /** {@code [before_all, after_all)}: every clustered row (the form of an unbounded legacy range). */
    public static PositionRange allClusteredRows() {
        return ALL_CLUSTERED_ROWS;
    }

    /** {@code [static, before_all)}: the static row only. */
    public static PositionRange forStaticRow() {
        return FOR_STATIC_ROW;
    }

    /** The inclusive start. */
    public PositionInPartition start() {
        return start;
    }

    /** The exclusive end. */
    public PositionInPartition end() {
        return end;
    }

    /** Whether the range contains no position: {@code !(start < end)}. */
    public boolean isEmpty(ClusteringSchema schema) {
        return schema.compare(start, end) >= 0;
    }

    /** Whether both bounds are in the clustered region. */
    public boolean isClustered() {
        return start.isClustered() && end.isClustered();
    }

    /**
     * Whether this range is exactly {@code [before_all, after_all)} (structurally, no schema
     * needed). This is the per-range test behind "has a clustering restriction".
     */
    public boolean isAllClusteredRows() {
        return ALL_CLUSTERED_ROWS.equals(this);
    }

    /** {@code start <= pos < end}. */
    public boolean contains(ClusteringSchema schema, PositionInPartition pos) {
        return schema.compare(start, pos) <= 0 && schema.compare(pos, end) < 0;
    }

    /** Whether every position of {@code other} is in this range (an empty {@code other} is contained). */
    public boolean contains(ClusteringSchema schema, PositionRange other) {
        if (other.isEmpty(schema)) {
            return true;
        }
        return schema.compare(start, other.start) <= 0 && schema.compare(other.end, end) <= 0;
    }

    /**
     * Whether the two ranges share at least one position (strict half-open semantics: ranges that
     * merely touch, {@code [a, b)} and {@code [b, c)}, do not overlap; empty ranges overlap nothing).
     */
    public boolean overlaps(ClusteringSchema schema, PositionRange other) {
        return schema.less(schema.max(start, other.start), schema.min(end, other.end));
    }

    /** {@code [max(starts), min(ends))}, or empty if that range contains no position. */
    public Optional<PositionRange> intersection(ClusteringSchema schema, PositionRange other) {
        PositionInPartition s = schema.max(start, other.start);
        PositionInPartition e = schema.min(end, other.end);
        return schema.less(s, e) ? Optional.of(of(s, e)) : Optional.empty();
    }

    /**
     * The native reversed form {@code [end.reversed(), start.reversed())}, to be compared under
     * {@link ClusteringSchema#reversed()}. An involution. It contains the same rows as this range
     * whenever no bound is a weight-0 position on a strict prefix (such a bound has no exact
     * mirror; ranges produced from legacy ranges only have weight ±1 bounds).
     */
    public PositionRange reversed() {
        return new PositionRange(end.reversed(), start.reversed());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PositionRange r && start.equals(r.start) && end.equals(r.end);
    }

    @Override
    public int hashCode() {
        return 31 * start.hashCode() + end.hashCode();
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
