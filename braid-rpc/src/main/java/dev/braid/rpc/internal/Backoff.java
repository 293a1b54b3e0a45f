package dev.braid.rpc.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter between reconnection attempts, as gRPC's connection
 * backoff: the first delay is {@code initial}, each next one {@code multiplier} times the
 * last up to {@code max}, and every delay handed out is spread by ±{@code jitter} (a
 * fraction) so that clients of a restarted server do not all come back at once. gRPC's
 * defaults: 1 s, ×1.6, ±20 %, 120 s.
 *
 * <p>Not thread-safe: callers serialize (ClientConnection uses its dial lock).
 */
public final class Backoff {
  public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  public static final double DEFAULT_MULTIPLIER = 1.6;
  public static final double DEFAULT_JITTER = 0.2;
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(120);

  private final long initialNanos;
  private final double multiplier;
  private final double jitter;
  private final long maxNanos;
  private final DoubleSupplier random;
  private long nextNanos;

  /** gRPC's defaults with a thread-local random source. */
  public static Backoff defaults() {
    return new Backoff(DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_JITTER, DEFAULT_MAX,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * @param random uniform values in [0, 1); tests pass a fixed sequence
   */
  public Backoff(Duration initial, double multiplier, double jitter, Duration max,
      DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
    if (!(multiplier >= 1) || !(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("need multiplier >= 1 and 0 <= jitter < 1");
    }
    this.initialNanos = initial.toNanos();
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  /** The delay before the next attempt; the one after grows. */
  public long nextDelayNanos() {
    long base = nextNanos;
    nextNanos = (long) Math.min(maxNanos, base * multiplier);
    double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Math.max(1, (long) (base * spread));
  }

  /** After a success: the next delay is the initial one again. */
  public void reset() {
    nextNanos = initialNanos;
  }

  /** A fresh backoff with the same parameters. */
  public Backoff copy() {
    return new Backoff(Duration.ofNanos(initialNanos), multiplier, jitter,
        Duration.ofNanos(maxNanos), random);
  }
}
