package dev.braid.bench.rpc;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.testing.EchoService;
import java.util.Arrays;
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
 * The modes are negotiated multiplexing (frames of all streams interleaved) and forced
 * multiplexing (each packet's frames contiguous, as the cockroachdb fork requires), for
 * contrast. Every response is verified; a run with an error fails instead of printing.
 *
 * <p>Run: {@code java -cp braid-bench/target/benchmarks.jar dev.braid.bench.rpc.HeadOfLineBench
 * [calls [bulkMiBPerS [rounds]]]} — bulkMiBPerS paces the transfer's reader (0, the default,
 * reads as fast as it can); rounds repeats the three phases (default 3).
 */
public final class HeadOfLineBench {
  private HeadOfLineBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.printf("%d calls per phase, bulk reader %s, %d rounds, %d CPUs%n", calls,
        rate == 0 ? "unpaced" : rate + " MiB/s", rounds,
        Runtime.getRuntime().availableProcessors());
    try (BraidServer server = BraidServer.builder().listen("127.0.0.1", 0)
        .addService(new EchoService().definition()).build().start()) {
      String target = "127.0.0.1:" + server.port();
      for (Multiplexing mode : new Multiplexing[] {Multiplexing.NEGOTIATE, Multiplexing.FORCE}) {
        try (ClientConnection c = ClientConnection.builder(target).multiplexing(mode).connect();
            ClientConnection other = ClientConnection.builder(target).multiplexing(mode)
                .connect()) {
          measure(c, null, calls, rate); // warm-up
          for (int r = 1; r <= rounds; r++) {
            Phase idle = measure(c, null, calls, rate);
            Phase elsewhere = measure(c, other, calls, rate);
            Phase same = measure(c, c, calls, rate);
            System.out.printf("%-9s round %d | idle %s | bulk elsewhere %s | bulk same conn %s"
                + " | p99 same/idle %.2f, same/elsewhere %.2f%n", mode, r, idle, elsewhere,
                same, same.p99() / idle.p99(), same.p99() / elsewhere.p99());
          }
        }
      }
    }
  }

  /** Latencies of one phase, and the transfer's throughput during it. */
  record Phase(Histogram h, double bulkMiBPerS) {
    double p99() {
      return h.getValueAtPercentile(99);
    }

    @Override
    public String toString() {
      return String.format("p50 %5d us p99 %6d us%s", h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          bulkMiBPerS > 0 ? String.format(" (bulk %.0f MiB/s)", bulkMiBPerS) : "");
    }
  }

  /** Small unary calls on {@code c}, with the transfer on {@code bulkOn} unless null. */
  private static Phase measure(ClientConnection c, ClientConnection bulkOn, int calls,
      int rateMiBPerS) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong bulkBytes = new AtomicLong();
    AtomicReference<Throwable> bulkError = new AtomicReference<>();
    Thread bulk = new Thread(() -> {
      byte[] mib = new byte[1 << 20];
      long start = System.nanoTime();
      try {
        while (!stop.get()) {
          try (ClientStream<byte[], byte[]> s = bulkOn.newStream(EchoService.SERVER_STREAM,
              CallOptions.DEFAULT.withMetadata(Metadata.of("count", "64")))) {
            s.send(mib);
            s.closeSend();
            byte[] m;
            while ((m = s.receive()) != null) {
              if (m.length != mib.length) {
                throw new IllegalStateException("bulk message of " + m.length + " bytes");
              }
              long total = bulkBytes.addAndGet(m.length);
              if (rateMiBPerS > 0) { // pacing, not synchronisation
                long due = start + (long) (total * 1e9 / (rateMiBPerS * 1048576.0));
                for (long now; (now = System.nanoTime()) < due; ) {
                  LockSupport.parkNanos(due - now);
                }
              }
            }
          }
        }
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
    Histogram h = new Histogram(60_000_000L, 3);
    byte[] req = new byte[32];
    long t0 = System.nanoTime();
    long b0 = bulkBytes.get();
    for (int i = 0; i < calls; i++) {
      req[0] = (byte) i;
      long t = System.nanoTime();
      byte[] resp = c.invoke(EchoService.UNARY, req);
      h.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
      if (!Arrays.equals(resp, req)) {
        throw new IllegalStateException("wrong response");
      }
    }
    double mibPerS = (bulkBytes.get() - b0) / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
    stop.set(true);
    if (bulkOn != null) {
      bulk.join();
    }
    if (bulkError.get() != null) {
      throw new IllegalStateException("the transfer failed", bulkError.get());
    }
    return new Phase(h, mibPerS);
  }
}
