package dev.braid.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Brute-force oracle on a small integer grid: {@value #COLUMNS} int clustering columns, values in
 * {@code [0, }{@value #VALUES}{@code )}. Row sets are sets of full keys encoded as base-VALUES
 * integers in clustering order of the forward key.
 *
 * <p>The position oracle embeds a position into an int array compared lexicographically: region,
 * then each column's value (negated for DESC) padded past the prefix with -BIG (weight -1 or 0)
 * or +BIG (weight +1), then the weight. This is an independent restatement of the order, not a
 * call to the comparator under test.
 */
final class Grid {
    static final int COLUMNS = 3;
    static final int VALUES = 3;
    private static final int BIG = 1000;

    private Grid() {
    }

    static Arbitrary<ClusteringSchema> schemas() {
        return Arbitraries.of(ClusteringOrder.values()).list().ofSize(COLUMNS)
                .map(orders -> ClusteringSchema.of(orders.stream()
                        .map(o -> new ClusteringColumn(ClusteringType.INT, o)).toList()));
    }

    static Arbitrary<ClusteringPrefix> prefixes() {
        return Arbitraries.integers().between(0, VALUES - 1).list().ofMinSize(0).ofMaxSize(COLUMNS)
                .map(ClusteringPrefix::of);
    }

    static Arbitrary<ClusteringPrefix> fullKeys() {
        return Arbitraries.integers().between(0, VALUES - 1).list().ofSize(COLUMNS).map(ClusteringPrefix::of);
    }

    static Arbitrary<ClusteringRange.Bound> bounds() {
        return Combinators.combine(prefixes(), Arbitraries.of(true, false)).as(ClusteringRange.Bound::new);
    }

    static Arbitrary<ClusteringRange> legacyRanges() {
        Arbitrary<ClusteringRange> general = Combinators.combine(
                bounds().optional(0.8), bounds().optional(0.8)).as(ClusteringRange::of);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, general),
                net.jqwik.api.Tuple.of(2, prefixes().map(ClusteringRange::singular)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ClusteringRange.full())));
    }

    static Arbitrary<PositionInPartition> clusteredPositions() {
        return Combinators.combine(prefixes(), Arbitraries.of(BoundWeight.values()))
                .as((k, w) -> PositionInPartition.of(PartitionRegion.CLUSTERED, w, k));
    }

    /** Clustered positions with weight ±1 only (the bounds legacy ranges produce). */
    static Arbitrary<PositionInPartition> boundPositions() {
        return Combinators.combine(prefixes(), Arbitraries.of(BoundWeight.BEFORE_ALL_PREFIXED,
                BoundWeight.AFTER_ALL_PREFIXED)).as((k, w) -> PositionInPartition.of(PartitionRegion.CLUSTERED, w, k));
    }

    static Arbitrary<PositionInPartition> positions() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, clusteredPositions()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(PositionInPartition.partitionStart(),
                        PositionInPartition.staticRow(), PositionInPartition.partitionEnd())));
    }

    static Arbitrary<PositionRange> clusteredRanges() {
        return Combinators.combine(clusteredPositions(), clusteredPositions()).as(PositionRange::of);
    }

    static Arbitrary<PositionRange> boundRanges() {
        return Combinators.combine(boundPositions(), boundPositions()).as(PositionRange::of);
    }

    // ---- enumeration ----

    static List<ClusteringPrefix> allFullKeys() {
        List<ClusteringPrefix> out = new ArrayList<>();
        int n = (int) Math.pow(VALUES, COLUMNS);
        for (int i = 0; i < n; i++) {
            out.add(decode(i));
        }
        return out;
    }

    static List<ClusteringPrefix> allPrefixes() {
        List<ClusteringPrefix> out = new ArrayList<>();
        out.add(ClusteringPrefix.empty());
        List<ClusteringPrefix> level = List.of(ClusteringPrefix.empty());
        for (int len = 1; len <= COLUMNS; len++) {
            List<ClusteringPrefix> next = new ArrayList<>();
            for (ClusteringPrefix p : level) {
                for (int v = 0; v < VALUES; v++) {
                    next.add(p.extend(v));
                }
            }
            out.addAll(next);
            level = next;
        }
        return out;
    }

    /** Every clustered position on the grid. */
    static List<PositionInPartition> allClusteredPositions() {
        List<PositionInPartition> out = new ArrayList<>();
        for (ClusteringPrefix p : allPrefixes()) {
            for (BoundWeight w : BoundWeight.values()) {
                out.add(PositionInPartition.of(PartitionRegion.CLUSTERED, w, p));
            }
        }
        return out;
    }

    static int encode(ClusteringPrefix fullKey) {
        int x = 0;
        for (Object v : fullKey.values()) {
            x = x * VALUES + (Integer) v;
        }
        return x;
    }

    static ClusteringPrefix decode(int x) {
        Object[] vals = new Object[COLUMNS];
        for (int i = COLUMNS - 1; i >= 0; i--) {
            vals[i] = x % VALUES;
            x /= VALUES;
        }
        return ClusteringPrefix.of(vals);
    }

    // ---- oracles ----

    static int[] embed(ClusteringSchema schema, PositionInPartition p) {
        int[] a = new int[COLUMNS + 2];
        a[0] = p.region().code();
        if (!p.isClustered()) {
            return a;
        }
        ClusteringPrefix k = p.key();
        int w = p.weight().value();
        for (int i = 0; i < COLUMNS; i++) {
            if (i < k.size()) {
                int v = (Integer) k.get(i);
                a[i + 1] = schema.column(i).order() == ClusteringOrder.ASC ? v : -v;
            } else {
                a[i + 1] = w > 0 ? BIG : -BIG;
            }
        }
        a[COLUMNS + 1] = w;
        return a;
    }

    static int oracleCompare(ClusteringSchema schema, PositionInPartition p, PositionInPartition q) {
        return Integer.signum(Arrays.compare(embed(schema, p), embed(schema, q)));
    }

    static boolean oracleInRange(ClusteringSchema schema, PositionRange r, PositionInPartition p) {
        return oracleCompare(schema, r.start(), p) <= 0 && oracleCompare(schema, p, r.end()) < 0;
    }

    /** Rows of a position range by brute force. */
    static Set<Integer> rows(ClusteringSchema schema, PositionRange r) {
        Set<Integer> out = new TreeSet<>();
        for (ClusteringPrefix k : allFullKeys()) {
            if (oracleInRange(schema, r, PositionInPartition.forKey(k))) {
                out.add(encode(k));
            }
        }
        return out;
    }

    /** Compares a full key truncated to the bound's length with the bound, column by column. */
    private static int truncatedCompare(ClusteringSchema schema, ClusteringPrefix key, ClusteringPrefix bound) {
        for (int i = 0; i < bound.size(); i++) {
            int c = Integer.compare((Integer) key.get(i), (Integer) bound.get(i));
            if (schema.column(i).order() == ClusteringOrder.DESC) {
                c = -c;
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Whether a legacy range selects a full key: compare the key truncated to each bound's length. */
    static boolean legacySelects(ClusteringSchema schema, ClusteringRange r, ClusteringPrefix key) {
        if (r.isSingular()) {
            return truncatedCompare(schema, key, r.start().orElseThrow().prefix()) == 0;
        }
        Optional<ClusteringRange.Bound> s = r.start();
        Optional<ClusteringRange.Bound> e = r.end();
        if (s.isPresent()) {
            int c = truncatedCompare(schema, key, s.get().prefix());
            if (s.get().inclusive() ? c < 0 : c <= 0) {
                return false;
            }
        }
        if (e.isPresent()) {
            int c = truncatedCompare(schema, key, e.get().prefix());
            if (e.get().inclusive() ? c > 0 : c >= 0) {
                return false;
            }
        }
        return true;
    }

    static Set<Integer> rows(ClusteringSchema schema, ClusteringRange r) {
        Set<Integer> out = new TreeSet<>();
        for (ClusteringPrefix k : allFullKeys()) {
            if (legacySelects(schema, r, k)) {
                out.add(encode(k));
            }
        }
        return out;
    }

    static Set<Integer> rows(ClusteringSchema schema, List<ClusteringRange> ranges) {
        Set<Integer> out = new TreeSet<>();
        for (ClusteringRange r : ranges) {
            out.addAll(rows(schema, r));
        }
        return out;
    }
}
