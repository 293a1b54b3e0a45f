package dev.braid.query;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The clustering columns of a table, in clustering order, each with a type and a direction.
 * Immutable. Orders {@link PositionInPartition positions} (and through them ranges).
 *
 * <p>Text form: {@code int asc, text desc, uuid} (direction defaults to {@code asc}); see
 * {@link Notation#parseSchema(String)}.
 */
public final class ClusteringSchema {
    private final List<ClusteringColumn> columns;
    private final Comparator<PositionInPartition> comparator = this::compare;

    private ClusteringSchema(List<ClusteringColumn> columns) {
        this.columns = columns;
    }

    /** A schema of the given columns (zero columns is allowed: one row per partition). */
    public static ClusteringSchema of(List<ClusteringColumn> columns) {
        for (ClusteringColumn c : columns) {
            Objects.requireNonNull(c, "column");
        }
        return new ClusteringSchema(List.copyOf(columns));
    }

    /** A schema of the given columns. */
    public static ClusteringSchema of(ClusteringColumn... columns) {
        return of(List.of(columns));
    }

    /**
     * Parses the text form, e.g. {@code "int asc, int asc, int desc"}.
     *
     * @throws NotationException pointing at the offending character
     */
    public static ClusteringSchema parse(String spec) {
        return Notation.parseSchema(spec);
    }

    /** Number of clustering columns (the length of a full key). */
    public int size() {
        return columns.size();
    }

    /** The columns in clustering order. */
    public List<ClusteringColumn> columns() {
        return columns;
    }

    /** Column {@code i}. */
    public ClusteringColumn column(int i) {
        return columns.get(i);
    }

    /** The same columns with every direction flipped: the order of reversed (native) queries. */
    public ClusteringSchema reversed() {
        return new ClusteringSchema(columns.stream().map(ClusteringColumn::reversed).toList());
    }

    /** Whether {@code prefix} has a value for every column. */
    public boolean isFullKey(ClusteringPrefix prefix) {
        return prefix.size() == columns.size();
    }

    /**
     * Checks that {@code prefix} is no longer than the schema and that each value has its
     * column's type.
     *
     * @throws IllegalArgumentException otherwise
     */
    public void validate(ClusteringPrefix prefix) {
        if (prefix.size() > columns.size()) {
            throw new IllegalArgumentException("prefix " + prefix + " has " + prefix.size()
                    + " values but the schema has " + columns.size() + " clustering columns");
        }
        for (int i = 0; i < prefix.size(); i++) {
            try {
                columns.get(i).type().check(prefix.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("prefix " + prefix + ", column " + i + ": " + e.getMessage(), e);
            }
        }
    }

    /** Validates the key of a clustered position (no-op for other regions). */
    public void validate(PositionInPartition pos) {
        if (pos.isClustered()) {
            validate(pos.key());
        }
    }

    /**
     * Compares the first {@code min(a.size(), b.size())} values column by column.
     *
     * @return negative, zero or positive
     */
    public int compareCommonPrefix(ClusteringPrefix a, ClusteringPrefix b) {
        int n = Math.min(a.size(), b.size());
        if (Math.max(a.size(), b.size()) > columns.size()) {
            throw new IllegalArgumentException("prefix longer than the schema's " + columns.size() + " columns: "
                    + (a.size() > b.size() ? a : b));
        }
        for (int i = 0; i < n; i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            ClusteringColumn col = columns.get(i);
            if (!isValueOf(col.type(), x) || !isValueOf(col.type(), y)) {
                col.type().check(x);
                col.type().check(y);
            }
            int c = col.compare(x, y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean isValueOf(ClusteringType t, Object v) {
        return v == EmptyValue.INSTANCE ? t != ClusteringType.TEXT && t != ClusteringType.BLOB : t.javaType().isInstance(v);
    }

    /**
     * The total order of positions: by region; keyless positions of one region are equal;
     * clustered positions compare their common components, then (equal lengths) their weights, or
     * (different lengths) the shorter one sorts before its extensions if its weight is -1 or 0 and
     * after them if its weight is +1.
     *
     * @return negative, zero or positive
     * @throws IllegalArgumentException if a key is longer than the schema or has a wrongly typed value
     */
    public int compare(PositionInPartition p, PositionInPartition q) {
        int r = Integer.compare(p.region().code(), q.region().code());
        if (r != 0) {
            return r;
        }
        if (!p.isClustered()) {
            return 0;
        }
        ClusteringPrefix a = p.key();
        ClusteringPrefix b = q.key();
        int c = compareCommonPrefix(a, b);
        if (c != 0) {
            return c;
        }
        int la = a.size();
        int lb = b.size();
        if (la == lb) {
            return Integer.compare(p.weight().value(), q.weight().value());
        }
        if (la < lb) {
            return p.weight().value() <= 0 ? -1 : 1;
        }
        return q.weight().value() <= 0 ? 1 : -1;
    }

    /** {@link #compare(PositionInPartition, PositionInPartition)} as a {@link Comparator}. */
    public Comparator<PositionInPartition> positionComparator() {
        return comparator;
    }

    /** {@code compare(p, q) < 0}. */
    public boolean less(PositionInPartition p, PositionInPartition q) {
        return compare(p, q) < 0;
    }

    /** The smaller of two positions (the first on a tie). */
    public PositionInPartition min(PositionInPartition p, PositionInPartition q) {
        return compare(q, p) < 0 ? q : p;
    }

    /** The larger of two positions (the first on a tie). */
    public PositionInPartition max(PositionInPartition p, PositionInPartition q) {
        return compare(q, p) > 0 ? q : p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusteringSchema s && columns.equals(s.columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    /** E.g. {@code int asc, int asc, int desc}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ");
        columns.forEach(c -> j.add(c.toString()));
        return j.toString();
    }
}
