package dev.braid.query;

import java.util.Objects;

/**
 * A clustering column: a value type and a sort direction.
 *
 * @param type  the value type
 * @param order ASC or DESC
 */
public record ClusteringColumn(ClusteringType type, ClusteringOrder order) {
    /** Validates the components. */
    public ClusteringColumn {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(order, "order");
    }

    /** Compares two values in this column's order (DESC reverses the type order). */
    public int compare(Object a, Object b) {
        int c = type.compare(a, b);
        return order == ClusteringOrder.ASC ? c : -c;
    }

    /** The same type with the opposite order. */
    public ClusteringColumn reversed() {
        return new ClusteringColumn(type, order.reversed());
    }

    /** E.g. {@code int asc}. */
    @Override
    public String toString() {
        return type.cqlName() + " " + (order == ClusteringOrder.ASC ? "asc" : "desc");
    }
}
