package dev.braid.rpc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Invoke metadata: string keys and values sent with the start of a call (DRPC's
 * InvokeMetadata packet). Immutable; keys keep the order they were added in.
 *
 * <p>Keys starting with {@code braid-} are reserved for braid itself (e.g. the deadline).
 */
public final class Metadata {
  /** No metadata. */
  public static final Metadata EMPTY = new Metadata(Collections.emptyMap());

  private final Map<String, String> entries;

  private Metadata(Map<String, String> entries) {
    this.entries = entries;
  }

  /** Metadata from alternating keys and values: {@code of("k1", "v1", "k2", "v2")}. */
  public static Metadata of(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(Objects.requireNonNull(keysAndValues[i], "key"),
          Objects.requireNonNull(keysAndValues[i + 1], "value"));
    }
    return m.isEmpty() ? EMPTY : new Metadata(Collections.unmodifiableMap(m));
  }

  /** Metadata holding a copy of {@code map}. */
  public static Metadata of(Map<String, String> map) {
    if (map.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> m = new LinkedHashMap<>();
    map.forEach((k, v) -> m.put(Objects.requireNonNull(k, "key"),
        Objects.requireNonNull(v, "value")));
    return new Metadata(Collections.unmodifiableMap(m));
  }

  /** A copy with {@code key} set to {@code value}. */
  public Metadata with(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(entries);
    m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new Metadata(Collections.unmodifiableMap(m));
  }

  /** A copy without {@code key}. */
  public Metadata without(String key) {
    if (!entries.containsKey(key)) {
      return this;
    }
    Map<String, String> m = new LinkedHashMap<>(entries);
    m.remove(key);
    return m.isEmpty() ? EMPTY : new Metadata(Collections.unmodifiableMap(m));
  }

  /** The value of {@code key}, or {@code null}. */
  public String get(String key) {
    return entries.get(key);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** An unmodifiable view in insertion order. */
  public Map<String, String> asMap() {
    return entries;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata m && m.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
