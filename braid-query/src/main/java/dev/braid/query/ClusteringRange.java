package dev.braid.query;

import java.util.Objects;
import java.util.Optional;

/**
 * A legacy clustering range: an interval of clustering-key prefixes with optional inclusive or
 * exclusive bounds, or a singular range {@code {x}}. This is a wire/compatibility form only: it
 * has deliberately no interval algebra, because prefix bounds cannot be ordered by a single
 * comparator (a prefix bound means "every key having this prefix" on either side). Convert to
 * positions with {@link RangeConversions#fromLegacy(ClusteringRange)} first.
 *
 * <p>Any pair of bounds is valid, including "inverted" ranges such as {@code [(1,1,1), (1,1)]}
 * (rows (1,1,x) with x &gt;= 1) whose end prefix sorts below the start prefix.
 *
 * <p>Text form: {@code [(1,2), (3))}, {@code ((1), +inf)}, {@code (-inf, (1,1)]}, {@code {(1,2)}},
 * {@code (-inf, +inf)}.
 *
 * <p>{@link #equals} is structural: {@code {x}} differs from {@code [x, x]}.
 */
public final class ClusteringRange {
    /**
     * A bound of a legacy range.
     *
     * @param prefix    the key prefix; every key having this prefix is on the bound
     * @param inclusive whether keys on the bound are in the range
     */
    public record Bound(ClusteringPrefix prefix, boolean inclusive) {
        /** Validates the prefix. */
        public Bound {
            Objects.requireNonNull(prefix, "prefix");
        }

        /** An inclusive bound. */
        public static Bound inclusive(ClusteringPrefix prefix) {
            return new Bound(prefix, true);
        }

        /** An exclusive bound. */
        public static Bound exclusive(ClusteringPrefix prefix) {
            return new Bound(prefix, false);
        }
    }

    private static final ClusteringRange FULL = new ClusteringRange(null, null, false);

    private final Bound start;
    private final Bound end;
    private final boolean singular;

    private ClusteringRange(Bound start, Bound end, boolean singular) {
        this.start = start;
        this.end = end;
        this.singular = singular;
    }

    /** {@code (-inf, +inf)}: both bounds absent. */
    public static ClusteringRange full() {
        return FULL;
    }

    /** {@code {x}}: exactly the keys having prefix {@code x}. */
    public static ClusteringRange singular(ClusteringPrefix x) {
        return new ClusteringRange(Bound.inclusive(Objects.requireNonNull(x, "x")), null, true);
    }

    /** A range with the given bounds; an absent bound is unbounded. */
    public static ClusteringRange of(Optional<Bound> start, Optional<Bound> end) {
        return new ClusteringRange(start.orElse(null), end.orElse(null), false);
    }

    /** A range with both bounds present. */
    public static ClusteringRange between(Bound start, Bound end) {
        return new ClusteringRange(Objects.requireNonNull(start, "start"), Objects.requireNonNull(end, "end"), false);
    }

    /** {@code [start, +inf)} or {@code (start, +inf)}. */
    public static ClusteringRange startingWith(Bound start) {
        return new ClusteringRange(Objects.requireNonNull(start, "start"), null, false);
    }

    /** {@code (-inf, end]} or {@code (-inf, end)}. */
    public static ClusteringRange endingWith(Bound end) {
        return new ClusteringRange(null, Objects.requireNonNull(end, "end"), false);
    }

    /** The start bound; absent when unbounded below. */
    public Optional<Bound> start() {
        return Optional.ofNullable(start);
    }

    /** The end bound; for a singular range this is the start bound; absent when unbounded above. */
    public Optional<Bound> end() {
        return Optional.ofNullable(singular ? start : end);
    }

    /** Whether this is a singular range {@code {x}}. */
    public boolean isSingular() {
        return singular;
    }

    /** Whether both bounds are absent: {@code (-inf, +inf)}. */
    public boolean isFull() {
        return start == null && end == null && !singular;
    }

    /**
     * The range with its start and end bounds swapped, keeping each bound's inclusiveness; a
     * singular range stays as is. This is the native reversed form, to be read under {@link
     * ClusteringSchema#reversed()}. An involution.
     */
    public ClusteringRange reverse() {
        return singular ? this : new ClusteringRange(end, start, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusteringRange r && singular == r.singular && Objects.equals(start, r.start)
                && Objects.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, singular);
    }

    @Override
    public String toString() {
        if (singular) {
            return "{" + start.prefix() + "}";
        }
        String s = start == null ? "(-inf" : (start.inclusive() ? "[" : "(") + start.prefix();
        String e = end == null ? "+inf)" : end.prefix() + (end.inclusive() ? "]" : ")");
        return s + ", " + e;
    }
}
