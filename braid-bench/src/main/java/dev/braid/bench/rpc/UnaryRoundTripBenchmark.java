package dev.braid.bench.rpc;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.testing.EchoService;
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
 * One blocking unary call over loopback, client and server in this JVM, handlers and
 * callbacks run directly. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes
 * both sides allocate per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnaryRoundTripBenchmark {
  @Param({"NEGOTIATE", "OFF"})
  public Multiplexing mode;

  private BraidServer server;
  private ClientConnection client;
  private final byte[] request = new byte[16];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = BraidServer.builder().listen("127.0.0.1", 0).executor(Runnable::run)
        .addService(new EchoService().definition()).build().start();
    client = ClientConnection.builder("127.0.0.1:" + server.port()).multiplexing(mode)
        .callbackExecutor(Runnable::run).connect();
    client.invoke(EchoService.UNARY, request);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.closeNow();
    server.closeNow();
  }

  @Benchmark
  public byte[] unary() throws Exception {
    return client.invoke(EchoService.UNARY, request);
  }
}
