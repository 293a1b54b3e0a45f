package dev.braid.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Conversions between legacy {@link ClusteringRange clustering ranges} and {@link PositionRange
 * position ranges}. Both directions are row-exact: a full clustering key is selected by a legacy
 * range exactly when its row position {@code at(key)} lies in the converted position range, and
 * vice versa.
 */
public final class RangeConversions {
    private RangeConversions() {
    }

    /**
     * The position range of a legacy range: {@code [k} becomes {@code before(k)}, {@code (k}
     * becomes {@code after(k)}, {@code k]} becomes {@code after(k)}, {@code k)} becomes {@code
     * before(k)}, missing bounds become {@code before_all} / {@code after_all}; {@code {x}} becomes
     * {@code [before(x), after(x))}. Inverted legacy ranges such as {@code [(1,1,1), (1,1)]} map to
     * the non-empty {@code [before(1,1,1), after(1,1))}; legacy ranges holding no row map to empty
     * position ranges. Needs no schema.
     */
    public static PositionRange fromLegacy(ClusteringRange range) {
        if (range.isFull()) {
            return PositionRange.allClusteredRows();
        }
        return PositionRange.of(PositionInPartition.forRangeStart(range), PositionInPartition.forRangeEnd(range));
    }

    /** {@link #fromLegacy(ClusteringRange)} of each range, in order (empty results kept). */
    public static List<PositionRange> fromLegacy(List<ClusteringRange> ranges) {
        List<PositionRange> out = new ArrayList<>(ranges.size());
        for (ClusteringRange r : ranges) {
            out.add(fromLegacy(r));
        }
        return List.copyOf(out);
    }

    /**
     * The canonical legacy range holding the same rows as {@code range}, or empty when the range
     * holds no row in any schema-independent sense: it is empty in position space, or it is
     * {@code [before(x), at(x))}.
     *
     * <p>Canonical output: {@code before_all}/{@code after_all} become missing bounds (so {@code
     * [before_all, after_all)} is {@code (-inf, +inf)}); two bounds on the same key become the
     * singular {@code {x}}; otherwise a start of weight -1 or 0 is inclusive and +1 exclusive, an
     * end of weight +1 is inclusive and -1 or 0 exclusive. Inverted results such as {@code
     * [(1,1,1), (1,1)]} are returned as they are.
     *
     * @throws IllegalArgumentException if a bound is not in the clustered region (e.g. {@link
     *     PositionRange#full()} or {@link PositionRange#forStaticRow()}), or a key does not fit the schema
     */
    public static Optional<ClusteringRange> toLegacy(ClusteringSchema schema, PositionRange range) {
        PositionInPartition s = range.start();
        PositionInPartition e = range.end();
        if (!s.isClustered() || !e.isClustered()) {
            throw new IllegalArgumentException("cannot convert " + range
                    + " to a clustering range: both bounds must be clustered positions");
        }
        schema.validate(s.key());
        schema.validate(e.key());
        if (range.isEmpty(schema)) {
            return Optional.empty();
        }
        if (s.key().equals(e.key())) {
            // non-empty with equal keys: start weight < end weight
            if (e.weight() != BoundWeight.AFTER_ALL_PREFIXED) {
                return Optional.empty(); // [before(x), at(x))
            }
            if (s.key().isEmpty() && s.weight() == BoundWeight.BEFORE_ALL_PREFIXED) {
                return Optional.of(ClusteringRange.full());
            }
            return Optional.of(ClusteringRange.singular(s.key()));
        }
        Optional<ClusteringRange.Bound> start = s.isBeforeAllClusteredRows()
                ? Optional.empty()
                : Optional.of(new ClusteringRange.Bound(s.key(), s.weight() != BoundWeight.AFTER_ALL_PREFIXED));
        Optional<ClusteringRange.Bound> end = e.isAfterAllClusteredRows()
                ? Optional.empty()
                : Optional.of(new ClusteringRange.Bound(e.key(), e.weight() == BoundWeight.AFTER_ALL_PREFIXED));
        return Optional.of(ClusteringRange.of(start, end));
    }

    /** {@link #toLegacy(ClusteringSchema, PositionRange)} of each range, in order, dropping those holding no row. */
    public static List<ClusteringRange> toLegacy(ClusteringSchema schema, List<PositionRange> ranges) {
        List<ClusteringRange> out = new ArrayList<>(ranges.size());
        for (PositionRange r : ranges) {
            toLegacy(schema, r).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    /**
     * Converts without dropping: the canonical {@link #toLegacy(ClusteringSchema, PositionRange)}
     * form when the range holds rows, otherwise the bound-by-bound form (start weight -1/0 is
     * inclusive, +1 exclusive; end weight +1 inclusive, -1/0 exclusive; {@code before_all} start
     * and {@code after_all} end unbounded), which holds no row either. Used by slice conversions,
     * which must keep one legacy range per position range so that the "has a clustering
     * restriction" rule sees the same list. For ±1 weights, {@code fromLegacy} of the result gives
     * {@code range} back.
     *
     * @throws IllegalArgumentException if a bound is not clustered or a key does not fit the schema
     */
    public static ClusteringRange toLegacyKeepingEmpty(ClusteringSchema schema, PositionRange range) {
        Optional<ClusteringRange> canonical = toLegacy(schema, range);
        if (canonical.isPresent()) {
            return canonical.get();
        }
        PositionInPartition s = range.start();
        PositionInPartition e = range.end();
        Optional<ClusteringRange.Bound> start = s.isBeforeAllClusteredRows()
                ? Optional.empty()
                : Optional.of(new ClusteringRange.Bound(s.key(), s.weight() != BoundWeight.AFTER_ALL_PREFIXED));
        Optional<ClusteringRange.Bound> end = e.isAfterAllClusteredRows()
                ? Optional.empty()
                : Optional.of(new ClusteringRange.Bound(e.key(), e.weight() == BoundWeight.AFTER_ALL_PREFIXED));
        return ClusteringRange.of(start, end);
    }
}
