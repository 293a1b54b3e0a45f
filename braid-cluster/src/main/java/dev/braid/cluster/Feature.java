package dev.braid.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named cluster feature, declared once in code (see {@link Features}).
 *
 * <p>A node supports a feature from release {@code sinceRelease} on (unless disabled with
 * {@code --disable-features}); the Raft leader enables it once every normal node supports it.
 * A {@code reversible} feature changes only what travels on the wire, never what is stored, so
 * an operator may {@code disable} it again. From release {@code requiredFromRelease} on (0:
 * never) a node refuses to boot or join unless the feature is enabled: the release has
 * dropped the code paths the feature replaced.
 *
 * @param name upper-case name, e.g. {@code POSITION_RANGE}
 * @param reversible whether {@code disable} may take it back to held
 * @param sinceRelease the first release that supports it
 * @param requiredFromRelease the first release that requires it enabled, or 0
 */
public record Feature(String name, boolean reversible, int sinceRelease,
    int requiredFromRelease) {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  /** Checks the declaration. */
  public Feature {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("feature name must match " + NAME + ": " + name);
    }
    if (sinceRelease < 1) {
      throw new IllegalArgumentException("sinceRelease must be >= 1: " + sinceRelease);
    }
    if (requiredFromRelease != 0 && requiredFromRelease <= sinceRelease) {
      throw new IllegalArgumentException("requiredFromRelease must be 0 or after sinceRelease");
    }
  }

  /** Whether a node of {@code release} knows this feature at all. */
  public boolean knownBy(int release) {
    return release >= sinceRelease;
  }

  /** Whether a node of {@code release} refuses to run unless this feature is enabled. */
  public boolean requiredBy(int release) {
    return requiredFromRelease != 0 && release >= requiredFromRelease;
  }

  @Override
  public String toString() {
    return name;
  }
}
