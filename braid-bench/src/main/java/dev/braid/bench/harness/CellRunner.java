package dev.braid.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * Runs one cell in this process: starts the client's slots, warms up, measures, stops, and
 * turns the measured interval into a {@link CellResult}. Any failure (a wrong response, an
 * RPC error, slots that do not stop) makes the result an error without figures.
 */
public final class CellRunner {
  private CellRunner() {}

  /** Progress callbacks, from the runner's thread. */
  public interface Listener {
    /** Periodically: the phase ("warmup" or "measure"), its progress, calls so far. */
    default void progress(String phase, long elapsedMillis, long phaseMillis, long completed) {}

    /** The measured phase begins ("measure") or ends ("end"). */
    default void phase(String phase) {}
  }

  /** How often progress is reported. */
  static final long TICK_MILLIS = 200;
  /** How long slots may take to finish their last call once stopped. */
  static final long STOP_MILLIS = 15_000;

  public static CellResult run(BenchClient client, Cell cell, Listener listener) {
    return run(client, cell, listener, STOP_MILLIS);
  }

  static CellResult run(BenchClient client, Cell cell, Listener listener, long stopMillis) {
    CellResult r = CellResult.of(cell);
    r.loadAvg = loadAverage();
    Loop loop = new Loop(cell.inflight());
    try {
      client.start(loop);
      r.connections = client.connections();
      phase(loop, "warmup", cell.warmupMillis(), listener);
      loop.interval(); // discard the warm-up
      ProcessStats before = ProcessStats.now();
      long t0 = System.nanoTime();
      listener.phase("measure");
      phase(loop, "measure", cell.measureMillis(), listener);
      Loop.Interval measured = loop.interval();
      long t1 = System.nanoTime();
      ProcessStats after = ProcessStats.now();
      listener.phase("end");
      loop.stop();
      boolean stopped = loop.awaitSlots(stopMillis);
      fill(r, measured, (t1 - t0) / 1e9, cell);
      double[] pc = after.perCall(before, r.calls);
      r.clientCpuUs = pc[0];
      r.clientAllocBytes = pc[1];
      r.clientAllocs = pc[2];
      r.clientJitMs = after.jitMillisSince(before);
      if (loop.firstError() != null) {
        r.fail(loop.firstError() + (loop.errors() > 1 ? " (" + loop.errors() + " errors)" : ""));
      } else if (!stopped) {
        r.fail(loop.slotsRunning() + " of " + cell.inflight()
            + " slots still had a call outstanding " + stopMillis + " ms after the end");
      } else if (r.calls == 0) {
        r.fail("no call completed in the measured phase");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.fail("interrupted");
    } catch (Throwable t) {
      r.fail(loop.firstError() != null ? loop.firstError() : Loop.describe(t));
    } finally {
      loop.stop();
      try {
        client.close();
      } catch (Exception e) {
        if (r.ok()) {
          r.fail("closing the client: " + Loop.describe(e));
        }
      }
    }
    return r;
  }

  private static void phase(Loop loop, String name, long millis, Listener listener)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + millis * 1_000_000L;
    while (true) {
      long now = System.nanoTime();
      listener.progress(name, (now - start) / 1_000_000L, millis, loop.completed());
      if (now >= end || !loop.running()) {
        return;
      }
      Thread.sleep(Math.max(1, Math.min(TICK_MILLIS, (end - now) / 1_000_000L)));
    }
  }

  static void fill(CellResult r, Loop.Interval iv, double seconds, Cell cell) {
    Histogram h = iv.latencies();
    r.calls = h.getTotalCount();
    r.messages = iv.messages();
    r.bytes = iv.bytes();
    r.seconds = seconds;
    if (r.calls == 0 || seconds <= 0) {
      return;
    }
    r.callsPerS = r.calls / seconds;
    r.mibPerS = r.bytes / seconds / (1 << 20);
    r.p50Us = h.getValueAtPercentile(50) / 1000.0;
    r.p90Us = h.getValueAtPercentile(90) / 1000.0;
    r.p99Us = h.getValueAtPercentile(99) / 1000.0;
    r.p999Us = h.getValueAtPercentile(99.9) / 1000.0;
    r.maxUs = h.getMaxValue() / 1000.0;
  }

  /** The 1-minute load average from /proc/loadavg, or NaN. */
  public static double loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg")).trim();
      return Double.parseDouble(s.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
