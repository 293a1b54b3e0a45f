package dev.braid.cluster;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of each verb this node sent and received since it started, and of the sends that
 * fell back to another verb because the target did not advertise the chosen one. Thread-safe.
 */
public final class VerbCounters {
  /** One verb's counts at one moment. */
  public record Counts(long sent, long received, long fallbacks) {}

  private final Map<Verb, LongAdder[]> counts = new EnumMap<>(Verb.class);

  VerbCounters() {
    for (Verb v : Verb.values()) {
      counts.put(v, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    }
  }

  void sent(Verb v) {
    counts.get(v)[0].increment();
  }

  void received(Verb v) {
    counts.get(v)[1].increment();
  }

  void fallback(Verb chosen) {
    counts.get(chosen)[2].increment();
  }

  /** The counts of {@code verb}. */
  public Counts get(Verb verb) {
    LongAdder[] a = counts.get(verb);
    return new Counts(a[0].sum(), a[1].sum(), a[2].sum());
  }

  /** Every verb's counts. */
  public Map<Verb, Counts> all() {
    Map<Verb, Counts> out = new EnumMap<>(Verb.class);
    for (Verb v : Verb.values()) {
      out.put(v, get(v));
    }
    return out;
  }
}
