package dev.braid.rpc.internal;

import static dev.braid.rpc.internal.ConnectionEmbeddedTest.feed;
import static dev.braid.rpc.internal.ConnectionEmbeddedTest.pump;
import static dev.braid.rpc.internal.ConnectionEmbeddedTest.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.Encoding;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.Frames;
import dev.braid.wire.InvokeMetadata;
import dev.braid.wire.Kind;
import dev.braid.wire.Packet;
import dev.braid.wire.PacketReader;
import dev.braid.wire.Settings;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests of issue 15, one or more per defect, driven without sockets on
 * {@link EmbeddedChannel}. Each test named in the note failed against commit
 * {@code 4d9c09a} (the engine before the fixes) and passes now.
 */
class EngineRegressionTest {
  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.raw("/t.T/Echo", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> BIDI =
      MethodDescriptor.raw("/t.T/Bidi", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<byte[], byte[]> FLOOD =
      MethodDescriptor.raw("/t.T/Flood", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<byte[], byte[]> HOLD =
      MethodDescriptor.raw("/t.T/Hold", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<byte[], byte[]> THROWS =
      MethodDescriptor.raw("/t.T/Throws", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> BAD_DECODE = MethodDescriptor.of(
      "/t.T/BadDecode", MethodType.UNARY, new Encoding<byte[]>() {
        @Override
        public int encodedSize(byte[] message) {
          return message.length;
        }

        @Override
        public void encode(byte[] message, ByteBuffer dst) {
          dst.put(message);
        }

        @Override
        public byte[] decode(ByteBuffer src) {
          throw new IllegalArgumentException("undecodable");
        }
      }, Encoding.bytes());

  final ExecutorService pool = Executors.newCachedThreadPool();
  final AtomicLong seenDeadline = new AtomicLong();
  final AtomicReference<Map<String, String>> seenMetadata = new AtomicReference<>();
  final AtomicInteger floodSent = new AtomicInteger();
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    pool.shutdownNow();
  }

  static ConnectionConfig config(Multiplexing mode, java.util.concurrent.Executor executor) {
    return ConnectionEmbeddedTest.config(mode, executor);
  }

  Map<String, ServiceDefinition.Entry> methods() {
    ServiceDefinition svc = ServiceDefinition.builder("t.T")
        .unary(ECHO, (req, ctx) -> {
          seenDeadline.set(ctx.deadlineNanos());
          seenMetadata.set(ctx.metadata().asMap());
          return req;
        })
        .unary(THROWS, (req, ctx) -> {
          throw new IllegalStateException("secret detail");
        })
        .unary(BAD_DECODE, (req, ctx) -> req)
        .stream(BIDI, s -> {
          byte[] m;
          while ((m = s.receive()) != null) {
            s.send(m);
          }
        })
        .stream(FLOOD, s -> {
          byte[] chunk = new byte[64 << 10];
          while (true) {
            s.send(chunk);
            floodSent.incrementAndGet();
          }
        })
        .stream(HOLD, s -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        })
        .build();
    Map<String, ServiceDefinition.Entry> m = new HashMap<>();
    svc.entries().forEach(e -> m.put(e.method().fullName(), e));
    return m;
  }

  EmbeddedChannel server(ConnectionConfig config) {
    return new EmbeddedChannel(Connection.server(config, methods()::get));
  }

  static byte[] packet(int kind, long sid, long mid, byte[] body) {
    return Frames.encode(Packet.of(kind, sid, mid, body), 64 << 10);
  }

  static byte[] unaryCall(long sid, String method, byte[] request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(packet(Kind.INVOKE, sid, 1, method.getBytes(StandardCharsets.UTF_8)));
    out.writeBytes(packet(Kind.MESSAGE, sid, 2, request));
    out.writeBytes(packet(Kind.CLOSE_SEND, sid, 3, new byte[0]));
    return out.toByteArray();
  }

  static List<Packet> packets(byte[] bytes) {
    PacketReader r = new PacketReader(64 << 20);
    r.feed(bytes);
    List<Packet> out = new ArrayList<>();
    Packet p;
    while ((p = r.poll()) != null) {
      out.add(p);
    }
    return out;
  }

  /** Packets of {@code bytes}, assembled per stream (the server's replies interleave). */
  static Map<Long, List<Packet>> byStream(byte[] bytes) {
    Map<Long, List<Packet>> out = new HashMap<>();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    dev.braid.wire.FrameHeader h = new dev.braid.wire.FrameHeader();
    while (b.hasRemaining()) {
      assertThat(h.parse(b, 64 << 20)).isEqualTo(dev.braid.wire.FrameHeader.Result.COMPLETE);
      byte[] data = new byte[h.length];
      b.position(b.position() + h.headerSize);
      b.get(data);
      out.computeIfAbsent(h.streamId, k -> new ArrayList<>())
          .add(new Packet(h.kind, h.control, h.streamId, h.messageId, data));
    }
    return out;
  }

  static <T> T poll(java.util.function.Supplier<T> value, java.util.function.Predicate<T> ok) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T v = value.get();
    while (!ok.test(v) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      v = value.get();
    }
    return v;
  }

  // ---------------------------------------------------------------- defect 1

  /** Defect 1: stream 2's Invoke followed by stream 1's: both are answered. */
  @Test
  void newStreamsWhoseIdsArriveOutOfOrderAreServed() {
    EmbeddedChannel ch = server(config(Multiplexing.OFF, Runnable::run));
    feed(ch, unaryCall(2, ECHO.fullName(), new byte[] {2}));
    feed(ch, unaryCall(1, ECHO.fullName(), new byte[] {1}));
    Map<Long, List<Packet>> replies = byStream(written(ch));
    assertThat(replies.keySet()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(replies.get(1L).get(0).data()).containsExactly(1);
    assertThat(replies.get(2L).get(0).data()).containsExactly(2);
    // a late frame of a finished stream is still dropped, and no id is served twice
    feed(ch, unaryCall(1, ECHO.fullName(), new byte[] {9}));
    feed(ch, unaryCall(2, ECHO.fullName(), new byte[] {9}));
    assertThat(written(ch)).isEmpty();
    assertThat(ch.isOpen()).isTrue();
  }

  /** Defect 1: 50 unary streams, packets shuffled across streams, order kept per stream. */
  @Test
  void fiftyShuffledUnaryStreamsAreAllAnswered() {
    EmbeddedChannel ch = server(config(Multiplexing.OFF, Runnable::run));
    List<List<byte[]>> perStream = new ArrayList<>();
    for (int sid = 1; sid <= 50; sid++) {
      perStream.add(new ArrayList<>(List.of(
          packet(Kind.INVOKE, sid, 1, ECHO.fullName().getBytes(StandardCharsets.UTF_8)),
          packet(Kind.MESSAGE, sid, 2, new byte[] {(byte) sid}),
          packet(Kind.CLOSE_SEND, sid, 3, new byte[0]))));
    }
    Random random = new Random(15);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<Integer> left = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      left.add(i);
    }
    while (!left.isEmpty()) {
      int pick = left.get(random.nextInt(left.size()));
      wire.writeBytes(perStream.get(pick).remove(0));
      if (perStream.get(pick).isEmpty()) {
        left.remove(Integer.valueOf(pick));
      }
    }
    feed(ch, wire.toByteArray());
    Map<Long, List<Packet>> replies = byStream(written(ch));
    assertThat(replies).hasSize(50);
    replies.forEach((sid, ps) -> assertThat(ps.get(0).data()).containsExactly(
        (byte) (long) sid));
  }

  // ---------------------------------------------------------------- defect 2

  /** Defect 2: toward a peer not known to be braid, the invoke metadata is the user's. */
  @Test
  void aTimeoutAddsNoInvokeMetadataTowardAPeerNotKnownToBeBraid() throws Exception {
    for (Multiplexing mode : Multiplexing.values()) {
      Connection conn = Connection.client(config(mode, Runnable::run));
      EmbeddedChannel ch = new EmbeddedChannel(conn);
      ClientCalls.unary(conn, ECHO, new byte[] {1},
          CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
      for (Packet p : packets(written(ch))) {
        assertThat(p.kind()).as(mode + ": " + p).isNotEqualTo(Kind.INVOKE_METADATA);
      }
      ch.finishAndReleaseAll();
    }
    // with the user's own metadata: exactly that on the wire
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE, Runnable::run));
    EmbeddedChannel ch = new EmbeddedChannel(conn);
    ClientCalls.unary(conn, ECHO, new byte[] {1}, CallOptions.DEFAULT
        .withMetadata(dev.braid.rpc.Metadata.of("k", "v"))
        .withTimeout(Duration.ofSeconds(30)));
    Packet md = packets(written(ch)).get(0);
    assertThat(md.kind()).isEqualTo(Kind.INVOKE_METADATA);
    assertThat(InvokeMetadata.decode(ByteBuffer.wrap(md.data())))
        .containsExactly(Map.entry("k", "v"));
  }

  /** Defect 2: a braid server still learns the deadline, on the first call already. */
  @Test
  void aBraidServerStillLearnsTheDeadline() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    EmbeddedChannel server = server(config(Multiplexing.OFF, Runnable::run));
    long before = System.nanoTime();
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, ECHO, new byte[] {1},
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30)));
    pump(client, server);
    assertThat(f.get(1, TimeUnit.SECONDS)).containsExactly(1);
    assertThat(seenDeadline.get() - before).isBetween(TimeUnit.SECONDS.toNanos(20),
        TimeUnit.SECONDS.toNanos(31));
  }

  // ---------------------------------------------------------------- defect 3

  /** Defect 3: a client Cancel is written although the stream's send window is used up. */
  @Test
  void cancelIsWrittenThoughTheSendWindowIsExhausted() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    EmbeddedChannel server = server(config(Multiplexing.OFF, Runnable::run));
    CompletableFuture<byte[]> first = ClientCalls.unary(conn, ECHO, new byte[] {1},
        CallOptions.DEFAULT);
    pump(client, server);
    assertThat(first.get(1, TimeUnit.SECONDS)).containsExactly(1);
    assertThat(conn.isNegotiated()).isTrue();
    ClientStream<byte[], byte[]> st = ClientCalls.stream(conn, HOLD, CallOptions.DEFAULT);
    byte[] chunk = new byte[64 << 10];
    // the server's window is 1 MiB and the handler never reads: 16 chunks use it up
    for (int i = 0; i < 17; i++) {
      st.send(chunk);
      drain(client);
    }
    RpcStream s = (RpcStream) st;
    assertThat(s.windowBlocked).isTrue();
    st.cancel();
    byte[] out = drain(client);
    assertThat(out.length).isPositive();
    assertThat(out[0] & 0xff).isEqualTo(0x89); // Cancel, control + done
  }

  /** Defect 3: a server's deadline Error is written although its send window is used up. */
  @Test
  void deadlineErrorIsWrittenThoughTheSendWindowIsExhausted() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    EmbeddedChannel server = server(config(Multiplexing.OFF, pool));
    server.freezeTime();
    CompletableFuture<byte[]> first = ClientCalls.unary(conn, ECHO, new byte[] {1},
        CallOptions.DEFAULT);
    pumpUntil(client, server, first::isDone);
    assertThat(conn.isNegotiated()).isTrue();
    ClientStream<byte[], byte[]> st = ClientCalls.stream(conn, FLOOD,
        CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)));
    st.send(new byte[] {1});
    // the client never reads, so never returns credit: the handler blocks after the window
    int sent = poll(() -> {
      pump(client, server);
      return floodSent.get();
    }, n -> n >= 16 && stable());
    assertThat(sent).isBetween(16, 20);
    server.advanceTimeBy(6, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();
    server.runPendingTasks();
    List<Packet> end = byStream(drain(server)).getOrDefault(2L, List.of());
    assertThat(end).extracting(Packet::kind).contains(Kind.ERROR);
    ErrorBody err = ErrorBody.decode(end.get(end.size() - 1).data());
    assertThat(err.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
  }

  private int lastFlood = -1;
  private long stableSince;

  private boolean stable() {
    int now = floodSent.get();
    if (now != lastFlood) {
      lastFlood = now;
      stableSince = System.nanoTime();
      return false;
    }
    return System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(200);
  }

  static void pumpUntil(EmbeddedChannel client, EmbeddedChannel server,
      java.util.function.BooleanSupplier done) {
    poll(() -> {
      pump(client, server);
      return done.getAsBoolean();
    }, d -> d);
  }

  static byte[] drain(EmbeddedChannel ch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 100; i++) {
      byte[] b = written(ch);
      if (b.length == 0) {
        break;
      }
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- defect 4

  static ConnectionConfig limits(int maxStreams, int connectionBuffer,
      java.util.concurrent.Executor executor) {
    return ConnectionConfig.builder().maxConcurrentStreams(maxStreams)
        .connectionBufferBytes(connectionBuffer).multiplexing(Multiplexing.OFF)
        .executor(executor).build();
  }

  /** Defect 4: streams whose Invoke is pending count against the stream limit. */
  @Test
  void pendingStreamsCountAgainstTheStreamLimit() {
    EmbeddedChannel ch = server(limits(4, 16 << 20, Runnable::run));
    for (int sid = 1; sid <= 10; sid++) {
      // a partial Invoke (no done bit): 02 <sid> 01 02 2f 78
      feed(ch, Frames.frame(Kind.INVOKE, false, false, sid, 1, "/x".getBytes()));
    }
    Map<Long, List<Packet>> refused = byStream(written(ch));
    assertThat(refused.keySet()).containsExactlyInAnyOrder(5L, 6L, 7L, 8L, 9L, 10L);
    for (List<Packet> ps : refused.values()) {
      assertThat(ErrorBody.decode(ps.get(0).data()).code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
    }
  }

  /** Defect 4: partial packets count against the connection's buffer. */
  @Test
  void partialPacketsAreBoundedPerConnection() {
    EmbeddedChannel ch = server(limits(1024, 1 << 20, pool));
    for (int sid = 1; sid <= 3; sid++) {
      feed(ch, packet(Kind.INVOKE, sid, 1, HOLD.fullName().getBytes(StandardCharsets.UTF_8)));
      feed(ch, Frames.frame(Kind.MESSAGE, false, false, sid, 2, new byte[512 << 10]));
    }
    assertThat(ch.isOpen()).isFalse();
  }

  /** Defect 4: over-long invoke metadata is refused as it arrives, not once complete. */
  @Test
  void theMetadataLimitIsCheckedAsFramesArrive() {
    EmbeddedChannel ch = server(limits(1024, 16 << 20, Runnable::run));
    feed(ch, Frames.frame(Kind.INVOKE_METADATA, false, false, 1, 1, new byte[65 << 10]));
    List<Packet> refused = byStream(written(ch)).get(1L);
    assertThat(refused).isNotNull();
    assertThat(ErrorBody.decode(refused.get(0).data()).code())
        .isEqualTo(Code.RESOURCE_EXHAUSTED);
  }

  /** The client's announcement on stream 1 with {@code settings}, after an Invoke. */
  static byte[] announce(String method, Map<Integer, Long> settings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(packet(Kind.INVOKE, 1, 1, method.getBytes(StandardCharsets.UTF_8)));
    out.writeBytes(Frames.frame(Kind.SETTINGS, true, true, 1, 2, Settings.encode(settings)));
    return out.toByteArray();
  }

  static Map<Integer, Long> settings() {
    Map<Integer, Long> v = new java.util.TreeMap<>();
    v.put(Settings.VERSION, 1L);
    v.put(Settings.MULTIPLEXING, 1L);
    v.put(Settings.STREAM_WINDOW, 1L << 20);
    v.put(Settings.MAX_FRAME_SIZE, 16L << 10);
    v.put(Settings.MAX_MESSAGE_SIZE, 4L << 20);
    return v;
  }

  /** Defect 4: Message data beyond the credit granted is a protocol error. */
  @Test
  void sendingBeyondTheCreditGrantedIsAProtocolError() {
    EmbeddedChannel ch = server(limits(1024, 64 << 20, pool));
    feed(ch, announce(HOLD.fullName(), settings()));
    assertThat(byStream(written(ch)).get(1L)).extracting(Packet::kind)
        .contains(Kind.SETTINGS);
    feed(ch, packet(Kind.INVOKE, 3, 1, HOLD.fullName().getBytes(StandardCharsets.UTF_8)));
    long mid = 2;
    // the server granted a 1 MiB window; the peer sends 1.5 MiB in 16 KiB frames
    for (int i = 0; i < 96 && ch.isOpen(); i++) {
      feed(ch, Frames.frame(Kind.MESSAGE, false, true, 3, mid++, new byte[16 << 10]));
    }
    assertThat(ch.isOpen()).isFalse();
  }

  /** Defect 4: peer settings out of range close the connection (here a 1-byte frame). */
  @Test
  void peerSettingsOutOfRangeAreAProtocolError() {
    EmbeddedChannel ch = server(limits(1024, 16 << 20, Runnable::run));
    Map<Integer, Long> bad = settings();
    bad.put(Settings.MAX_FRAME_SIZE, 1L);
    feed(ch, announce(ECHO.fullName(), bad));
    assertThat(ch.isOpen()).isFalse();
  }

  // ---------------------------------------------------------------- defect 5

  /** Defect 5: an executor rejecting tasks does not stop the others from terminating. */
  @Test
  void terminateAllContinuesAfterAnExecutorRejection() throws Exception {
    ExecutorService handlers = Executors.newCachedThreadPool();
    Connection conn = Connection.server(config(Multiplexing.OFF, handlers), methods()::get);
    EmbeddedChannel ch = new EmbeddedChannel(conn);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (int sid = 1; sid <= 3; sid++) {
      wire.writeBytes(packet(Kind.INVOKE, sid, 1, BIDI.fullName().getBytes()));
    }
    feed(ch, wire.toByteArray());
    // handlers wait in receive(); cancel listeners would need the (now shut) executor
    List<ServerCall<?, ?>> calls = new ArrayList<>();
    for (int sid = 1; sid <= 3; sid++) {
      ServerCall<?, ?> c = (ServerCall<?, ?>) streamOf(conn, sid);
      c.onCancel(() -> { });
      calls.add(c);
    }
    handlers.shutdown();
    try {
      ch.close();
    } catch (RuntimeException e) {
      // old engine: the rejection escaped channelInactive
    }
    assertThat(conn.closeFuture()).isDone();
    for (ServerCall<?, ?> c : calls) {
      assertThat(c.isTerminated()).isTrue();
    }
    handlers.shutdownNow();
  }

  static RpcStream streamOf(Connection conn, long sid) {
    return conn.router.stream(sid); // same package: no reflection needed
  }

  // ---------------------------------------------------------------- defect 6

  /** Defect 6: a request the server cannot decode fails the call with INTERNAL. */
  @Test
  void aDecodeFailureOnTheServerIsInternal() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.OFF, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    EmbeddedChannel server = server(config(Multiplexing.OFF, Runnable::run));
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, BAD_DECODE, new byte[] {1},
        CallOptions.DEFAULT);
    pump(client, server);
    assertThat(codeOf(f)).isEqualTo(Code.INTERNAL);
  }

  /** Defect 6: a handler exception sends a generic message; its text stays local. */
  @Test
  void aHandlerExceptionSendsAGenericMessage() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.OFF, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    EmbeddedChannel server = server(config(Multiplexing.OFF, Runnable::run));
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, THROWS, new byte[] {1},
        CallOptions.DEFAULT);
    pump(client, server);
    StatusException e = failure(f);
    assertThat(e.code()).isEqualTo(Code.UNKNOWN);
    assertThat(e.status().message()).doesNotContain("secret")
        .doesNotContain("IllegalStateException");
  }

  /** Defect 6: an engine bug reaching exceptionCaught is not reported as UNAVAILABLE. */
  @Test
  void anEngineBugIsNotReportedAsUnavailable() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.OFF, Runnable::run));
    EmbeddedChannel client = new EmbeddedChannel(conn);
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, ECHO, new byte[] {1},
        CallOptions.DEFAULT);
    written(client);
    client.pipeline().fireExceptionCaught(new IllegalStateException("engine bug"));
    client.runPendingTasks();
    assertThat(codeOf(f)).isEqualTo(Code.INTERNAL);
  }

  static long codeOf(CompletableFuture<?> f) {
    return failure(f).code();
  }

  static StatusException failure(CompletableFuture<?> f) {
    try {
      f.get(5, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return (StatusException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
