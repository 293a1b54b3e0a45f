package dev.braid.store;

import dev.braid.store.proto.ReplicaException;

/**
 * A replica-level failure that the verbs return inside the response as a typed {@link
 * ReplicaException} (rate limited, stale topology, unknown table, unknown schema version,
 * tombstone overload, read failure), not as an RPC error.
 */
public final class ReplicaFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient ReplicaException variant;

  /** A failure carrying its wire variant. */
  public ReplicaFailure(ReplicaException variant) {
    super(variant.getMessage());
    this.variant = variant;
  }

  /** The wire variant. */
  public ReplicaException variant() {
    return variant;
  }
}
