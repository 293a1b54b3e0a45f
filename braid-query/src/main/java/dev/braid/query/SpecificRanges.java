package dev.braid.query;

import java.util.List;
import java.util.Objects;

/**
 * The v1 per-partition override of a slice's row ranges: for partition {@code partitionKey} use
 * {@code ranges} instead of the default ones (set by paging to resume inside a partition).
 *
 * @param partitionKey the partition the override applies to
 * @param ranges       its legacy clustering ranges, as sent
 */
public record SpecificRanges(PartitionKey partitionKey, List<ClusteringRange> ranges) {
    /** Copies and validates. */
    public SpecificRanges {
        Objects.requireNonNull(partitionKey, "partitionKey");
        ranges = List.copyOf(ranges);
    }

    /** Native reversal: reversed order, each range's bounds swapped. */
    public SpecificRanges reversed() {
        return new SpecificRanges(partitionKey, PartitionSlice.reverseRanges(ranges));
    }
}
