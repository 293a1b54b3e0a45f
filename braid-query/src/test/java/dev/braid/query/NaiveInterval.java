package dev.braid.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Test-only model of the naive approach the ScyllaDB issues describe: an interval of
 * clustering-key prefixes whose algorithms compare bound values with one lexicographic prefix
 * comparator (a shorter prefix sorts before its extensions) and patch ties with inclusiveness.
 * It exists to show the wrong answers; braid never uses it.
 */
final class NaiveInterval {
    final Optional<ClusteringRange.Bound> start;
    final Optional<ClusteringRange.Bound> end;
    private final ClusteringSchema schema;

    NaiveInterval(ClusteringSchema schema, ClusteringRange r) {
        this.schema = schema;
        this.start = r.start();
        this.end = r.end();
    }

    private NaiveInterval(ClusteringSchema schema, Optional<ClusteringRange.Bound> s, Optional<ClusteringRange.Bound> e) {
        this.schema = schema;
        this.start = s;
        this.end = e;
    }

    ClusteringRange toRange() {
        return ClusteringRange.of(start, end);
    }

    /** Lexicographic prefix order: common components, then shorter first. */
    int cmp(ClusteringPrefix a, ClusteringPrefix b) {
        int c = schema.compareCommonPrefix(a, b);
        return c != 0 ? c : Integer.compare(a.size(), b.size());
    }

    private int startCmp(Optional<ClusteringRange.Bound> a, Optional<ClusteringRange.Bound> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty() ? 0 : (a.isEmpty() ? -1 : 1);
        }
        int c = cmp(a.get().prefix(), b.get().prefix());
        return c != 0 ? c : Boolean.compare(!a.get().inclusive(), !b.get().inclusive());
    }

    private int endCmp(Optional<ClusteringRange.Bound> a, Optional<ClusteringRange.Bound> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty() ? 0 : (a.isEmpty() ? 1 : -1);
        }
        int c = cmp(a.get().prefix(), b.get().prefix());
        return c != 0 ? c : Boolean.compare(a.get().inclusive(), b.get().inclusive());
    }

    /** Whether an end bound reaches a start bound (they share a value). */
    private boolean endReachesStart(Optional<ClusteringRange.Bound> e, Optional<ClusteringRange.Bound> s) {
        if (e.isEmpty() || s.isEmpty()) {
            return true;
        }
        int c = cmp(e.get().prefix(), s.get().prefix());
        return c > 0 || (c == 0 && e.get().inclusive() && s.get().inclusive());
    }

    /** The "start <= end" invariant interval algorithms assume. */
    boolean satisfiesInvariant() {
        return endReachesStart(end, start) || (start.isPresent() && end.isPresent()
                && cmp(start.get().prefix(), end.get().prefix()) == 0);
    }

    boolean contains(ClusteringPrefix key) {
        if (start.isPresent()) {
            int c = cmp(key, start.get().prefix());
            if (c < 0 || (c == 0 && !start.get().inclusive())) {
                return false;
            }
        }
        if (end.isPresent()) {
            int c = cmp(key, end.get().prefix());
            return c < 0 || (c == 0 && end.get().inclusive());
        }
        return true;
    }

    /** Intersection as generic interval code does it; empty when the ordered ranges do not meet. */
    Optional<NaiveInterval> intersection(NaiveInterval o) {
        NaiveInterval p = startCmp(start, o.start) <= 0 ? this : o;
        NaiveInterval q = p == this ? o : this;
        if (!endReachesStart(p.end, q.start)) {
            return Optional.empty();
        }
        Optional<ClusteringRange.Bound> e = endCmp(p.end, q.end) <= 0 ? p.end : q.end;
        return Optional.of(new NaiveInterval(schema, q.start, e));
    }

    /** Deoverlap as generic interval code does it: sort by start, merge when the current end reaches the next start. */
    static List<NaiveInterval> deoverlap(List<NaiveInterval> in) {
        List<NaiveInterval> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing((NaiveInterval n) -> n, (a, b) -> a.startCmp(a.start, b.start)));
        List<NaiveInterval> out = new ArrayList<>();
        NaiveInterval cur = null;
        for (NaiveInterval n : sorted) {
            if (cur == null) {
                cur = n;
            } else if (cur.endReachesStart(cur.end, n.start)) {
                cur = new NaiveInterval(cur.schema, cur.start, cur.endCmp(cur.end, n.end) >= 0 ? cur.end : n.end);
            } else {
                out.add(cur);
                cur = n;
            }
        }
        if (cur != null) {
            out.add(cur);
        }
        return out;
    }
}
