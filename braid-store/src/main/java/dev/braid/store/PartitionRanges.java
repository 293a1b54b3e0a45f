package dev.braid.store;

import dev.braid.query.PartitionKey;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.PartitionRangeBound;
import dev.braid.store.proto.RingPosition;

/** Factories for {@link PartitionRange}s. */
public final class PartitionRanges {
  private PartitionRanges() {}

  /** Exactly one partition. */
  public static PartitionRange singlePartition(PartitionKey key) {
    return PartitionRange.newBuilder().setSingular(true).setStart(PartitionRangeBound.newBuilder()
        .setInclusive(true).setPosition(RingPosition.newBuilder()
            .setToken(Murmur3Token.token(key)).setKey(QueryCodec.encode(key)))).build();
  }

  /** Every partition of the table, in token order. */
  public static PartitionRange all() {
    return PartitionRange.getDefaultInstance();
  }

  /** Partitions with {@code start < token <= end} (Cassandra's (start, end] token range). */
  public static PartitionRange tokenRange(long startExclusive, long endInclusive) {
    return PartitionRange.newBuilder()
        .setStart(PartitionRangeBound.newBuilder().setInclusive(false)
            .setPosition(RingPosition.newBuilder().setToken(startExclusive)))
        .setEnd(PartitionRangeBound.newBuilder().setInclusive(true)
            .setPosition(RingPosition.newBuilder().setToken(endInclusive)))
        .build();
  }

  /** Partitions from {@code key} (inclusive or not) to the end of the ring: a scan's next page. */
  public static PartitionRange from(PartitionKey key, boolean inclusive) {
    return PartitionRange.newBuilder().setStart(PartitionRangeBound.newBuilder()
        .setInclusive(inclusive).setPosition(RingPosition.newBuilder()
            .setToken(Murmur3Token.token(key)).setKey(QueryCodec.encode(key)))).build();
  }
}
