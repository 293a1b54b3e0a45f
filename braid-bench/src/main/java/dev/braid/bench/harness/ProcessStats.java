package dev.braid.bench.harness;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * CPU time and heap allocation of this JVM, for per-call costs over the measured phase.
 * Allocation is the sum over live threads (a thread that ended takes its count with it);
 * JVM object counts are not available, so {@link #allocs} is -1.
 *
 * @param cpuNanos process CPU time (user + system)
 * @param allocBytes bytes allocated on the heap by live threads
 * @param allocs objects allocated, or -1 when unknown
 * @param gcCount collections so far
 * @param gcMillis time in collections so far
 * @param jitMillis time the JIT compilers spent so far, or -1 when unknown (the Go peer)
 */
public record ProcessStats(long cpuNanos, long allocBytes, long allocs, long gcCount,
    long gcMillis, long jitMillis) {

  /** Now, for this JVM. */
  public static ProcessStats now() {
    long cpu = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpu = os.getProcessCpuTime();
    }
    long alloc = -1;
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
        && t.isThreadAllocatedMemorySupported()) {
      if (!t.isThreadAllocatedMemoryEnabled()) {
        t.setThreadAllocatedMemoryEnabled(true);
      }
      long sum = 0;
      for (long b : t.getThreadAllocatedBytes(t.getAllThreadIds())) {
        if (b > 0) {
          sum += b;
        }
      }
      alloc = sum;
    }
    long gcs = 0;
    long gcMs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs += Math.max(0, gc.getCollectionCount());
      gcMs += Math.max(0, gc.getCollectionTime());
    }
    return new ProcessStats(cpu, alloc, -1, gcs, gcMs, jitMillisNow());
  }

  /** Time this JVM's JIT compilers spent so far, in ms, or -1 when unknown. */
  public static long jitMillisNow() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() : -1;
  }

  /** The line a server prints when asked for its stats. */
  public String line() {
    return "STATS cpu_ns=" + cpuNanos + " alloc_bytes=" + allocBytes + " allocs=" + allocs
        + " gc_count=" + gcCount + " gc_ms=" + gcMillis + " jit_ms=" + jitMillis;
  }

  /** Parses {@link #line()} (also printed by the Go peer). */
  public static ProcessStats parse(String line) {
    if (!line.startsWith("STATS ")) {
      throw new IllegalArgumentException("not a STATS line: " + line);
    }
    long cpu = -1;
    long alloc = -1;
    long allocs = -1;
    long gcs = -1;
    long gcMs = -1;
    long jitMs = -1;
    for (String kv : line.substring(6).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        continue;
      }
      long v = Long.parseLong(kv.substring(eq + 1));
      switch (kv.substring(0, eq)) {
        case "cpu_ns" -> cpu = v;
        case "alloc_bytes" -> alloc = v;
        case "allocs" -> allocs = v;
        case "gc_count" -> gcs = v;
        case "gc_ms" -> gcMs = v;
        case "jit_ms" -> jitMs = v;
        default -> { }
      }
    }
    return new ProcessStats(cpu, alloc, allocs, gcs, gcMs, jitMs);
  }

  /** JIT compilation time from {@code before} to this, in ms; NaN when unknown. */
  public double jitMillisSince(ProcessStats before) {
    return jitMillis < 0 || before.jitMillis < 0 ? Double.NaN : jitMillis - before.jitMillis;
  }

  /** Per-call deltas from {@code before} to this; NaN where unknown. */
  public double[] perCall(ProcessStats before, long calls) {
    return new double[] {
        delta(cpuNanos, before.cpuNanos, calls) / 1000.0,
        delta(allocBytes, before.allocBytes, calls),
        delta(allocs, before.allocs, calls)};
  }

  private static double delta(long after, long before, long calls) {
    if (after < 0 || before < 0 || calls <= 0 || after < before) {
      return Double.NaN;
    }
    return (double) (after - before) / calls;
  }
}
