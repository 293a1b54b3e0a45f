package dev.braid.query;

import java.util.List;
import java.util.StringJoiner;

/**
 * An immutable partition key: one byte string per partition-key column.
 *
 * @param components the serialized component values
 */
public record PartitionKey(List<Bytes> components) {
    /** Copies and validates the components. */
    public PartitionKey {
        components = List.copyOf(components);
    }

    /** A key of the given components. */
    public static PartitionKey of(Bytes... components) {
        return new PartitionKey(List.of(components));
    }

    /** Compares component by component (unsigned bytes), then by length. */
    public int compareTo(PartitionKey o) {
        for (int i = 0; i < Math.min(components.size(), o.components.size()); i++) {
            int c = components.get(i).compareTo(o.components.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(components.size(), o.components.size());
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(",", "pk(", ")");
        components.forEach(c -> j.add(c.toString()));
        return j.toString();
    }
}
