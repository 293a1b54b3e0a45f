package dev.braid.store.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-partition token buckets (the seed's per-partition rate limit): each partition of a table
 * gets a bucket of {@code limit} tokens refilled at {@code limit} per second. Thread-safe. The
 * map is bounded: when it holds more than {@link #MAX_BUCKETS} buckets it is cleared (which only
 * forgives recent usage).
 */
public final class RateLimiter {
  /** Most buckets kept. */
  public static final int MAX_BUCKETS = 100_000;
  private final ConcurrentHashMap<ByteBuffer, double[]> buckets = new ConcurrentHashMap<>();

  /**
   * Takes one token for {@code key}.
   *
   * @param enforce when false the use is only accounted
   * @return false if enforcing and the bucket is empty
   */
  public boolean acquire(byte[] key, int limit, boolean enforce, long nowNanos) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.clear();
    }
    double[] b = buckets.computeIfAbsent(ByteBuffer.wrap(key.clone()),
        k -> new double[] {limit, nowNanos});
    synchronized (b) {
      double elapsed = (nowNanos - (long) b[1]) / 1e9;
      b[0] = Math.min(limit, b[0] + elapsed * limit);
      b[1] = nowNanos;
      if (b[0] >= 1) {
        b[0] -= 1;
        return true;
      }
      if (!enforce) {
        b[0] -= 1;
        return true;
      }
      return false;
    }
  }
}
