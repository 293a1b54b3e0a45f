package dev.braid.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * An immutable set of clustered positions, kept normalized as a list of position ranges that
 * are non-empty, sorted, pairwise disjoint and non-touching (ranges {@code [a, b)} and {@code
 * [b, c)} are merged into {@code [a, c)}).
 *
 * <p>All algebra is done on positions, whose order is total and the same whichever role (start or
 * end) a bound plays; this is what makes union, intersection and difference correct for prefix
 * bounds, inverted legacy ranges and reversed schemas alike. The result depends only on the set
 * of positions covered, never on the order or duplication of inputs.
 */
public final class ClusteringIntervalSet {
    private final ClusteringSchema schema;
    private final List<PositionRange> ranges;

    private ClusteringIntervalSet(ClusteringSchema schema, List<PositionRange> normalized) {
        this.schema = schema;
        this.ranges = normalized;
    }

    /** The empty set. */
    public static ClusteringIntervalSet empty(ClusteringSchema schema) {
        return new ClusteringIntervalSet(schema, List.of());
    }

    /** {@code {[before_all, after_all)}}: every clustered position. */
    public static ClusteringIntervalSet allClusteredRows(ClusteringSchema schema) {
        return new ClusteringIntervalSet(schema, List.of(PositionRange.allClusteredRows()));
    }

    /**
     * The union of the given ranges (empty ones are ignored).
     *
     * @throws IllegalArgumentException if a bound is not clustered or a key does not fit the schema
     */
    public static ClusteringIntervalSet of(ClusteringSchema schema, Collection<PositionRange> ranges) {
        for (PositionRange r : ranges) {
            if (!r.isClustered()) {
                throw new IllegalArgumentException("a clustering interval set holds clustered positions only: " + r);
            }
            schema.validate(r.start());
            schema.validate(r.end());
        }
        return new ClusteringIntervalSet(schema, normalize(schema, new ArrayList<>(ranges)));
    }

    /** The union of the given ranges. */
    public static ClusteringIntervalSet of(ClusteringSchema schema, PositionRange... ranges) {
        return of(schema, Arrays.asList(ranges));
    }

    /** The union of the given legacy ranges, each converted with {@link RangeConversions#fromLegacy}. */
    public static ClusteringIntervalSet fromLegacy(ClusteringSchema schema, Collection<ClusteringRange> ranges) {
        List<PositionRange> list = new ArrayList<>(ranges.size());
        for (ClusteringRange r : ranges) {
            list.add(RangeConversions.fromLegacy(r));
        }
        return of(schema, list);
    }

    private static List<PositionRange> normalize(ClusteringSchema schema, List<PositionRange> in) {
        in.removeIf(r -> r.isEmpty(schema));
        if (in.isEmpty()) {
            return List.of();
        }
        in.sort((a, b) -> schema.compare(a.start(), b.start()));
        List<PositionRange> out = new ArrayList<>(in.size());
        PositionInPartition s = in.get(0).start();
        PositionInPartition e = in.get(0).end();
        for (int i = 1; i < in.size(); i++) {
            PositionRange r = in.get(i);
            if (schema.compare(r.start(), e) <= 0) {
                e = schema.max(e, r.end());
            } else {
                out.add(PositionRange.of(s, e));
                s = r.start();
                e = r.end();
            }
        }
        out.add(PositionRange.of(s, e));
        return Collections.unmodifiableList(out);
    }

    /** The schema ordering this set. */
    public ClusteringSchema schema() {
        return schema;
    }

    /** The normalized ranges, in order. */
    public List<PositionRange> ranges() {
        return ranges;
    }

