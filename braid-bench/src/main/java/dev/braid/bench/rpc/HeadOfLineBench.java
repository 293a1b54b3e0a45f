package dev.braid.bench.rpc;

import com.google.protobuf.ByteString;
import dev.braid.bench.harness.Payloads;
import dev.braid.bench.harness.ProcessStats;
import dev.braid.bench.proto.BenchGrpc;
import dev.braid.bench.proto.Msg;
import dev.braid.bench.systems.BenchServer;
import dev.braid.bench.systems.Faults;
import dev.braid.bench.systems.GrpcSystem;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.testing.EchoService;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Head-of-line blocking: small unary latency on an idle connection, against the same while
 * 64 MiB server-streaming transfers (64 × 1 MiB, back to back) run
 * <ul>
 *   <li>on a second connection to the same server ({@code bulk elsewhere}): the cost of
 *       sharing the machine's CPUs with the transfer, with no data ahead of the call;</li>
 *   <li>on the same connection ({@code bulk same conn}): that plus whatever the call waits
 *       for behind the transfer's bytes — head-of-line blocking proper.</li>
 * </ul>
 * braid runs negotiated (frames of all streams interleaved) and forced (each packet's frames
 * contiguous, as the cockroachdb fork requires); gRPC-Java (HTTP/2, default settings, pooled
 * executors on both sides like braid's defaults) runs the same three phases for context. Every response is verified; a run with an error fails instead of printing.
 *
 * <p>Run: {@code java -cp braid-bench/target/benchmarks.jar dev.braid.bench.rpc.HeadOfLineBench
 * [calls [bulkMiBPerS [rounds]]]} — bulkMiBPerS paces the transfer's reader (0, the default,
 * reads as fast as it can); rounds repeats the three phases (default 3). Within a round
 * the phases take turns in ten blocks of calls/10 (a transfer is started for its block and
 * cancelled after it), so that a machine whose speed drifts affects all three alike. The
 * warm-up (the three phases) repeats until the JIT compiled for under 1% of a pass, at most
 * 60 s; each round prints the JIT time it saw, and a last line pools every round's calls
 * (p99 over all of them, per phase).
 * System properties:
 * {@code -Dbulkonly=true} measures only the transfer's throughput (3 s per round);
 * {@code -Dnoforce=true} and {@code -Dnogrpc=true} skip those systems;
 * {@code -Dwindow=BYTES} (and {@code -DmaxWindow=BYTES}, default the same) sets braid's
 * client stream window, which bounds the transfer's bytes in flight ahead of a reply.
 */
public final class HeadOfLineBench {
  private HeadOfLineBench() {}

  /** gRPC's server logs every cancelled transfer's unsent data as a warning; kept quiet. */
  private static final java.util.logging.Logger GRPC_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

  public static void main(String[] args) throws Exception {
    GRPC_SERVER_LOG.setLevel(java.util.logging.Level.SEVERE);
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf("%d calls per phase, bulk reader %s, %d rounds, %d CPUs%n", calls,
        rate == 0 ? "unpaced" : rate + " MiB/s", rounds,
        Runtime.getRuntime().availableProcessors());
    try (BraidServer server = BraidServer.builder().listen("127.0.0.1", 0)
        .addService(new EchoService().definition()).build().start()) {
      String target = "127.0.0.1:" + server.port();
      for (Multiplexing mode : Boolean.getBoolean("noforce")
          ? new Multiplexing[] {Multiplexing.NEGOTIATE}
          : new Multiplexing[] {Multiplexing.NEGOTIATE, Multiplexing.FORCE}) {
        try (Link c = braid(target, mode); Link other = braid(target, mode)) {
          run("braid " + mode.name().toLowerCase(java.util.Locale.ROOT), c, other, calls, rate,
              rounds);
        }
      }
    }
    if (Boolean.getBoolean("nogrpc")) {
      return;
    }
    try (BenchServer server = GrpcSystem.server(new InetSocketAddress("127.0.0.1", 0), false,
        Faults.NONE)) {
      try (Link c = grpc(server.address()); Link other = grpc(server.address())) {
        run("grpc-java", c, other, calls, rate, rounds);
      }
    }
  }

