package dev.braid.coordinator;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the coordinator schedules its timers (timeouts, speculative retries). Production uses a
 * {@link ScheduledExecutorService}; tests use a manual clock so nothing sleeps.
 */
public interface Scheduler {
  /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  interface Cancellable {
    void cancel();
  }

  /** A scheduler over an executor service. */
  static Scheduler of(ScheduledExecutorService executor) {
    return (delay, task) -> {
      var f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
