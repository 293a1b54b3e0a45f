package dev.braid.bench.harness;

/**
 * A system's load-generating client for one cell. {@link #start} connects and starts one
 * closed-loop slot per call in flight; every slot verifies each response, reports it to the
 * {@link Loop}, and calls {@link Loop#slotDone()} once it stops.
 */
public interface BenchClient extends AutoCloseable {
  /** Connects and starts {@code loop.slots()} slots. Failures to connect are thrown. */
  void start(Loop loop) throws Exception;

  /** The number of connections used. */
  int connections();

  /** Releases connections and threads. */
  @Override
  void close() throws Exception;
}
