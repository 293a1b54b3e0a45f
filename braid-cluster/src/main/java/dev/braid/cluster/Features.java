package dev.braid.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A catalogue of features, and braid's own: {@link #BRAID}. Each feature is declared once, as
 * a constant here; a catalogue is immutable and thread-safe.
 */
public final class Features {
  /**
   * Read verbs that carry position ranges ({@code ReadDataV2}, {@code ReadMutationDataV2},
   * {@code ReadDigestV2}). Wire-only, so reversible. Supported from release 2; release 3 has
   * no v1 verbs and requires it.
   */
  public static final Feature POSITION_RANGE = new Feature("POSITION_RANGE", true, 2, 3);

  /** braid's features. */
  public static final Features BRAID = of(POSITION_RANGE);

  /** The newest release braid knows. */
  public static final int LATEST_RELEASE = 3;

  /** The default release of a node. */
  public static final int DEFAULT_RELEASE = 2;

  private final Map<String, Feature> byName;

  private Features(Map<String, Feature> byName) {
    this.byName = byName;
  }

  /** A catalogue of the given features (names must be distinct). */
  public static Features of(Feature... features) {
    Map<String, Feature> m = new LinkedHashMap<>();
    for (Feature f : features) {
      if (m.putIfAbsent(f.name(), f) != null) {
        throw new IllegalArgumentException("feature declared twice: " + f.name());
      }
    }
    return new Features(Collections.unmodifiableMap(m));
  }

  /** Every feature, in declaration order. */
  public Collection<Feature> all() {
    return byName.values();
  }

  /** The feature of that name, or null. */
  public Feature get(String name) {
    return byName.get(name);
  }

  /**
   * The feature of that name.
   *
   * @throws IllegalArgumentException naming the known features when there is none
   */
  public Feature require(String name) {
    Feature f = byName.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown feature '" + name + "'; known features: "
          + String.join(", ", byName.keySet()));
    }
    return f;
  }

  /** Names of the features a node of {@code release} supports, minus {@code disabled}. */
  public Set<String> supportedBy(int release, Collection<String> disabled) {
    Set<String> out = new TreeSet<>();
    for (Feature f : byName.values()) {
      if (f.knownBy(release) && !disabled.contains(f.name())) {
        out.add(f.name());
      }
    }
    return out;
  }

  /** Features a node of {@code release} requires enabled. */
  public List<Feature> requiredBy(int release) {
    List<Feature> out = new ArrayList<>();
    for (Feature f : byName.values()) {
      if (f.requiredBy(release)) {
        out.add(f);
      }
    }
    return out;
  }
}
