package dev.braid.bench.systems;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection for the harness's own tests: a server built with {@code corruptEvery = n}
 * changes every n-th message it sends (0: never), so that a test can prove a wrong
 * response fails the run.
 */
public final class Faults {
  private final long every;
  private final AtomicLong count = new AtomicLong();

  public Faults(long corruptEvery) {
    this.every = corruptEvery;
  }

  public static final Faults NONE = new Faults(0);

  /** Whether the next message sent must be corrupted. */
  public boolean corruptNext() {
    return every > 0 && count.incrementAndGet() % every == 0;
  }
}
