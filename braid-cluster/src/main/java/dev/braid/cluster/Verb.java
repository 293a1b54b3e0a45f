package dev.braid.cluster;

import java.util.EnumSet;
import java.util.Set;

/**
 * The verb registry: every versioned verb, its family, its version, the feature that gates it
 * (null for a family's first version) and the releases that register it.
 *
 * <p>A coordinator never picks a verb itself: it takes a {@link FeatureSnapshot} at the start
 * of a request and asks it ({@link FeatureSnapshot#verbFor}), or better a
 * {@link ClusterRequest}, which also checks the target's advertised verbs.
 */
public enum Verb {
  READ_DATA("ReadData", VerbFamily.READ_DATA, 1, null, 1, 2),
  READ_DATA_V2("ReadDataV2", VerbFamily.READ_DATA, 2, Features.POSITION_RANGE, 2, 0),
  READ_MUTATION_DATA("ReadMutationData", VerbFamily.READ_MUTATION_DATA, 1, null, 1, 2),
  READ_MUTATION_DATA_V2("ReadMutationDataV2", VerbFamily.READ_MUTATION_DATA, 2,
      Features.POSITION_RANGE, 2, 0),
  READ_DIGEST("ReadDigest", VerbFamily.READ_DIGEST, 1, null, 1, 2),
  READ_DIGEST_V2("ReadDigestV2", VerbFamily.READ_DIGEST, 2, Features.POSITION_RANGE, 2, 0);

  private final String wireName;
  private final VerbFamily family;
  private final int version;
  private final Feature gate;
  private final int sinceRelease;
  private final int untilRelease;

  Verb(String wireName, VerbFamily family, int version, Feature gate, int sinceRelease,
      int untilRelease) {
    this.wireName = wireName;
    this.family = family;
    this.version = version;
    this.gate = gate;
    this.sinceRelease = sinceRelease;
    this.untilRelease = untilRelease;
  }

  /** The RPC method's short name, e.g. {@code ReadDataV2}. */
  public String wireName() {
    return wireName;
  }

  public VerbFamily family() {
    return family;
  }

  public int version() {
    return version;
  }

  /** The feature that must be enabled (in the request's snapshot) to send it, or null. */
  public Feature gate() {
    return gate;
  }

  /** Whether a node of {@code release} registers a handler for this verb. */
  public boolean registeredBy(int release) {
    return release >= sinceRelease && (untilRelease == 0 || release <= untilRelease);
  }

  /** The verbs a node of {@code release} registers (and so advertises). */
  public static Set<Verb> registeredByRelease(int release) {
    Set<Verb> out = EnumSet.noneOf(Verb.class);
    for (Verb v : values()) {
      if (v.registeredBy(release)) {
        out.add(v);
      }
    }
    return out;
  }

  /** The verb with that wire name, or null. */
  public static Verb byWireName(String name) {
    for (Verb v : values()) {
      if (v.wireName.equals(name)) {
        return v;
      }
    }
    return null;
  }
}
