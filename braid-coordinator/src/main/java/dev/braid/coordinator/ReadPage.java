package dev.braid.coordinator;

import dev.braid.query.proto.FullPosition;
import dev.braid.store.proto.QueryResult;
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
    List<String> trace) {}
