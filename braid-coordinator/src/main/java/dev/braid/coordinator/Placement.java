package dev.braid.coordinator;

import dev.braid.cluster.proto.MetadataState;
import java.util.function.Supplier;

/**
 * The current token ring, rebuilt whenever the metadata epoch moves (a join, a removal, a
 * state change). Thread-safe: the ring is swapped atomically; a reader gets a consistent ring.
 */
public final class Placement {
  private final Supplier<MetadataState> metadata;
  private volatile TokenRing ring;

  /** Placement over a source of metadata states (e.g. {@code ClusterNode::metadata}). */
  public Placement(Supplier<MetadataState> metadata) {
    this.metadata = metadata;
  }

  /** The ring of the current epoch (rebuilt when the epoch changed since the last call). */
  public TokenRing ring() {
    MetadataState s = metadata.get();
    TokenRing r = ring;
    if (r == null || r.epoch() != s.getEpoch()) {
      r = TokenRing.of(s);
      ring = r;
    }
    return r;
  }
}
