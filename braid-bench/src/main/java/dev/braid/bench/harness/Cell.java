package dev.braid.bench.harness;

/**
 * One measured point of the matrix: a system in one dispatch configuration, a scenario, a
 * payload size and the number of calls kept in flight.
 *
 * @param system the system name (see {@code dev.braid.bench.systems.SystemKind})
 * @param executor the dispatch configuration: {@code direct} (handlers and callbacks on the
 *     I/O thread), {@code pool} (a thread pool), or the system's only mode
 * @param scenario what is measured
 * @param payloadBytes the message size
 * @param inflight calls kept in flight (closed loop)
 * @param messagesPerCall messages per server-streaming call (ignored otherwise)
 * @param warmupMillis warm-up before measuring
 * @param measureMillis the measured phase
 */
public record Cell(String system, String executor, Scenario scenario, int payloadBytes,
    int inflight, int messagesPerCall, long warmupMillis, long measureMillis) {

  public Cell {
    if (inflight <= 0) {
      throw new IllegalArgumentException("inflight must be positive: " + inflight);
    }
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("payload must not be negative: " + payloadBytes);
    }
    if (messagesPerCall <= 0) {
      throw new IllegalArgumentException("messagesPerCall must be positive");
    }
    if (warmupMillis < 0 || measureMillis <= 0) {
      throw new IllegalArgumentException("bad phase lengths");
    }
  }

  /** A short label for progress lines. */
  public String label() {
    return system + "/" + executor + " " + scenario.label() + " " + Units.bytes(payloadBytes)
        + " x" + inflight;
  }
}
