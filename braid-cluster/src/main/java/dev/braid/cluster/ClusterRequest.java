package dev.braid.cluster;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.StatusException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coordinator request's view of the cluster features: a {@link FeatureSnapshot} taken once,
 * at {@link ClusterNode#beginRequest()}. Every RPC the request sends asks
 * {@link #dispatch(VerbFamily, String)} for its verb and call metadata; nothing here reads the
 * live feature state again, so all of the request's RPCs use one verb family version, and each
 * carries the snapshot's epoch ({@link #EPOCH_METADATA_KEY}) so that a replica behind it
 * catches up before serving.
 *
 * <p>Before choosing, {@code dispatch} checks what the target advertises (its membership
 * record). A verb the target does not advertise is never sent: the request falls back to the
 * newest verb of the family the target does advertise, counts it ({@link VerbCounters}) and
 * logs a WARN, since with a correct rollout it cannot happen.
 *
 * <p>Thread-safe and cheap; a request may dispatch from several threads.
 */
public final class ClusterRequest {
  /** The call metadata key that carries the coordinator's metadata epoch. */
  public static final String EPOCH_METADATA_KEY = "braid-epoch";

  private static final Logger log = LoggerFactory.getLogger(ClusterRequest.class);

  /**
   * What to send to one target.
   *
   * @param verb the verb to send
   * @param chosen the verb the snapshot chose (differs from {@code verb} on a fallback)
   * @param metadata call metadata carrying the epoch
   */
  public record Dispatch(Verb verb, Verb chosen, Metadata metadata) {
    /** Whether the target did not advertise the chosen verb. */
    public boolean fellBack() {
      return verb != chosen;
    }

    /** Call options with this dispatch's metadata and {@code timeout}. */
    public CallOptions options(Duration timeout) {
      return CallOptions.DEFAULT.withMetadata(metadata).withTimeout(timeout);
    }
  }

  private final FeatureSnapshot snapshot;
  private final Function<String, Set<Verb>> advertised;
  private final VerbCounters counters;
  private final Metadata metadata;

  ClusterRequest(FeatureSnapshot snapshot, Function<String, Set<Verb>> advertised,
      VerbCounters counters) {
    this.snapshot = snapshot;
    this.advertised = advertised;
    this.counters = counters;
    this.metadata = Metadata.of(EPOCH_METADATA_KEY, Long.toString(snapshot.epoch()));
  }

  /** The snapshot this request took at its start. */
  public FeatureSnapshot snapshot() {
    return snapshot;
  }

  /**
   * The verb of {@code family} to send to {@code targetHostId}, and the call's metadata;
   * counts the send.
   *
   * @throws StatusException {@link Code#UNAVAILABLE} when the target is not a member,
   *     {@link Code#UNIMPLEMENTED} when it advertises no verb of the family
   */
  public Dispatch dispatch(VerbFamily family, String targetHostId) throws StatusException {
    Verb chosen = snapshot.verbFor(family);
    Set<Verb> theirs = advertised.apply(targetHostId);
    if (theirs == null) {
      throw new StatusException(Code.UNAVAILABLE, "host " + targetHostId
          + " is not a member of the cluster");
    }
    Verb verb = chosen;
    if (!theirs.contains(chosen)) {
      verb = null;
      for (Verb v : theirs) {
        if (v.family() == family && (verb == null || v.version() > verb.version())) {
          verb = v;
        }
      }
      if (verb == null) {
        throw new StatusException(Code.UNIMPLEMENTED, "host " + targetHostId
            + " advertises no verb of " + family);
      }
      counters.fallback(chosen);
      log.warn("host {} does not advertise {} (chosen at epoch {}); sending {} instead."
          + " This is a bug signal: the feature gate and the advertisement disagree.",
          targetHostId, chosen.wireName(), snapshot.epoch(), verb.wireName());
    }
    counters.sent(verb);
    return new Dispatch(verb, chosen, metadata);
  }
}
