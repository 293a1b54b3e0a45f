package dev.braid.query;

import java.util.List;
import java.util.Objects;

/**
 * The v2 per-partition override of a slice's row ranges, as position ranges (never legacy
 * ranges, so paging continuations do not reintroduce prefix intervals on the wire).
 *
 * @param partitionKey the partition the override applies to
 * @param ranges       its position ranges, as sent; see {@link PartitionSliceV2} for the rules
 */
public record SpecificRangesV2(PartitionKey partitionKey, List<PositionRange> ranges) {
    /** Copies and validates. */
    public SpecificRangesV2 {
        Objects.requireNonNull(partitionKey, "partitionKey");
        ranges = List.copyOf(ranges);
        PartitionSliceV2.validateRanges(ranges);
    }

    /** Native reversal: reversed order, each range {@code [s, e)} becomes {@code [e.reversed(), s.reversed())}. */
    public SpecificRangesV2 reversed() {
        return new SpecificRangesV2(partitionKey, PartitionSliceV2.reverseRanges(ranges));
    }
}
