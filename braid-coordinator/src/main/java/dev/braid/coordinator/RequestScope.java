package dev.braid.coordinator;

import dev.braid.cluster.ClusterRequest;
import dev.braid.cluster.FeatureSnapshot;
import dev.braid.cluster.Verb;
import dev.braid.cluster.VerbFamily;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.StatusException;

/**
 * One request's (or one page's) feature view, taken once at its start: every RPC of the request
 * asks it for its verb, so a feature flipping mid-request cannot split the request across verb
 * families. Over a cluster node it is braid-cluster's {@link ClusterRequest} (which also falls
 * back when a target does not advertise the chosen verb); tests use a bare snapshot.
 */
public interface RequestScope {
  /** The snapshot taken at the start. */
  FeatureSnapshot snapshot();

  /** The verb of {@code family} to send to {@code hostId}. */
  Verb verb(VerbFamily family, String hostId) throws StatusException;

  /** Call metadata for every RPC of the request (carries the epoch). */
  Metadata metadata();

  /** A scope over braid-cluster's per-request dispatcher. */
  static RequestScope of(ClusterRequest request) {
    return new RequestScope() {
      @Override
      public FeatureSnapshot snapshot() {
        return request.snapshot();
      }

      @Override
      public Verb verb(VerbFamily family, String hostId) throws StatusException {
        return request.dispatch(family, hostId).verb();
      }

      @Override
      public Metadata metadata() {
        return Metadata.of(ClusterRequest.EPOCH_METADATA_KEY,
            Long.toString(request.snapshot().epoch()));
      }
    };
  }

  /** A scope over a bare snapshot: the snapshot's verb for every target, no fallback. */
  static RequestScope of(FeatureSnapshot snapshot) {
    return new RequestScope() {
      @Override
      public FeatureSnapshot snapshot() {
        return snapshot;
      }

      @Override
      public Verb verb(VerbFamily family, String hostId) {
        return snapshot.verbFor(family);
      }

      @Override
      public Metadata metadata() {
        return Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, Long.toString(snapshot.epoch()));
      }
    };
  }
}