    /** Whether the set contains no position. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether some member range contains {@code pos}. */
    public boolean contains(PositionInPartition pos) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            PositionRange r = ranges.get(mid);
            if (schema.compare(pos, r.start()) < 0) {
                hi = mid - 1;
            } else if (schema.compare(pos, r.end()) >= 0) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Whether the set shares at least one position with {@code range}. */
    public boolean overlaps(PositionRange range) {
        for (PositionRange r : ranges) {
            if (r.overlaps(schema, range)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every position of {@code range} is in this set. */
    public boolean contains(PositionRange range) {
        if (range.isEmpty(schema)) {
            return true;
        }
        for (PositionRange r : ranges) {
            if (r.contains(schema, range)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every position of this set is in {@code other}. */
    public boolean containedIn(ClusteringIntervalSet other) {
        return difference(other).isEmpty();
    }

    /** The positions in this set or in {@code other}. */
    public ClusteringIntervalSet union(ClusteringIntervalSet other) {
        requireSameSchema(other);
        List<PositionRange> all = new ArrayList<>(ranges.size() + other.ranges.size());
        all.addAll(ranges);
        all.addAll(other.ranges);
        return new ClusteringIntervalSet(schema, normalize(schema, all));
    }

    /**
     * The positions in any of {@code sets}: every member range is collected and the result is
     * normalized once, so n sets of total m ranges take O(m log m) (a fold of {@link #union}
     * would sort again at every step). No sets give the empty set.
     *
     * @throws IllegalArgumentException if a set has another schema
     */
    public static ClusteringIntervalSet unionAll(ClusteringSchema schema, Collection<ClusteringIntervalSet> sets) {
        int total = 0;
        for (ClusteringIntervalSet s : sets) {
            requireSchema(schema, s);
            total += s.ranges.size();
        }
        List<PositionRange> all = new ArrayList<>(total);
        for (ClusteringIntervalSet s : sets) {
            all.addAll(s.ranges);
        }
        return new ClusteringIntervalSet(schema, normalize(schema, all));
    }

    /**
     * The positions in every one of {@code sets}, by a linear merge per set (the running result
     * only shrinks): O(total ranges). No sets give {@link #allClusteredRows}.
     *
     * @throws IllegalArgumentException if a set has another schema
     */
    public static ClusteringIntervalSet intersectionAll(ClusteringSchema schema,
            Collection<ClusteringIntervalSet> sets) {
        ClusteringIntervalSet acc = allClusteredRows(schema);
        for (ClusteringIntervalSet s : sets) {
            requireSchema(schema, s);
            if (acc.isEmpty()) {
                break;
            }
            acc = acc.intersection(s);
        }
        return acc;
    }

    /**
     * The positions in this set and in none of {@code others}: the others are united once
     * ({@link #unionAll}) and subtracted in one linear pass.
     *
     * @throws IllegalArgumentException if a set has another schema
     */
    public ClusteringIntervalSet differenceAll(Collection<ClusteringIntervalSet> others) {
        return difference(unionAll(schema, others));
    }

    /** The positions in both this set and {@code other}. */
    public ClusteringIntervalSet intersection(ClusteringIntervalSet other) {
        requireSameSchema(other);
        List<PositionRange> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < ranges.size() && j < other.ranges.size()) {
            PositionRange a = ranges.get(i);
            PositionRange b = other.ranges.get(j);
            a.intersection(schema, b).ifPresent(out::add);
            if (schema.compare(a.end(), b.end()) < 0) {
                i++;
            } else {
                j++;
            }
        }
        return new ClusteringIntervalSet(schema, normalize(schema, out));
    }

    /** The positions in this set and not in {@code other}. */
    public ClusteringIntervalSet difference(ClusteringIntervalSet other) {
        requireSameSchema(other);
        List<PositionRange> out = new ArrayList<>();
        int j = 0;
        for (PositionRange a : ranges) {
            PositionInPartition cur = a.start();
            while (j < other.ranges.size() && schema.compare(other.ranges.get(j).end(), cur) <= 0) {
                j++;
            }
            int k = j;
            while (k < other.ranges.size() && schema.compare(other.ranges.get(k).start(), a.end()) < 0) {
                PositionRange b = other.ranges.get(k);
                if (schema.compare(cur, b.start()) < 0) {
                    out.add(PositionRange.of(cur, b.start()));
                }
                cur = schema.max(cur, b.end());
                k++;
            }
            if (schema.compare(cur, a.end()) < 0) {
                out.add(PositionRange.of(cur, a.end()));
            }
        }
        return new ClusteringIntervalSet(schema, normalize(schema, out));
    }

    /** The same positions in native reversed form, under {@link ClusteringSchema#reversed()}. */
    public ClusteringIntervalSet reversed() {
        List<PositionRange> out = new ArrayList<>(ranges.size());
        for (int i = ranges.size() - 1; i >= 0; i--) {
            out.add(ranges.get(i).reversed());
        }
        ClusteringSchema rs = schema.reversed();
        return new ClusteringIntervalSet(rs, normalize(rs, out));
    }

    /**
     * The set as canonical legacy ranges, one per member (members holding no row are dropped), in
     * order: see {@link RangeConversions#toLegacy(ClusteringSchema, PositionRange)}.
     */
    public List<ClusteringRange> toLegacy() {
        return RangeConversions.toLegacy(schema, ranges);
    }

    private void requireSameSchema(ClusteringIntervalSet other) {
        requireSchema(schema, other);
    }

    private static void requireSchema(ClusteringSchema schema, ClusteringIntervalSet other) {
        if (!schema.equals(other.schema)) {
            throw new IllegalArgumentException("interval sets of different schemas: " + schema + " vs " + other.schema);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusteringIntervalSet s && schema.equals(s.schema) && ranges.equals(s.ranges);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + ranges.hashCode();
    }

    /** E.g. {@code {[before(1), after(2)), [before(5), after_all)}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < ranges.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(ranges.get(i));
        }
        return b.append('}').toString();
    }
}
