package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * For each of ScyllaDB issues 8157, 21604 and 22817: the wrong answer naive prefix-interval
 * arithmetic gives, and the answer braid gives (checked against the brute-force row oracle).
 */
class ScyllaIssuesTest {
    private static final ClusteringSchema S = ClusteringSchema.parse("int, int, int");

    private static ClusteringRange r(String text) {
        return Notation.parseClusteringRange(S, text);
    }

    private static ClusteringIntervalSet set(String... ranges) {
        return ClusteringIntervalSet.fromLegacy(S, java.util.Arrays.stream(ranges).map(ScyllaIssuesTest::r).toList());
    }

    private static Set<Integer> rowsOf(List<ClusteringRange> ranges) {
        return Grid.rows(S, ranges);
    }

    private static Set<Integer> intersect(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new TreeSet<>(a);
        out.retainAll(b);
        return out;
    }

    private static Set<Integer> keys(String... keys) {
        Set<Integer> out = new TreeSet<>();
        for (String k : keys) {
            out.add(Grid.encode(Notation.parsePrefix(S, k)));
        }
        return out;
    }

    // ---- #8157: intersection when one range's bound is a prefix of the other's ----

    @ParameterizedTest(name = "#8157: {0} ∩ {1}")
    @CsvSource(delimiter = ';', value = {
        "[(1,1,1), +inf); (-inf, (1,1)]",
        "(-inf, (1,1,1)]; ((1,1), +inf)",
        "((1,2), +inf); (-inf, (1,2,2)]",
        "((0), (2)); ((0,1), (2,0))",
        "[(1), (1)]; [(1,1,1), (1,1)]",
    })
    void issue8157IntersectionOfPrefixRanges(String a, String b) {
        Set<Integer> truth = intersect(rowsOf(List.of(r(a))), rowsOf(List.of(r(b))));

        Optional<NaiveInterval> naive = new NaiveInterval(S, r(a)).intersection(new NaiveInterval(S, r(b)));
        Set<Integer> naiveRows = naive.map(n -> rowsOf(List.of(n.toRange()))).orElse(Set.of());
        // wrong either in the rows it selects or in claiming a (non-)empty overlap
        boolean wrong = !naiveRows.equals(truth) || naive.isPresent() == truth.isEmpty();
        assertThat(wrong).as("naive interval intersection %s", naive.map(NaiveInterval::toRange)).isTrue();

        ClusteringIntervalSet braid = set(a).intersection(set(b));
        assertThat(rowsOf(braid.toLegacy())).isEqualTo(truth);
    }

    @Test
    void issue8157TheReportedCaseIsNonEmpty() {
        ClusteringIntervalSet braid = set("[(1,1,1), +inf)").intersection(set("(-inf, (1,1)]"));
        assertThat(new NaiveInterval(S, r("[(1,1,1), +inf)")).intersection(new NaiveInterval(S, r("(-inf, (1,1)]"))))
                .isEmpty();
        assertThat(braid.toLegacy()).containsExactly(r("[(1,1,1), (1,1)]"));
        assertThat(rowsOf(braid.toLegacy())).isEqualTo(keys("(1,1,1)", "(1,1,2)"));
        // the mirror pair stays correct too: (-inf, A] ∩ [B, +inf)
        assertThat(set("(-inf, (1,1,1)]").intersection(set("[(1,1), +inf)")).toLegacy())
                .containsExactly(r("[(1,1), (1,1,1)]"));
    }

    // ---- #21604: legitimate ranges whose end prefix sorts below their start ----

    @Test
    void issue21604InvertedRangeIsValidAndAnsweredCorrectly() {
        // (ck1, ck2, ck3) >= (5, 6, 7) AND (ck1, ck2) <= (5, 6)
        ClusteringRange inverted = r("[(5,6,7), (5,6)]");
        NaiveInterval naive = new NaiveInterval(S, inverted);
        assertThat(naive.satisfiesInvariant()).as("violates interval's start <= end").isFalse();
        assertThat(naive.contains(ClusteringPrefix.of(5, 6, 8))).as("naive contains misses a selected row").isFalse();

        PositionRange pr = RangeConversions.fromLegacy(inverted);
        assertThat(pr.isEmpty(S)).isFalse();
        assertThat(pr.contains(S, PositionInPartition.forKey(ClusteringPrefix.of(5, 6, 8)))).isTrue();
        assertThat(pr.contains(S, PositionInPartition.forKey(ClusteringPrefix.of(5, 6, 7)))).isTrue();
        assertThat(pr.contains(S, PositionInPartition.forKey(ClusteringPrefix.of(5, 6, 6)))).isFalse();
        assertThat(pr.contains(S, PositionInPartition.forKey(ClusteringPrefix.of(5, 7, 0)))).isFalse();

        // braid computes it from the two restrictions and returns it unchanged as a legacy range
        ClusteringIntervalSet braid = set("[(5,6,7), +inf)").intersection(set("(-inf, (5,6)]"));
        assertThat(braid.toLegacy()).containsExactly(inverted);
        assertThat(RangeConversions.toLegacy(S, pr)).contains(inverted);
    }