  private static void run(String name, Link c, Link other, int calls, int rate, int rounds)
      throws Exception {
    // warm-up: calls alone, then with the transfer on each connection, until the JIT is
    // quiet (the first round used to be the worst while C2 still compiled the paths)
    long w0 = System.nanoTime();
    int passes = 0;
    double jitShare;
    do {
      long j0 = ProcessStats.jitMillisNow();
      long p0 = System.nanoTime();
      measure(c, null, calls, rate, new Phase());
      measure(c, other, calls / 2, rate, new Phase());
      measure(c, c, calls / 2, rate, new Phase());
      passes++;
      jitShare = (ProcessStats.jitMillisNow() - j0) / ((System.nanoTime() - p0) / 1e6);
    } while (jitShare > QUIET_JIT_SHARE && System.nanoTime() - w0 < MAX_WARMUP_NANOS);
    System.out.printf("%s warm-up: %d passes in %.1f s, JIT %.1f%% of the last%n", name,
        passes, (System.nanoTime() - w0) / 1e9, 100 * jitShare);
    if (Boolean.getBoolean("bulkonly")) {
      for (int r = 1; r <= rounds; r++) {
        long t0 = System.nanoTime();
        long[] bytes = {0};
        while (System.nanoTime() - t0 < 3_000_000_000L) {
          c.transfer(n -> bytes[0] += verified(n));
        }
        System.out.printf("%s bulk alone %.0f MiB/s%n", name,
            bytes[0] / 1048576.0 / ((System.nanoTime() - t0) / 1e9));
      }
      return;
    }
    Phase allIdle = new Phase();
    Phase allElsewhere = new Phase();
    Phase allSame = new Phase();
    for (int r = 1; r <= rounds; r++) {
      // the three phases take turns in blocks, so that each sees the same (drifting) machine
      Phase idle = new Phase();
      Phase elsewhere = new Phase();
      Phase same = new Phase();
      int per = Math.max(1, calls / BLOCKS);
      long j0 = ProcessStats.jitMillisNow();
      for (int b = 0; b < BLOCKS; b++) {
        measure(c, null, per, rate, idle);
        measure(c, other, per, rate, elsewhere);
        measure(c, c, per, rate, same);
      }
      System.out.printf("%-16s round %d | idle %s | bulk elsewhere %s | bulk same conn %s"
          + " | p99 same/idle %.2f, same/elsewhere %.2f | JIT %d ms%n", name, r, idle,
          elsewhere, same, same.p99() / idle.p99(), same.p99() / elsewhere.p99(),
          ProcessStats.jitMillisNow() - j0);
      allIdle.add(idle);
      allElsewhere.add(elsewhere);
      allSame.add(same);
    }
    System.out.printf("%-16s all rounds | idle %s | bulk elsewhere %s | bulk same conn %s"
        + " | p99 same/idle %.2f, same/elsewhere %.2f%n", name, allIdle, allElsewhere,
        allSame, allSame.p99() / allIdle.p99(), allSame.p99() / allElsewhere.p99());
  }

  /** Blocks per phase and round. */
  private static final int BLOCKS = 10;
  /** Warm-up passes repeat while the JIT compiled for more than this share of the last. */
  private static final double QUIET_JIT_SHARE = 0.01;
  private static final long MAX_WARMUP_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** Thrown by a transfer's message callback to end the transfer (the call is cancelled). */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /** A transfer message's size, which must be 1 MiB. */
  private static int verified(int size) {
    if (size != 1 << 20) {
      throw new IllegalStateException("bulk message of " + size + " bytes");
    }
    return size;
  }

  /** One connection of the system under test. */
  interface Link extends AutoCloseable {
    byte[] unary(byte[] request) throws Exception;

    /** One 64 × 1 MiB server-streaming transfer; {@code onMessage} gets each size. */
    void transfer(java.util.function.IntConsumer onMessage) throws Exception;
  }

