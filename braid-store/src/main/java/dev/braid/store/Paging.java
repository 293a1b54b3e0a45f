package dev.braid.store;

import dev.braid.query.ClusteringSchema;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionRegion;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SpecificRangesV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.query.proto.FullPosition;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.PartitionRangeBound;
import dev.braid.store.proto.RingPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paging by full position: the command and partition range of the page after one that ended at
 * {@code last_position}. The next page starts strictly after that position: inside the same
 * partition the ranges are trimmed (as a specific-ranges override for that partition); after a
 * static-only row or a partition-limit stop, at the next partition. Stateless.
 */
public final class Paging {
  private Paging() {}

  /** A page to read. */
  public record Page(ReadCommandV2 command, PartitionRange range) {}

  /**
   * The next page, or empty when the previous one had no last position (the read is complete).
   *
   * @param table the table
   * @param cmd   the previous page's command
   * @param range the previous page's partition range
   * @param last  the previous page's last position, or null
   */
  public static Optional<Page> next(TableSchema table, ReadCommandV2 cmd, PartitionRange range,
      FullPosition last) {
    if (last == null) {
      return Optional.empty();
    }
    ClusteringSchema s = cmd.slice().isReversed() ? table.clusteringSchema().reversed()
        : table.clusteringSchema();
    PartitionKey pk = QueryCodec.decode(last.getPartitionKey());
    PositionInPartition pos = QueryCodec.forSchema(s).decode(last.getPosition());
    PartitionSliceV2 slice = cmd.slice();
    if (pos.region() != PartitionRegion.CLUSTERED) {
      // a static-only row or the partition's end: that partition is complete
      if (range.getSingular()) {
        return Optional.empty();
      }
      PartitionSliceV2 next = slice.toBuilder().specificRanges(null).build();
      return Optional.of(new Page(cmd.toBuilder().slice(next).firstPage(false).build(),
          from(range, pk, false)));
    }
    PositionInPartition after = PositionInPartition.afterAllPrefixed(pos.key());
    List<PositionRange> trimmed = trim(s, slice.rowRanges(pk), after);
    PartitionSliceV2 next = slice.toBuilder().specificRanges(new SpecificRangesV2(pk,
        trimmed)).build();
    PartitionRange r = range.getSingular() ? range : from(range, pk, true);
    return Optional.of(new Page(cmd.toBuilder().slice(next).firstPage(false).build(), r));
  }

  /** The ranges' positions at or after {@code from} (ranges ending at or before it dropped). */
  public static List<PositionRange> trim(ClusteringSchema s, List<PositionRange> ranges,
      PositionInPartition from) {
    List<PositionRange> out = new ArrayList<>();
    for (PositionRange r : ranges) {
      if (s.compare(r.end(), from) <= 0) {
        continue;
      }
      out.add(s.compare(r.start(), from) < 0 ? PositionRange.of(from, r.end()) : r);
    }
    return out;
  }

  private static PartitionRange from(PartitionRange range, PartitionKey pk, boolean inclusive) {
    PartitionRange.Builder b = PartitionRange.newBuilder().setStart(PartitionRangeBound.newBuilder()
        .setInclusive(inclusive).setPosition(RingPosition.newBuilder()
            .setToken(Murmur3Token.token(pk)).setKey(QueryCodec.encode(pk))));
    if (range.hasEnd()) {
      b.setEnd(range.getEnd());
    }
    return b.build();
  }
}
