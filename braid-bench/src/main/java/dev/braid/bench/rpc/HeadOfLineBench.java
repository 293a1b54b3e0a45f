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
import org.HdrHistogram.Histogram;

/**
 * Head-of-line blocking: small unary latency on a connection that is idle, against the
 * same while a 64 MiB server-streaming transfer (64 × 1 MiB) runs on the same connection.
 *
 * <p>Run: {@code java -cp braid-bench/target/benchmarks.jar
 * dev.braid.bench.rpc.HeadOfLineBench [calls [sndbuf]]}. Prints p50/p99 per mode; every response is
 * verified, and a run with an error fails instead of printing figures.
 */
public final class HeadOfLineBench {
  private HeadOfLineBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int sndbuf = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    System.out.printf("%d calls per phase, SO_SNDBUF %s%n", calls,
        sndbuf == 0 ? "OS default" : sndbuf + " bytes");
    try (BraidServer server = BraidServer.builder().listen("127.0.0.1", 0)
        .socketSendBuffer(sndbuf)
        .addService(new EchoService().definition()).build().start()) {
      for (Multiplexing mode : new Multiplexing[] {Multiplexing.NEGOTIATE, Multiplexing.FORCE}) {
        try (ClientConnection c = ClientConnection.builder("127.0.0.1:" + server.port())
            .multiplexing(mode).socketSendBuffer(sndbuf).connect()) {
          measure(c, calls, false); // warm-up
          Histogram idle = measure(c, calls, false);
          Histogram busy = measure(c, calls, true);
          System.out.printf("%-9s idle p50 %6d us p99 %6d us | with 64 MiB stream p50 %6d us"
              + " p99 %6d us | p99 ratio %.2f%n", mode, idle.getValueAtPercentile(50),
              idle.getValueAtPercentile(99), busy.getValueAtPercentile(50),
              busy.getValueAtPercentile(99),
              (double) busy.getValueAtPercentile(99) / idle.getValueAtPercentile(99));
        }
      }
    }
  }

  private static Histogram measure(ClientConnection c, int calls, boolean withBulk)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong bulkBytes = new AtomicLong();
    Thread bulk = new Thread(() -> {
      byte[] mib = new byte[1 << 20];
      while (!stop.get()) {
        try (ClientStream<byte[], byte[]> s = c.newStream(EchoService.SERVER_STREAM,
            CallOptions.DEFAULT.withMetadata(Metadata.of("count", "64")))) {
          s.send(mib);
          s.closeSend();
          byte[] m;
          while ((m = s.receive()) != null) {
            if (m.length != mib.length) {
              throw new IllegalStateException("bulk message of " + m.length + " bytes");
            }
            bulkBytes.addAndGet(m.length);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    if (withBulk) {
      bulk.start();
      while (bulkBytes.get() < (4 << 20)) {
        Thread.onSpinWait(); // wait until the transfer is really flowing
      }
    }
    Histogram h = new Histogram(60_000_000L, 3);
    byte[] req = new byte[32];
    for (int i = 0; i < calls; i++) {
      req[0] = (byte) i;
      long t0 = System.nanoTime();
      byte[] resp = c.invoke(EchoService.UNARY, req);
      h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
      if (!Arrays.equals(resp, req)) {
        throw new IllegalStateException("wrong response");
      }
    }
    stop.set(true);
    if (withBulk) {
      bulk.join();
    }
    return h;
  }
}
