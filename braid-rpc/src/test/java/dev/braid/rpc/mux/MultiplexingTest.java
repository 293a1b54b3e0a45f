package dev.braid.rpc.mux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.testing.EchoService;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/** Behaviour specific to multiplexed connections: concurrency, flow control, limits. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultiplexingTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      AutoCloseable c = toClose.get(i);
      if (c instanceof ClientConnection cc) {
        cc.closeNow();
      } else if (c instanceof BraidServer s) {
        s.closeNow();
      } else {
        c.close();
      }
    }
  }

  private BraidServer server(BraidServer.Builder b) throws Exception {
    BraidServer s = b.addService(new EchoService().definition()).build().start();
    toClose.add(s);
    return s;
  }

  private ClientConnection connect(ClientConnection.Builder b) throws Exception {
    ClientConnection c = b.connect();
    toClose.add(c);
    return c;
  }

  private static ClientConnection.Builder to(BraidServer s) {
    return ClientConnection.builder("127.0.0.1:" + s.port());
  }

  private static ClientConnection negotiate(ClientConnection c) throws Exception {
    c.invoke(EchoService.UNARY, new byte[] {1});
    assertThat(c.isNegotiated()).isTrue();
    return c;
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  /**
   * The seed pull request's regression: two streams send multi-frame messages at the same
   * time and both arrive intact, with tiny frames so that they interleave heavily.
   */
  @Test
  void concurrentMultiFrameMessagesArriveIntact() throws Exception {
    for (Multiplexing mode : List.of(Multiplexing.NEGOTIATE, Multiplexing.FORCE)) {
      BraidServer s = server(BraidServer.builder().splitSize(5));
      ClientConnection c = connect(to(s).splitSize(5).multiplexing(mode));
      if (mode == Multiplexing.NEGOTIATE) {
        negotiate(c);
      }
      ClientStream<byte[], byte[]> a = c.newStream(EchoService.BIDI);
      ClientStream<byte[], byte[]> b = c.newStream(EchoService.BIDI);
      byte[] ma = "aaaaaaaaaaaaaaaaaaaa".getBytes();
      byte[] mb = "bbbbbbbbbbbbbbbbbbbb".getBytes();
      Thread ta = new Thread(() -> sendQuietly(a, ma));
      Thread tb = new Thread(() -> sendQuietly(b, mb));
      ta.start();
      tb.start();
      ta.join();
      tb.join();
      assertThat(a.receive()).isEqualTo(ma);
      assertThat(b.receive()).isEqualTo(mb);
      a.closeSend();
      b.closeSend();
      assertThat(a.receive()).isNull();
      assertThat(b.receive()).isNull();
    }
  }

  private static void sendQuietly(ClientStream<byte[], byte[]> s, byte[] m) {
    try {
      s.send(m);
    } catch (StatusException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * 1000 concurrent streams on one connection, message sizes log-uniform up to 4 MiB, every
   * message checksummed: none lost, duplicated, corrupted or mis-routed.
   */
  @Test
  void thousandConcurrentStreamsWithChecksums() throws Exception {
    BraidServer s = server(BraidServer.builder());
    ClientConnection c = negotiate(connect(to(s)));
    int n = Integer.getInteger("braid.stress.streams", 1000);
    Random rnd = new Random(42);
    List<ClientStream<byte[], byte[]>> streams = new ArrayList<>();
    long[] sent = new long[n];
    for (int i = 0; i < n; i++) {
      streams.add(c.newStream(EchoService.BIDI));
    }
    for (int i = 0; i < n; i++) {
      int size = (int) Math.min(4 << 20, Math.exp(rnd.nextDouble() * Math.log(4 << 20)));
      byte[] m = new byte[size];
      rnd.nextBytes(m);
      m[0] = (byte) i; // distinct per stream, so mis-routing shows
      sent[i] = crc(m);
      streams.get(i).send(m);
      streams.get(i).closeSend();
    }
    for (int i = 0; i < n; i++) {
      byte[] got = streams.get(i).receive();
      assertThat(got).as("stream %d", i).isNotNull();
      assertThat(crc(got)).as("checksum of stream %d", i).isEqualTo(sent[i]);
      assertThat(streams.get(i).receive()).as("exactly one echo on stream %d", i).isNull();
    }
    assertThat(c.invoke(EchoService.UNARY, new byte[] {9})).containsExactly(9);
  }

  /**
   * A stream whose reader stalls holds at most its window (plus the message being assembled,
   * when messages are larger than the window) on the wire: its sender blocks (bounded memory
   * on both sides) while other streams keep going.
   */
  @ParameterizedTest(name = "messages of {0} bytes, window 256 KiB")
  @ValueSource(ints = {16 << 10, 1 << 20})
  void slowConsumerDoesNotStallOthersAndMemoryStaysBounded(int size) throws Exception {
    AtomicLong sentByFirehose = new AtomicLong();
    CountDownLatch firehoseBlocked = new CountDownLatch(1);
    MethodDescriptor<byte[], byte[]> firehose = MethodDescriptor.raw(
        "/braid.test.Mux/Firehose", MethodType.SERVER_STREAMING);
    int window = 256 << 10;
    BraidServer s = server(BraidServer.builder().streamWindow(window)
        .addStream(firehose, st -> {
          st.receive();
          byte[] chunk = new byte[size];
          for (long sent = 0; sent < (64 << 20); sent += size) { // 64 MiB if nobody stopped us
            if (!st.isReady()) {
              firehoseBlocked.countDown();
            }
            st.send(chunk);
            sentByFirehose.addAndGet(chunk.length);
          }
        }));
    ClientConnection c = negotiate(connect(to(s).streamWindow(window)));
    long heapBefore = usedHeapAfterGc();
    long directBefore = usedDirect();
    ClientStream<byte[], byte[]> slow = c.newStream(firehose);
    slow.send(new byte[0]);
    slow.closeSend();
    assertThat(slow.receive()).hasSize(size); // then never read again
    assertThat(firehoseBlocked.await(30, TimeUnit.SECONDS)).isTrue();
    // other streams keep their throughput meanwhile
    for (int i = 0; i < 200; i++) {
      byte[] m = ("ping " + i).getBytes();
      assertThat(c.invoke(EchoService.UNARY, m)).isEqualTo(m);
    }
    long sent = sentByFirehose.get();
    // what the client may hold (its window, or the message being assembled when larger), plus
    // the server's ready threshold and a message in hand on each side
    assertThat(sent).as("bytes the firehose got out").isLessThanOrEqualTo(
        Math.max(window, size) + (32 << 10) + 3L * size);
    // both sides live in this JVM: 64 MiB unbounded would show. The metric counts the
    // allocator's reserved chunks (8 MiB each, per thread-local magazine, once 1 MiB bodies
    // are pooled), not buffers in use, hence the generous bound; the byte count above is
    // the precise one
    assertThat(usedDirect() - directBefore).as("direct memory growth").isLessThan(32 << 20);
    assertThat(usedHeapAfterGc() - heapBefore).as("heap growth").isLessThan(16 << 20);
    // the reader resumes: held-back credit flows again and the transfer continues
    for (int i = 0; i < 32; i++) {
      assertThat(slow.receive()).hasSize(size);
    }
    slow.cancel();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
        .getUsed();
  }

  private static long usedDirect() {
    return ((io.netty.buffer.ByteBufAllocatorMetricProvider)
        io.netty.buffer.ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  void excessStreamsAreRefusedAndTheConnectionStaysUp() throws Exception {
    BraidServer s = server(BraidServer.builder().maxConcurrentStreams(2));
    ClientConnection c = connect(to(s).multiplexing(Multiplexing.FORCE));
    ClientStream<byte[], byte[]> a = c.newStream(EchoService.BLOCK);
    ClientStream<byte[], byte[]> b = c.newStream(EchoService.BLOCK);
    a.send(new byte[] {1});
    b.send(new byte[] {2});
    assertThat(a.receive()).containsExactly(1);
    assertThat(b.receive()).containsExactly(2);
    ClientStream<byte[], byte[]> third = c.newStream(EchoService.BLOCK);
    try {
      third.send(new byte[] {3});
    } catch (StatusException refusedAlready) {
      assertThat(refusedAlready.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
    }
    assertThatThrownBy(third::receive).isInstanceOfSatisfying(StatusException.class, e -> {
      assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(e.status().message()).contains("concurrent streams");
    });
    a.cancel();
    b.closeSend();
    assertThat(b.receive()).isNull();
    assertThat(c.invoke(EchoService.UNARY, new byte[] {4})).containsExactly(4);
  }

  @Test
  void negotiatedClientQueuesBeyondTheServersLimit() throws Exception {
    BraidServer s = server(BraidServer.builder().maxConcurrentStreams(1));
    ClientConnection c = negotiate(connect(to(s)));
    ClientStream<byte[], byte[]> a = c.newStream(EchoService.BLOCK);
    a.send(new byte[] {1});
    assertThat(a.receive()).containsExactly(1);
    CompletableFuture<byte[]> queued = c.invokeAsync(EchoService.UNARY, new byte[] {2});
    assertThat(queued).isNotDone();
    a.closeSend();
    assertThat(a.receive()).isNull();
    assertThat(queued.get(10, TimeUnit.SECONDS)).containsExactly(2);
  }

  @Test
  void oversizedMetadataFailsOnlyThatCall() throws Exception {
    BraidServer s = server(BraidServer.builder().maxMetadataSize(100));
    ClientConnection c = connect(to(s));
    assertThatThrownBy(() -> c.invoke(EchoService.UNARY, new byte[] {1},
        dev.braid.rpc.CallOptions.DEFAULT.withMetadata(
            dev.braid.rpc.Metadata.of("big", "x".repeat(200)))))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(c.invoke(EchoService.UNARY, new byte[] {2})).containsExactly(2);
  }

  /**
   * Keepalive: a peer that negotiated and then stops answering is detected within about
   * twice the interval. The peer is a raw socket that answers the first call by hand.
   */
  @Test
  void keepaliveDetectsADeadPeer() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          Socket sock = ss.accept();
          InputStream in = sock.getInputStream();
          in.readNBytes(8); // enough of the first call to know it arrived
          OutputStream out = sock.getOutputStream();
          byte[] settings = dev.braid.wire.Settings.encode(java.util.Map.of(
              dev.braid.wire.Settings.MULTIPLEXING, 1L));
          out.write(dev.braid.wire.Frames.frame(dev.braid.wire.Kind.SETTINGS, true, true,
              1, 0, settings));
          out.write(dev.braid.wire.Frames.frame(dev.braid.wire.Kind.MESSAGE, false, true,
              1, 1, new byte[] {1}));
          out.write(dev.braid.wire.Frames.frame(dev.braid.wire.Kind.CLOSE_SEND, false, true,
              1, 2, new byte[0]));
          out.flush();
          return sock; // and never read or answer again
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      ClientConnection c = connect(ClientConnection.builder("127.0.0.1:" + ss.getLocalPort())
          .keepalive(Duration.ofMillis(200)));
      assertThat(c.invoke(EchoService.UNARY, new byte[] {1})).containsExactly(1);
      assertThat(c.isNegotiated()).isTrue();
      long start = System.nanoTime();
      assertThat(c.onClose()).succeedsWithin(Duration.ofSeconds(10));
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(tookMs).as("detected within a few intervals").isLessThan(5_000);
      ss.close(); // the next call redials, fails, and names why the connection went
      assertThatThrownBy(() -> c.invoke(EchoService.UNARY, new byte[] {1}))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.status().message()).contains("keepalive"));
      accepted.get(5, TimeUnit.SECONDS).close();
    }
  }

  /** Once negotiated, a sender respects the peer's smaller message limit with a clear error. */
  @Test
  void negotiatedPeerMessageLimitIsRespected() throws Exception {
    BraidServer s = server(BraidServer.builder().maxMessageSize(1 << 20));
    ClientConnection c = negotiate(connect(to(s)));
    assertThat(c.invoke(EchoService.UNARY, new byte[1 << 20])).hasSize(1 << 20);
    assertThatThrownBy(() -> c.invoke(EchoService.UNARY, new byte[(1 << 20) + 1]))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
          assertThat(e.status().message()).contains("maximum message size of 1048576");
        });
    assertThat(c.invoke(EchoService.UNARY, new byte[] {1})).containsExactly(1);
  }

  /** Against a braid server the first connection multiplexes, so a pool never grows. */
  @Test
  void poolDoesNotGrowAgainstAMultiplexingServer() throws Exception {
    BraidServer s = server(BraidServer.builder());
    ClientConnection c = connect(to(s).poolSize(4));
    List<CompletableFuture<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      calls.add(c.invokeAsync(EchoService.UNARY, new byte[] {(byte) i}));
    }
    for (int i = 0; i < 64; i++) {
      assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).containsExactly((byte) i);
    }
    assertThat(c.isNegotiated()).isTrue();
    assertThat(c.connectionCount()).isEqualTo(1);
  }
}
