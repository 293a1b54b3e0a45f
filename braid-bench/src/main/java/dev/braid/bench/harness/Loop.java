package dev.braid.bench.harness;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * The shared state of one closed loop: each of the {@code inflight} slots issues a call,
 * verifies its outcome, reports it here, and issues the next call while {@link #running()}.
 *
 * <p>Thread-safe: slots report from whatever thread their completions run on. Recording is
 * wait-free: latencies (nanoseconds, an {@link AtomicHistogram}), messages and bytes go
 * to the active bucket inside a {@link WriterReaderPhaser} critical section, and
 * {@link #interval()} swaps buckets, so that an interval's counts always agree.
 * The first failure stops the loop: a run with an error is reported as an error only.
 */
public final class Loop {
  /** The longest latency recorded; anything slower is clamped (and would be an outlier). */
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private volatile Bucket active = new Bucket();
  private Bucket inactive = new Bucket();
  private final LongAdder completed = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final CountDownLatch slotsDone;
  private final int slots;
  private volatile boolean running = true;

  public Loop(int slots) {
    this.slots = slots;
    this.slotsDone = new CountDownLatch(slots);
  }

  /** The number of slots. */
  public int slots() {
    return slots;
  }

  /** Whether slots should issue another call. */
  public boolean running() {
    return running;
  }

  /**
   * A call that ran from {@code startNanos} to {@code endNanos} (System.nanoTime) completed
   * and was verified; it carried {@code msgs} messages and {@code payloadBytes} payload bytes.
   */
  public void record(long startNanos, long endNanos, long msgs, long payloadBytes) {
    long d = endNanos - startNanos;
    long v = phaser.writerCriticalSectionEnter();
    try {
      Bucket b = active;
      b.latencies.recordValue(d < 1 ? 1 : Math.min(d, MAX_NANOS));
      b.messages.add(msgs);
      b.bytes.add(payloadBytes);
    } finally {
      phaser.writerCriticalSectionExit(v);
    }
    completed.increment();
  }

  /** A call failed or returned a wrong response: the run fails and the loop stops. */
  public void fail(String why) {
    errors.increment();
    firstError.compareAndSet(null, why);
    running = false;
  }

  /** {@link #fail(String)} for an exception. */
  public void fail(String context, Throwable t) {
    fail(context + ": " + describe(t));
  }

  /** A one-line description of {@code t} and its causes. */
  public static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(String.valueOf(t));
    Throwable c = t.getCause();
    for (int i = 0; c != null && c != t && i < 3; i++, c = c.getCause()) {
      sb.append(" <- ").append(c);
    }
    return sb.toString();
  }

  /** A slot has stopped issuing calls (after {@link #running()} turned false or a failure). */
  public void slotDone() {
    slotsDone.countDown();
  }

  /** Stops the loop: slots finish their current call and stop. */
  public void stop() {
    running = false;
  }

  /** Waits for every slot to stop; false on timeout. */
  public boolean awaitSlots(long timeoutMillis) throws InterruptedException {
    return slotsDone.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Slots not yet stopped. */
  public long slotsRunning() {
    return slotsDone.getCount();
  }

  /** Calls completed since the start, all phases. */
  public long completed() {
    return completed.sum();
  }

  /** The number of failures. */
  public long errors() {
    return errors.sum();
  }

  /** The first failure, or null. */
  public String firstError() {
    return firstError.get();
  }

  /** A snapshot of the latencies, messages and bytes since the previous one, then reset. */
  public synchronized Interval interval() {
    Bucket done;
    phaser.readerLock();
    try {
      inactive.reset();
      done = active;
      active = inactive;
      phaser.flipPhase();
    } finally {
      phaser.readerUnlock();
    }
    inactive = done;
    return new Interval(done.latencies.copy(), done.messages.sum(), done.bytes.sum());
  }

  private static final class Bucket {
    final Histogram latencies = new AtomicHistogram(MAX_NANOS, 3);
    final LongAdder messages = new LongAdder();
    final LongAdder bytes = new LongAdder();

    void reset() {
      latencies.reset();
      messages.reset();
      bytes.reset();
    }
  }

  /** Latencies (nanoseconds), messages and payload bytes of one interval. */
  public record Interval(Histogram latencies, long messages, long bytes) {}
}
