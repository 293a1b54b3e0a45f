package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IntervalSetProperties {
    @Provide
    Arbitrary<ClusteringSchema> schemas() {
        return Grid.schemas();
    }

    @Provide
    Arbitrary<List<ClusteringRange>> legacyLists() {
        return Grid.legacyRanges().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<PositionRange>> rangeLists() {
        return Grid.clusteredRanges().list().ofMaxSize(4);
    }

    private static boolean inAny(ClusteringSchema s, List<PositionRange> rs, PositionInPartition p) {
        for (PositionRange r : rs) {
            if (Grid.oracleInRange(s, r, p)) {
                return true;
            }
        }
        return false;
    }

    private static void assertMembership(ClusteringSchema s, ClusteringIntervalSet set, List<PositionRange> a,
            List<PositionRange> b, BiPredicate<Boolean, Boolean> op) {
        for (PositionInPartition p : Grid.allClusteredPositions()) {
            assertThat(set.contains(p)).as("%s contains %s", set, p).isEqualTo(op.test(inAny(s, a, p), inAny(s, b, p)));
        }
    }

    private static void assertNormalized(ClusteringSchema s, ClusteringIntervalSet set) {
        List<PositionRange> rs = set.ranges();
        for (int i = 0; i < rs.size(); i++) {
            assertThat(rs.get(i).isEmpty(s)).isFalse();
            if (i > 0) {
                // sorted, disjoint and not touching: previous end strictly below next start
                assertThat(s.compare(rs.get(i - 1).end(), rs.get(i).start())).isNegative();
            }
        }
    }

    @Property(tries = 300)
    void setOperationsAgreeWithTheOracleOnEveryGridPosition(@ForAll("schemas") ClusteringSchema s,
            @ForAll("rangeLists") List<PositionRange> a, @ForAll("rangeLists") List<PositionRange> b) {
        ClusteringIntervalSet x = ClusteringIntervalSet.of(s, a);
        ClusteringIntervalSet y = ClusteringIntervalSet.of(s, b);
        assertMembership(s, x, a, b, (p, q) -> p);
        assertMembership(s, x.union(y), a, b, (p, q) -> p || q);
        assertMembership(s, x.intersection(y), a, b, (p, q) -> p && q);
        assertMembership(s, x.difference(y), a, b, (p, q) -> p && !q);
        for (ClusteringIntervalSet r : List.of(x, y, x.union(y), x.intersection(y), x.difference(y))) {
            assertNormalized(s, r);
        }
        assertThat(x.containedIn(y)).isEqualTo(Grid.allClusteredPositions().stream()
                .allMatch(p -> !inAny(s, a, p) || inAny(s, b, p)));
        for (PositionRange r : b) {
            boolean shares = Grid.allClusteredPositions().stream().anyMatch(p -> inAny(s, a, p) && Grid.oracleInRange(s, r, p));
            assertThat(x.overlaps(r)).isEqualTo(shares);
            boolean within = Grid.allClusteredPositions().stream().allMatch(p -> !Grid.oracleInRange(s, r, p) || inAny(s, a, p));
            assertThat(x.contains(r)).isEqualTo(within);
        }
    }

    @Property(tries = 300)
    void legacySetOperationsAgreeWithRowSets(@ForAll("schemas") ClusteringSchema s,
            @ForAll("legacyLists") List<ClusteringRange> a, @ForAll("legacyLists") List<ClusteringRange> b) {
        ClusteringIntervalSet x = ClusteringIntervalSet.fromLegacy(s, a);
        ClusteringIntervalSet y = ClusteringIntervalSet.fromLegacy(s, b);
        Set<Integer> ra = Grid.rows(s, a);
        Set<Integer> rb = Grid.rows(s, b);
        Set<Integer> union = new TreeSet<>(ra);
        union.addAll(rb);
        Set<Integer> inter = new TreeSet<>(ra);
        inter.retainAll(rb);
        Set<Integer> diff = new TreeSet<>(ra);
        diff.removeAll(rb);
        assertThat(Grid.rows(s, x.toLegacy())).isEqualTo(ra);
        assertThat(Grid.rows(s, x.union(y).toLegacy())).isEqualTo(union);
        assertThat(Grid.rows(s, x.intersection(y).toLegacy())).isEqualTo(inter);
        assertThat(Grid.rows(s, x.difference(y).toLegacy())).isEqualTo(diff);
        // canonical legacy output converts back to the same set
        assertThat(ClusteringIntervalSet.fromLegacy(s, x.toLegacy()).toLegacy()).isEqualTo(x.toLegacy());
    }

    @Property(tries = 200)
    void algebraicLaws(@ForAll("schemas") ClusteringSchema s, @ForAll("rangeLists") List<PositionRange> a,
            @ForAll("rangeLists") List<PositionRange> b, @ForAll("rangeLists") List<PositionRange> c) {
        ClusteringIntervalSet x = ClusteringIntervalSet.of(s, a);
        ClusteringIntervalSet y = ClusteringIntervalSet.of(s, b);
        ClusteringIntervalSet z = ClusteringIntervalSet.of(s, c);
        assertThat(x.union(y)).isEqualTo(y.union(x));
        assertThat(x.intersection(y)).isEqualTo(y.intersection(x));
        assertThat(x.union(y).union(z)).isEqualTo(x.union(y.union(z)));
        assertThat(x.intersection(y).intersection(z)).isEqualTo(x.intersection(y.intersection(z)));
        assertThat(x.union(x)).isEqualTo(x);
        assertThat(x.intersection(x)).isEqualTo(x);
        assertThat(x.difference(x).isEmpty()).isTrue();
        assertThat(x.difference(y).union(x.intersection(y))).isEqualTo(x);
        assertThat(x.intersection(y).containedIn(x)).isTrue();
        assertThat(x.containedIn(x.union(y))).isTrue();
    }

    @Property(tries = 200)
    void resultDoesNotDependOnInputOrderOrDuplicates(@ForAll("schemas") ClusteringSchema s,
            @ForAll("rangeLists") List<PositionRange> a, @ForAll long seed) {
        List<PositionRange> shuffled = new ArrayList<>(a);
        shuffled.addAll(a.subList(0, a.size() / 2));
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(ClusteringIntervalSet.of(s, shuffled)).isEqualTo(ClusteringIntervalSet.of(s, a));
    }

    @Property(tries = 200)
    void reversalIsAnInvolutionPreservingRows(@ForAll("schemas") ClusteringSchema s,
            @ForAll("legacyLists") List<ClusteringRange> a) {
        ClusteringIntervalSet x = ClusteringIntervalSet.fromLegacy(s, a);
        assertThat(x.reversed().reversed()).isEqualTo(x);
        assertThat(x.reversed().schema()).isEqualTo(s.reversed());
        assertThat(Grid.rows(s.reversed(), x.reversed().toLegacy())).isEqualTo(Grid.rows(s, a));
    }

    @Provide
    Arbitrary<List<List<PositionRange>>> manyRangeLists() {
        return Grid.clusteredRanges().list().ofMaxSize(3).list().ofMaxSize(8);
    }

    private static List<ClusteringIntervalSet> sets(ClusteringSchema s, List<List<PositionRange>> lists) {
        List<ClusteringIntervalSet> out = new ArrayList<>();
        for (List<PositionRange> l : lists) {
            out.add(ClusteringIntervalSet.of(s, l));
        }
        return out;
    }

    /** The n-ary operations equal the pairwise fold, and the oracle on every grid position. */
    @Property(tries = 300)
    void manySetOperationsEqualThePairwiseFold(@ForAll("schemas") ClusteringSchema s,
            @ForAll("manyRangeLists") List<List<PositionRange>> lists) {
        List<ClusteringIntervalSet> sets = sets(s, lists);
        ClusteringIntervalSet union = ClusteringIntervalSet.empty(s);
        ClusteringIntervalSet inter = ClusteringIntervalSet.allClusteredRows(s);
        for (ClusteringIntervalSet x : sets) {
            union = union.union(x);
            inter = inter.intersection(x);
        }
        assertThat(ClusteringIntervalSet.unionAll(s, sets)).isEqualTo(union);
        assertThat(ClusteringIntervalSet.intersectionAll(s, sets)).isEqualTo(inter);
        if (!sets.isEmpty()) {
            ClusteringIntervalSet diff = sets.get(0);
            for (ClusteringIntervalSet x : sets.subList(1, sets.size())) {
                diff = diff.difference(x);
            }
            ClusteringIntervalSet n = sets.get(0).differenceAll(sets.subList(1, sets.size()));
            assertThat(n).isEqualTo(diff);
            assertNormalized(s, n);
            for (PositionInPartition p : Grid.allClusteredPositions()) {
                boolean inFirst = inAny(s, lists.get(0), p);
                boolean inRest = lists.subList(1, lists.size()).stream().anyMatch(l -> inAny(s, l, p));
                assertThat(n.contains(p)).isEqualTo(inFirst && !inRest);
            }
        }
        // the same sets in another order: same results
        List<ClusteringIntervalSet> shuffled = new ArrayList<>(sets);
        Collections.reverse(shuffled);
        assertThat(ClusteringIntervalSet.unionAll(s, shuffled)).isEqualTo(union);
        assertThat(ClusteringIntervalSet.intersectionAll(s, shuffled)).isEqualTo(inter);
        for (PositionInPartition p : Grid.allClusteredPositions()) {
            assertThat(union.contains(p)).isEqualTo(lists.stream().anyMatch(l -> inAny(s, l, p)));
            if (!lists.isEmpty()) { // no sets: every clustered position, which the grid exceeds
                assertThat(inter.contains(p)).isEqualTo(lists.stream().allMatch(l -> inAny(s, l, p)));
            }
        }
        assertNormalized(s, ClusteringIntervalSet.unionAll(s, sets));
        assertNormalized(s, ClusteringIntervalSet.intersectionAll(s, sets));
    }
}
