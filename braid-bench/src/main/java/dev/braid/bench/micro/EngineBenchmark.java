package dev.braid.bench.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * braid's connection engine per unary call, server and client side, in an EmbeddedChannel
 * (see {@link EngineFixture}): frame parsing, packet assembly, dispatch on the I/O thread,
 * response encoding and the coalescing writer. {@code batch64} variants put 64 calls in one
 * read (server) or one writer batch (client), as a loaded connection does; per op is one call.
 * {@code negotiated}: braid's multiplexing extensions on (stream windows, WindowUpdates).
 * The client is batched only when negotiated (a DRPC-mode connection runs one call at a
 * time), so {@code clientUnaryBatch64} ignores the {@code negotiated} parameter.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EngineBenchmark {
  @Param({"false", "true"})
  boolean negotiated;

  @Param({"0", "1024"})
  int payload;

  EngineFixture.Server server;
  EngineFixture.Client client;

  @Setup(Level.Trial)
  public void setup() {
    server = new EngineFixture.Server(negotiated, payload);
    client = new EngineFixture.Client(negotiated, payload);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
    client.close();
  }

  /** Server: one unary call in its own read and flush. */
  @Benchmark
  public long serverUnary() {
    return server.calls(1);
  }

  /** Server: 64 unary calls in one read, answered in one flush. Per op: one call. */
  @Benchmark
  @OperationsPerInvocation(64)
  public long serverUnaryBatch64() {
    return server.calls(64);
  }

  /** Client: one unary call, request written and response read. */
  @Benchmark
  public long clientUnary() {
    return client.calls(1);
  }

  /** Client, negotiated: 64 calls in one writer batch, answered in one read. */
  @State(Scope.Thread)
  public static class Batch {
    @Param({"0", "1024"})
    int payload;

    EngineFixture.Client client;

    @Setup(Level.Trial)
    public void setup() {
      client = new EngineFixture.Client(true, payload);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      client.close();
    }
  }

  /** Client (negotiated): 64 calls in one writer batch. Per op: one call. */
  @Benchmark
  @OperationsPerInvocation(64)
  public long clientUnaryBatch64(Batch b) {
    return b.client.calls(64);
  }
}
