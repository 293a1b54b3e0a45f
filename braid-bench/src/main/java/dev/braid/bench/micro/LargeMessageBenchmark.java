package dev.braid.bench.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * braid's server engine (see {@link EngineFixture}), negotiated, answering a unary echo of a
 * 1 MiB (+ 100 B) message whose request arrives in one read, split into frames of
 * {@code frameKiB}: packet assembly of a large message, its decode, and the reply's encode
 * and framing. The fixture's client announces a window that never runs out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LargeMessageBenchmark {
  /** Frame size of the request in KiB (braid peers send 16, 65 frames; upstream splits at 64). */
  @Param({"16"})
  int frameKiB;

  EngineFixture.Server server;

  @Setup(Level.Trial)
  public void setup() {
    server = new EngineFixture.Server(true, (1 << 20) + 100, Integer.MAX_VALUE);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }

  /** Server: one 1 MiB unary call, the request in {@code frameKiB} frames. */
  @Benchmark
  public long serverLargeMessage() {
    return server.splitCall(frameKiB << 10);
  }
}