    @Test
    void issue21604NaiveUnionWithAnInvertedRangeKeepsOverlaps() {
        // the inverted range [(1,1,1),(1,1)] overlaps [(1,1,2),(1,1,2)]
        List<NaiveInterval> naive = NaiveInterval.deoverlap(List.of(
                new NaiveInterval(S, r("[(1,1,1), (1,1)]")), new NaiveInterval(S, r("[(1,1,2), (1,1,2)]"))));
        assertThat(naive).hasSize(2); // overlapping output: not deoverlapped
        assertThat(set("[(1,1,1), (1,1)]", "[(1,1,2), (1,1,2)]").toLegacy()).containsExactly(r("[(1,1,1), (1,1)]"));
    }

    // ---- #22817: view update loses the range tombstone ∩ view slice overlap, deoverlap drops rows ----

    @ParameterizedTest(name = "#22817: base deletion {0} vs view slice [(1,1,1), (1,1)]")
    @CsvSource(delimiter = ';', value = {"[(1), (1)]", "[(1,1), (1,1)]"})
    void issue22817RangeTombstoneIntersectionWithViewSlice(String tombstone) {
        ClusteringRange viewSlice = r("[(1,1,1), (1,1)]");
        Optional<NaiveInterval> naive = new NaiveInterval(S, r(tombstone)).intersection(new NaiveInterval(S, viewSlice));
        assertThat(naive).as("naive: no affected rows, view rows stay undeleted").isEmpty();

        ClusteringIntervalSet affected = set(tombstone).intersection(set("[(1,1,1), (1,1)]"));
        assertThat(affected.isEmpty()).isFalse();
        assertThat(rowsOf(affected.toLegacy())).isEqualTo(keys("(1,1,1)", "(1,1,2)"));
        assertThat(affected.toLegacy()).containsExactly(viewSlice);
    }

    @ParameterizedTest(name = "#22817 deoverlap: {0} + {1}")
    @CsvSource(delimiter = ';', value = {
        "[(0), (1,1)]; [(1), (1)]",
        "[(1,1,1), (1,1)]; [(1,1,2), (1,1,2)]",
        "[(1,1,1), (1,1)]; [(1,1,2), (1,2)]",
        "(-inf, (1)]; [(1,1), +inf)",
    })
    void issue22817DeoverlapLosesRowsOrKeepsOverlaps(String a, String b) {
        Set<Integer> truth = rowsOf(List.of(r(a), r(b)));
        List<NaiveInterval> naive = NaiveInterval.deoverlap(List.of(new NaiveInterval(S, r(a)), new NaiveInterval(S, r(b))));
        List<ClusteringRange> naiveRanges = naive.stream().map(NaiveInterval::toRange).toList();
        boolean losesRows = !rowsOf(naiveRanges).equals(truth);
        boolean overlapping = naiveRanges.size() > 1
                && !ClusteringIntervalSet.fromLegacy(S, List.of(naiveRanges.get(0)))
                        .intersection(ClusteringIntervalSet.fromLegacy(S, naiveRanges.subList(1, naiveRanges.size())))
                        .isEmpty();
        assertThat(losesRows || overlapping).as("naive deoverlap %s", naiveRanges).isTrue();

        List<ClusteringRange> braid = set(a, b).toLegacy();
        assertThat(rowsOf(braid)).isEqualTo(truth);
        assertThat(braid).hasSize(1);
    }

    @Test
    void issue22817DeoverlapLosesRowsExample() {
        List<NaiveInterval> naive = NaiveInterval.deoverlap(List.of(
                new NaiveInterval(S, r("[(0), (1,1)]")), new NaiveInterval(S, r("[(1), (1)]"))));
        assertThat(naive).singleElement().extracting(NaiveInterval::toRange).isEqualTo(r("[(0), (1,1)]"));
        assertThat(set("[(0), (1,1)]", "[(1), (1)]").toLegacy()).containsExactly(r("[(0), (1)]"));
    }

    // ---- the same problem in native reversed form ----

    @Test
    void reversedQueriesIntersectCorrectly() {
        ClusteringSchema rev = S.reversed();
        ClusteringRange a = r("[(1,1), (1,1,2)]");
        ClusteringRange b = r("[(1,1,1), +inf)");
        Optional<NaiveInterval> naiveRev = new NaiveInterval(rev, a.reverse()).intersection(new NaiveInterval(rev, b.reverse()));
        assertThat(naiveRev).isPresent();
        assertThat(Grid.rows(rev, List.of(naiveRev.get().toRange()))).as("too wide").isEqualTo(keys("(1,1,0)", "(1,1,1)", "(1,1,2)"));

        ClusteringIntervalSet forward = set("[(1,1), (1,1,2)]").intersection(set("[(1,1,1), +inf)"));
        ClusteringIntervalSet reversed = ClusteringIntervalSet.fromLegacy(rev, List.of(a.reverse()))
                .intersection(ClusteringIntervalSet.fromLegacy(rev, List.of(b.reverse())));
        assertThat(forward.toLegacy()).containsExactly(r("[(1,1,1), (1,1,2)]"));
        assertThat(reversed.toLegacy()).containsExactly(r("[(1,1,2), (1,1,1)]"));
        assertThat(reversed).isEqualTo(forward.reversed());
        assertThat(Grid.rows(rev, reversed.toLegacy())).isEqualTo(keys("(1,1,1)", "(1,1,2)"));
    }
}
