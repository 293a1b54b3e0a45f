package dev.braid.rpc.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A limit on streams running at once, shared by every connection of one server (each
 * connection also has its own {@link ConnectionConfig#maxConcurrentStreams()}). It bounds
 * the handler threads a server's clients can occupy together.
 *
 * <p>Thread-safe: acquired on event loops, released on whatever thread finishes a stream.
 */
public final class StreamLimit {
  private final int max;
  private final AtomicInteger running = new AtomicInteger();

  public StreamLimit(int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("stream limit must be positive: " + max);
    }
    this.max = max;
  }

  /** Takes one stream; false if the limit is reached. */
  boolean tryAcquire() {
    while (true) {
      int n = running.get();
      if (n >= max) {
        return false;
      }
      if (running.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    running.decrementAndGet();
  }

  /** The limit. */
  public int max() {
    return max;
  }

  /** Streams running now. */
  public int running() {
    return running.get();
  }
}
