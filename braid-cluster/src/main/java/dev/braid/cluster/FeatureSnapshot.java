package dev.braid.cluster;

import java.util.Set;

/**
 * The enabled features at one metadata epoch, immutable. A request takes one at its start
 * ({@link ClusterNode#beginRequest()}) and every RPC it sends chooses its verb from it, so a
 * feature flipping mid-request cannot split the request across verb families.
 *
 * @param epoch the metadata epoch (Raft log index of the last applied change) it was taken at
 * @param enabled names of the enabled features
 */
public record FeatureSnapshot(long epoch, Set<String> enabled) {
  /** Copies the set. */
  public FeatureSnapshot {
    enabled = Set.copyOf(enabled);
  }

  public boolean isEnabled(Feature feature) {
    return enabled.contains(feature.name());
  }

  /** The newest verb of {@code family} whose gate is enabled in this snapshot. */
  public Verb verbFor(VerbFamily family) {
    Verb best = null;
    for (Verb v : Verb.values()) {
      if (v.family() == family && (v.gate() == null || isEnabled(v.gate()))
          && (best == null || v.version() > best.version())) {
        best = v;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no verb of " + family + " is usable");
    }
    return best;
  }
}
