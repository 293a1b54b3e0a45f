package dev.braid.coordinator;

import dev.braid.query.proto.FullPosition;
import dev.braid.store.proto.QueryResult;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.braid.store.Paging;
import java.util.List;

/**
 * One page of a coordinated read.
 *
 * @param result the rows
 * @param pagingState the full position the page ended at (the least-advanced replica's when
 *     several answered), or null when the read is complete
 * @param next the read of the next page (resuming strictly after {@code pagingState}), or null
 * @param trace what the coordinator did (replicas, verbs, digests, repairs), for tracing
 */
public record ReadPage(QueryResult result, FullPosition pagingState, ReplicaRead next,
    List<String> trace) {
  /** The paging state as bytes for a client (the full position's protobuf encoding). */
  public byte[] pagingStateBytes() {
    return pagingState == null ? null : pagingState.toByteArray();
  }

  /**
   * The read of the page after {@code state} (bytes from {@link #pagingStateBytes}) for the
   * query whose first page was {@code first}, or null when the query is complete.
   *
   * @throws IllegalArgumentException when the bytes are not a paging state of this query
   */
  public static ReplicaRead resume(ReplicaRead first, byte[] state) {
    FullPosition p;
    try {
      p = FullPosition.parseFrom(state);
      if (!p.hasPartitionKey() || !p.hasPosition() || (first.range().getSingular()
          && !p.getPartitionKey().equals(first.range().getStart().getPosition().getKey()))) {
        throw new IllegalArgumentException("Invalid value for the paging state");
      }
      return Paging.next(first.table(), first.command(), first.range(), p)
          .map(n -> new ReplicaRead(first.table(), n.command(), n.range())).orElse(null);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("Invalid value for the paging state", e);
    }
  }
}
