package dev.braid.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * An immutable clustering-key prefix: the values of the first {@code n} clustering columns
 * ({@code 0 <= n <= columns}). A prefix as long as the schema is a full clustering key.
 *
 * <p>Values are the Java representations listed in {@link ClusteringType} or {@link
 * EmptyValue#INSTANCE} (the zero-length value of non-text, non-blob types). A prefix does not know its schema; {@link ClusteringSchema#validate}
 * checks it against one, and the schema's comparators order prefixes. {@link #equals} compares
 * the values, which for the supported types agrees with the schema comparator.
 */
public final class ClusteringPrefix {
    private static final ClusteringPrefix EMPTY = new ClusteringPrefix(List.of());
    private final List<Object> values;

    private ClusteringPrefix(List<Object> values) {
        this.values = values;
    }

    /**
     * A prefix of the given values.
     *
     * @throws NullPointerException if a value is null
     */
    public static ClusteringPrefix of(Object... values) {
        return values.length == 0 ? EMPTY : new ClusteringPrefix(List.of(values));
    }

    /** A prefix of the given values. */
    public static ClusteringPrefix of(List<?> values) {
        return values.isEmpty() ? EMPTY : new ClusteringPrefix(List.copyOf(values));
    }

    /** The empty prefix (no values). */
    public static ClusteringPrefix empty() {
        return EMPTY;
    }

    /** Number of values. */
    public int size() {
        return values.size();
    }

    /** Whether this is the empty prefix. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value of column {@code i}. */
    public Object get(int i) {
        return values.get(i);
    }

    /** The values, unmodifiable. */
    public List<Object> values() {
        return values;
    }

    /** The first {@code n} values. */
    public ClusteringPrefix truncate(int n) {
        if (n < 0 || n > values.size()) {
            throw new IllegalArgumentException("cannot truncate a prefix of length " + values.size() + " to " + n);
        }
        return n == values.size() ? this : of(values.subList(0, n));
    }

    /** This prefix extended with {@code more} values. */
    public ClusteringPrefix extend(Object... more) {
        List<Object> all = new ArrayList<>(values);
        all.addAll(Arrays.asList(more));
        return of(all);
    }

    /** This prefix padded to a full key of {@code schema} with each column's {@link ClusteringType#emptyValue()}. */
    public ClusteringPrefix padWithEmpty(ClusteringSchema schema) {
        if (values.size() >= schema.size()) {
            return this;
        }
        List<Object> all = new ArrayList<>(values);
        for (int i = values.size(); i < schema.size(); i++) {
            all.add(schema.column(i).type().emptyValue());
        }
        return of(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusteringPrefix p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    /** E.g. {@code (1,'a',0x0a)}; the empty prefix is {@code ()}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",", "(", ")");
        for (Object v : values) {
            j.add(ClusteringType.format(v));
        }
        return j.toString();
    }
}
