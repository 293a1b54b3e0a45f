package dev.braid.query;

import java.util.Objects;

/**
 * Where a replica stopped: a partition and a position inside it.
 *
 * @param partitionKey the partition
 * @param position     the position in the partition
 */
public record FullPosition(PartitionKey partitionKey, PositionInPartition position) {
    /** Validates. */
    public FullPosition {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(position, "position");
    }

    /**
     * Orders by partition key ({@link PartitionKey#compareTo}, a byte order standing in for the
     * partitioner's order), then by position under {@code schema}.
     */
    public static int compare(ClusteringSchema schema, FullPosition a, FullPosition b) {
        int c = a.partitionKey.compareTo(b.partitionKey);
        return c != 0 ? c : schema.compare(a.position, b.position);
    }
}