  private static Link braid(String target, Multiplexing mode) throws Exception {
    ClientConnection.Builder b = ClientConnection.builder(target).multiplexing(mode);
    Integer window = Integer.getInteger("window"); // the receive window the transfer gets
    if (window != null) {
      b.streamWindow(window).maxStreamWindow(Integer.getInteger("maxWindow", window));
    }
    ClientConnection c = b.connect();
    byte[] mib = new byte[1 << 20];
    return new Link() {
      @Override
      public byte[] unary(byte[] request) throws Exception {
        return c.invoke(EchoService.UNARY, request);
      }

      @Override
      public void transfer(java.util.function.IntConsumer onMessage) throws Exception {
        try (ClientStream<byte[], byte[]> s = c.newStream(EchoService.SERVER_STREAM,
            CallOptions.DEFAULT.withMetadata(Metadata.of("count", "64")))) {
          s.send(mib);
          s.closeSend();
          for (byte[] m; (m = s.receive()) != null; ) {
            onMessage.accept(m.length);
          }
        }
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  private static Link grpc(InetSocketAddress address) {
    ManagedChannel ch = NettyChannelBuilder.forAddress(address).usePlaintext()
        .maxInboundMessageSize(8 << 20).build();
    BenchGrpc.BenchBlockingStub stub = BenchGrpc.newBlockingStub(ch);
    Msg streamRequest = Msg.newBuilder()
        .setPayload(ByteString.copyFrom(Payloads.streamRequest(64, 1 << 20))).build();
    return new Link() {
      @Override
      public byte[] unary(byte[] request) {
        return stub.unary(Msg.newBuilder().setPayload(ByteString.copyFrom(request)).build())
            .getPayload().toByteArray();
      }

      @Override
      public void transfer(java.util.function.IntConsumer onMessage) {
        io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
        try {
          call.run(() -> {
            java.util.Iterator<Msg> it = stub.stream(streamRequest);
            while (it.hasNext()) {
              onMessage.accept(it.next().getPayload().size()); // no copy braid does not make
            }
          });
        } finally {
          call.cancel(null); // a transfer ended early (Stop) is cancelled, as braid's
        }
      }

      @Override
      public void close() throws InterruptedException {
        ch.shutdownNow();
        ch.awaitTermination(5, TimeUnit.SECONDS);
      }
    };
  }

  /** Latencies of one phase, and the transfer's throughput during it, over its blocks. */
  static final class Phase {
    final Histogram h = new Histogram(60_000_000L, 3);
    long bulkBytes;
    long nanos;

    double p99() {
      return h.getValueAtPercentile(99);
    }

    /** Pools {@code other}'s calls and transfer time into this one. */
    void add(Phase other) {
      h.add(other.h);
      bulkBytes += other.bulkBytes;
      nanos += other.nanos;
    }

    @Override
    public String toString() {
      return String.format("p50 %5d us p99 %6d us%s", h.getValueAtPercentile(50),
          h.getValueAtPercentile(99), bulkBytes > 0
              ? String.format(" (bulk %.0f MiB/s)", bulkBytes / 1048576.0 / (nanos / 1e9))
              : "");
    }
  }

  /**
   * {@code calls} small unary calls on {@code c}, with a transfer running on {@code bulkOn}
   * unless null (started first, cancelled after), recorded into {@code into}.
   */
  private static void measure(Link c, Link bulkOn, int calls, int rateMiBPerS, Phase into)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong bulkBytes = new AtomicLong();
    AtomicReference<Throwable> bulkError = new AtomicReference<>();
    Thread bulk = new Thread(() -> {
      long start = System.nanoTime();
      try {
        while (!stop.get()) {
          bulkOn.transfer(size -> {
            long total = bulkBytes.addAndGet(verified(size));
            if (stop.get()) {
              throw new Stop();
            }
            if (rateMiBPerS > 0) { // pacing, not synchronisation
              long due = start + (long) (total * 1e9 / (rateMiBPerS * 1048576.0));
              for (long now; (now = System.nanoTime()) < due && !stop.get(); ) {
                LockSupport.parkNanos(due - now);
              }
            }
          });
        }
      } catch (Stop expected) {
        // the phase is over
      } catch (Throwable e) {
        bulkError.set(e);
      }
    }, "bulk");
    if (bulkOn != null) {
      bulk.start();
      while (bulkBytes.get() < (4 << 20) && bulkError.get() == null) {
        Thread.onSpinWait(); // until the transfer is really flowing
      }
    }
    byte[] req = new byte[32];
    long t0 = System.nanoTime();
    long b0 = bulkBytes.get();
    for (int i = 0; i < calls; i++) {
      req[0] = (byte) i;
      long t = System.nanoTime();
      byte[] resp = c.unary(req);
      into.h.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
      if (!Arrays.equals(resp, req)) {
        throw new IllegalStateException("wrong response");
      }
    }
    if (bulkOn != null) {
      into.bulkBytes += bulkBytes.get() - b0;
      into.nanos += System.nanoTime() - t0;
    }
    stop.set(true);
    if (bulkOn != null) {
      bulk.join();
    }
    if (bulkError.get() != null) {
      throw new IllegalStateException("the transfer failed", bulkError.get());
    }
  }
}
