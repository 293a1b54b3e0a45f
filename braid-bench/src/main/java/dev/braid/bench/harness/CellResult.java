package dev.braid.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one cell. A failed cell ({@link #error} set) carries no figures: its
 * throughput and latencies are NaN and are written as JSON null.
 */
public final class CellResult {
  public String system;
  public String executor;
  public Scenario scenario;
  public int payloadBytes;
  public int inflight;
  public int connections;
  public int messagesPerCall = 1;
  /** Calls completed and verified in the measured phase. */
  public long calls;
  public long messages;
  public long bytes;
  public double seconds;
  public double callsPerS = Double.NaN;
  public double mibPerS = Double.NaN;
  public double p50Us = Double.NaN;
  public double p90Us = Double.NaN;
  public double p99Us = Double.NaN;
  public double p999Us = Double.NaN;
  public double maxUs = Double.NaN;
  /** Client process CPU, heap bytes and objects per call (NaN when unknown). */
  public double clientCpuUs = Double.NaN;
  public double clientAllocBytes = Double.NaN;
  public double clientAllocs = Double.NaN;
  /** Server process CPU, heap bytes and objects per call (NaN when unknown). */
  public double serverCpuUs = Double.NaN;
  public double serverAllocBytes = Double.NaN;
  public double serverAllocs = Double.NaN;
  /**
   * Milliseconds the client's and the server's JIT compilers spent during the measured
   * phase (NaN when unknown, as for Go): near zero when the cell measured compiled code.
   */
  public double clientJitMs = Double.NaN;
  public double serverJitMs = Double.NaN;
  /** Seconds the harness ran this cell's calls before it until the JIT was quiet. */
  public double settleSeconds;
  /** /proc/loadavg's 1-minute average when the cell started, or NaN. */
  public double loadAvg = Double.NaN;
  /** Why the cell failed, or null. */
  public String error;
  /** With --repeat: every repeat's calls/s, in run order (this result is their median). */
  public java.util.List<Double> repeats = java.util.List.of();

  public boolean ok() {
    return error == null;
  }

  /** Marks this result failed: every figure is dropped. */
  public CellResult fail(String why) {
    error = why;
    callsPerS = mibPerS = p50Us = p90Us = p99Us = p999Us = maxUs = Double.NaN;
    return this;
  }

  /** A result for {@code cell} with no figures yet. */
  public static CellResult of(Cell cell) {
    CellResult r = new CellResult();
    r.system = cell.system();
    r.executor = cell.executor();
    r.scenario = cell.scenario();
    r.payloadBytes = cell.payloadBytes();
    r.inflight = cell.inflight();
    r.messagesPerCall = cell.scenario() == Scenario.STREAM ? cell.messagesPerCall() : 1;
    return r;
  }

  /** Whether this result is for the same point as {@code other} (ignoring figures). */
  public boolean samePoint(CellResult o) {
    return system.equals(o.system) && executor.equals(o.executor) && scenario == o.scenario
        && payloadBytes == o.payloadBytes && inflight == o.inflight;
  }

  /**
   * The run entry in exactly the shape of issue 6: system, scenario, payload_bytes,
   * inflight, connections, calls_per_s, mib_per_s, p50_us, p99_us, executor; failed runs
   * have null figures and one more key, {@code error}.
   */
  public Map<String, Object> toRun() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", system);
    m.put("scenario", scenario.label());
    m.put("payload_bytes", payloadBytes);
    m.put("inflight", inflight);
    m.put("connections", connections);
    m.put("calls_per_s", num(callsPerS, 1));
    m.put("mib_per_s", num(mibPerS, 2));
    m.put("p50_us", num(p50Us, 1));
    m.put("p99_us", num(p99Us, 1));
    m.put("executor", executor);
    if (error != null) {
      m.put("error", error);
    }
    return m;
  }

  /** Everything, for the details file and for re-rendering reports. */
  public Map<String, Object> toDetails() {
    Map<String, Object> m = toRun();
    m.remove("error");
    m.put("messages_per_call", messagesPerCall);
    m.put("calls", calls);
    m.put("messages", messages);
    m.put("bytes", bytes);
    m.put("seconds", num(seconds, 3));
    m.put("p90_us", num(p90Us, 1));
    m.put("p999_us", num(p999Us, 1));
    m.put("max_us", num(maxUs, 1));
    m.put("client_cpu_us_per_call", num(clientCpuUs, 2));
    m.put("client_alloc_bytes_per_call", num(clientAllocBytes, 0));
    m.put("client_allocs_per_call", num(clientAllocs, 1));
    m.put("server_cpu_us_per_call", num(serverCpuUs, 2));
    m.put("server_alloc_bytes_per_call", num(serverAllocBytes, 0));
    m.put("server_allocs_per_call", num(serverAllocs, 1));
    m.put("client_jit_ms", num(clientJitMs, 0));
    m.put("server_jit_ms", num(serverJitMs, 0));
    m.put("jit_settle_s", num(settleSeconds, 1));
    m.put("load_avg_1m", num(loadAvg, 2));
    if (repeats.size() > 1) {
      java.util.List<Object> l = new java.util.ArrayList<>();
      for (double d : repeats) {
        l.add(num(d, 1));
      }
      m.put("repeat_calls_per_s", l);
    }
    m.put("error", error);
    return m;
  }

  /** Reads {@link #toDetails()} or {@link #toRun()} output back. */
  public static CellResult fromMap(Map<String, Object> m) {
    CellResult r = new CellResult();
    r.system = (String) m.get("system");
    r.executor = (String) m.get("executor");
    r.scenario = Scenario.parse((String) m.get("scenario"));
    r.payloadBytes = (int) lng(m, "payload_bytes", 0);
    r.inflight = (int) lng(m, "inflight", 0);
    r.connections = (int) lng(m, "connections", 0);
    r.messagesPerCall = (int) lng(m, "messages_per_call", 1);
    r.calls = lng(m, "calls", 0);
    r.messages = lng(m, "messages", 0);
    r.bytes = lng(m, "bytes", 0);
    r.seconds = dbl(m, "seconds");
    r.callsPerS = dbl(m, "calls_per_s");
    r.mibPerS = dbl(m, "mib_per_s");
    r.p50Us = dbl(m, "p50_us");
    r.p90Us = dbl(m, "p90_us");
    r.p99Us = dbl(m, "p99_us");
    r.p999Us = dbl(m, "p999_us");
    r.maxUs = dbl(m, "max_us");
    r.clientCpuUs = dbl(m, "client_cpu_us_per_call");
    r.clientAllocBytes = dbl(m, "client_alloc_bytes_per_call");
    r.clientAllocs = dbl(m, "client_allocs_per_call");
    r.serverCpuUs = dbl(m, "server_cpu_us_per_call");
    r.serverAllocBytes = dbl(m, "server_alloc_bytes_per_call");
    r.serverAllocs = dbl(m, "server_allocs_per_call");
    r.clientJitMs = dbl(m, "client_jit_ms");
    r.serverJitMs = dbl(m, "server_jit_ms");
    r.settleSeconds = dbl(m, "jit_settle_s");
    r.loadAvg = dbl(m, "load_avg_1m");
    r.error = (String) m.get("error");
    if (m.get("repeat_calls_per_s") instanceof java.util.List<?> l) {
      java.util.List<Double> rs = new java.util.ArrayList<>();
      for (Object o : l) {
        rs.add(o instanceof Number n ? n.doubleValue() : Double.NaN);
      }
      r.repeats = rs;
    }
    return r;
  }

  private static Object num(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v) ? null : Units.round(v, decimals);
  }

  private static long lng(Map<String, Object> m, String k, long dflt) {
    Object v = m.get(k);
    return v instanceof Number n ? n.longValue() : dflt;
  }

  private static double dbl(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  @Override
  public String toString() {
    return Json.write(toDetails());
  }
}
