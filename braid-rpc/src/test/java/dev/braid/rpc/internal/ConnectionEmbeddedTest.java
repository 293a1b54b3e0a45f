package dev.braid.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.Frames;
import dev.braid.wire.Kind;
import dev.braid.wire.Packet;
import dev.braid.wire.PacketReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The engine without sockets: bytes in, bytes out, on Netty's EmbeddedChannel, with
 * handlers run directly. Known-answer vectors come from the DRPC reference notes.
 */
class ConnectionEmbeddedTest {
  static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  static final MethodDescriptor<byte[], byte[]> METHOD1 =
      MethodDescriptor.raw("/service.Service/Method1", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> COOKIE =
      MethodDescriptor.raw("/sesamestreet.CookieMonster/EatCookie", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> BIDI =
      MethodDescriptor.raw("/service.Service/Method4", MethodType.BIDI_STREAMING);

  final AtomicReference<Map<String, String>> seenMetadata = new AtomicReference<>();
  final CompletableFuture<Boolean> bidiCancelled = new CompletableFuture<>();

  static ConnectionConfig config(Multiplexing mode) {
    return config(mode, Runnable::run);
  }

  static ConnectionConfig config(Multiplexing mode, java.util.concurrent.Executor executor) {
    return config(mode, executor, 0);
  }

  static ConnectionConfig config(Multiplexing mode, java.util.concurrent.Executor executor,
      long idleMillis) {
    return ConnectionConfig.builder().multiplexing(mode).idleTimeoutMillis(idleMillis)
        .executor(executor).build();
  }

  /** A server whose handlers run directly on the test thread (no blocking handlers). */
  EmbeddedChannel server() {
    return server(Runnable::run);
  }

  EmbeddedChannel server(java.util.concurrent.Executor executor) {
    return server(config(Multiplexing.OFF, executor));
  }

  EmbeddedChannel server(ConnectionConfig config) {
    ServiceDefinition svc = ServiceDefinition.builder("service.Service")
        .unary(METHOD1, (req, ctx) -> {
          if (req.length == 2 && req[1] == 5) {
            throw new StatusException(5, "test");
          }
          return req;
        })
        .unary(COOKIE, (req, ctx) -> {
          seenMetadata.set(ctx.metadata().asMap());
          return HEX.parseHex("0a 02 08 01");
        })
        .stream(BIDI, s -> {
          s.onCancel(() -> bidiCancelled.complete(true));
          byte[] m;
          while ((m = s.receive()) != null) {
            s.send(m);
          }
        })
        .build();
    Map<String, ServiceDefinition.Entry> methods = new java.util.HashMap<>();
    svc.entries().forEach(e -> methods.put(e.method().fullName(), e));
    return new EmbeddedChannel(Connection.server(config, methods::get));
  }

  static void feed(EmbeddedChannel ch, String hex) {
    ch.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(hex)));
    ch.runPendingTasks();
  }

  static void feed(EmbeddedChannel ch, byte[] bytes) {
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    ch.runPendingTasks();
  }

  static byte[] written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.writeBytes(ByteBufUtil.getBytes(b));
      b.release();
    }
    return out.toByteArray();
  }

  /** Runs the channel's tasks until {@code n} bytes were written by handler threads. */
  static byte[] awaitWritten(EmbeddedChannel ch, int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (out.size() < n && System.nanoTime() < deadline) {
      out.writeBytes(written(ch));
      Thread.onSpinWait();
    }
    return out.toByteArray();
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  @Test
  void unaryCallOfTheReferenceIsAnsweredByteForByte() {
    EmbeddedChannel ch = server();
    feed(ch, "03 01 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64"
        + " 31 05 01 02 02 08 01 0d 01 03 00");
    assertThat(hex(written(ch))).isEqualTo("05 01 01 02 08 01 0d 01 02 00");
    // the Go client's trailing Close for a finished stream is a late packet: ignored
    feed(ch, "0b 01 04 00");
    assertThat(written(ch)).isEmpty();
    assertThat(ch.isOpen()).isTrue();
    // the second call uses stream 2
    feed(ch, "03 02 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64"
        + " 31 05 02 02 02 08 01 0d 02 03 00");
    assertThat(hex(written(ch))).isEqualTo("05 02 01 02 08 01 0d 02 02 00");
  }

  @Test
  void metadataOfTheReferenceReachesTheHandler() {
    EmbeddedChannel ch = server();
    feed(ch, "0f 01 01 0e 0a 0c 0a 03 6b 65 79 12 05 76 61 6c 75 65"
        + " 03 01 02 25 2f 73 65 73 61 6d 65 73 74 72 65 65 74 2e 43 6f 6f 6b 69 65"
        + " 4d 6f 6e 73 74 65 72 2f 45 61 74 43 6f 6f 6b 69 65 05 01 03 02 08 01 0d 01 04 00");
    assertThat(seenMetadata.get()).containsExactly(Map.entry("key", "value"));
    assertThat(hex(written(ch))).isEqualTo("05 01 01 04 0a 02 08 01 0d 01 02 00");
  }

  @Test
  void errorReplyOfTheReference() {
    EmbeddedChannel ch = server();
    feed(ch, "03 01 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64"
        + " 31 05 01 02 02 08 05 0d 01 03 00");
    assertThat(hex(written(ch)))
        .isEqualTo("07 01 01 0c 00 00 00 00 00 00 00 05 74 65 73 74");
  }

  @Test
  void unknownMethodIsAnsweredWithCode12AndTheConnectionStays() {
    EmbeddedChannel ch = server();
    byte[] invoke = Frames.encode(Packet.of(Kind.INVOKE, 1, 1, "/x".getBytes()), 0);
    feed(ch, invoke);
    PacketReader r = new PacketReader();
    r.feed(written(ch));
    Packet p = r.poll();
    assertThat(p.kind()).isEqualTo(Kind.ERROR);
    ErrorBody err = ErrorBody.decode(p.data());
    assertThat(err.code()).isEqualTo(Code.UNIMPLEMENTED);
    assertThat(err.message()).isEqualTo("protocol error: unknown rpc: \"/x\"");
    feed(ch, "05 01 02 01 00 0d 01 03 00"); // the rest of that call: dropped
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void softCancelOfTheReferenceEndsOnlyThatStream() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    try {
      softCancel(server(pool));
    } finally {
      pool.shutdownNow();
    }
  }

  private void softCancel(EmbeddedChannel ch) throws Exception {
    byte[] name = BIDI.fullName().getBytes();
    feed(ch, Frames.encode(Packet.of(Kind.INVOKE, 1, 1, name), 0));
    feed(ch, "05 01 02 01 61");
    assertThat(hex(awaitWritten(ch, 5))).isEqualTo("05 01 01 01 61");
    feed(ch, "89 01 03 00");
    assertThat(bidiCancelled.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(written(ch)).as("nothing is sent back for a Cancel").isEmpty();
    assertThat(ch.isOpen()).isTrue();
    feed(ch, "03 02 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64"
        + " 31 05 02 02 02 08 01 0d 02 03 00");
    assertThat(hex(awaitWritten(ch, 10))).isEqualTo("05 02 01 02 08 01 0d 02 02 00");
  }

  @Test
  void splitMessageIsAssembled() {
    EmbeddedChannel ch = server();
    byte[] body = new byte[70_000];
    new java.util.Random(1).nextBytes(body);
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(Frames.encode(Packet.of(Kind.INVOKE, 1, 1, METHOD1.fullName().getBytes()),
        0));
    byte[] msg = Frames.encode(Packet.of(Kind.MESSAGE, 1, 2, body), 64 << 10);
    assertThat(hex(java.util.Arrays.copyOf(msg, 6))).isEqualTo("04 01 02 80 80 04");
    in.writeBytes(msg);
    in.writeBytes(Frames.encode(Packet.of(Kind.CLOSE_SEND, 1, 3, new byte[0]), 0));
    byte[] all = in.toByteArray();
    for (int i = 0; i < all.length; i += 1000) { // in small reads
      feed(ch, java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + 1000)));
    }
    PacketReader r = new PacketReader();
    r.feed(written(ch));
    Packet reply = r.poll();
    assertThat(reply.kind()).isEqualTo(Kind.MESSAGE);
    assertThat(reply.data()).isEqualTo(body);
  }

  /**
   * Two unary calls whose large messages arrive frame by frame interleaved, cut into reads
   * at arbitrary points: each must assemble per stream and be echoed byte for byte.
   */
  @Property(tries = 60)
  void interleavedLargeMessagesSurviveAnyReadSplit(
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 40_000) Integer> reads,
      @ForAll @IntRange(min = 4_000, max = 90_000) int size1,
      @ForAll @IntRange(min = 0, max = 90_000) int size3, @ForAll long seed) {
    EmbeddedChannel ch = server();
    java.util.Random random = new java.util.Random(seed);
    byte[] body1 = new byte[size1];
    byte[] body3 = new byte[size3];
    random.nextBytes(body1);
    random.nextBytes(body3);
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    for (long sid : new long[] {1, 3}) {
      in.writeBytes(Frames.encode(Packet.of(Kind.INVOKE, sid, 1,
          METHOD1.fullName().getBytes()), 0));
    }
    List<byte[]> frames1 = frames(Frames.encode(Packet.of(Kind.MESSAGE, 1, 2, body1), 16 << 10));
    List<byte[]> frames3 = frames(Frames.encode(Packet.of(Kind.MESSAGE, 3, 2, body3), 16 << 10));
    for (int i = 0; i < Math.max(frames1.size(), frames3.size()); i++) {
      if (i < frames1.size()) {
        in.writeBytes(frames1.get(i));
      }
      if (i < frames3.size()) {
        in.writeBytes(frames3.get(i));
      }
    }
    for (long sid : new long[] {1, 3}) {
      in.writeBytes(Frames.encode(Packet.of(Kind.CLOSE_SEND, sid, 3, new byte[0]), 0));
    }
    byte[] all = in.toByteArray();
    int at = 0;
    for (int i = 0; at < all.length; i++) {
      int n = Math.min(all.length - at, reads.get(i % reads.size()));
      feed(ch, java.util.Arrays.copyOfRange(all, at, at + n));
      at += n;
    }
    Map<Long, ByteArrayOutputStream> replies = new java.util.TreeMap<>();
    for (byte[] f : frames(written(ch))) {
      dev.braid.wire.FrameHeader h = header(f);
      if (h.kind == Kind.MESSAGE) {
        replies.computeIfAbsent(h.streamId, k -> new ByteArrayOutputStream())
            .write(f, h.headerSize, h.length);
      }
    }
    assertThat(replies.keySet()).containsExactly(1L, 3L);
    assertThat(replies.get(1L).toByteArray()).isEqualTo(body1);
    assertThat(replies.get(3L).toByteArray()).isEqualTo(body3);
    ch.finishAndReleaseAll();
  }

  /** The frames in {@code bytes}, each with its header. */
  static List<byte[]> frames(byte[] bytes) {
    List<byte[]> out = new ArrayList<>();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      dev.braid.wire.FrameHeader h = header(b.slice());
      byte[] f = new byte[h.headerSize + h.length];
      b.get(f);
      out.add(f);
    }
    return out;
  }

  /** The header of the whole frame {@code frame} starts with. */
  static dev.braid.wire.FrameHeader header(byte[] frame) {
    return header(java.nio.ByteBuffer.wrap(frame));
  }

  private static dev.braid.wire.FrameHeader header(java.nio.ByteBuffer b) {
    dev.braid.wire.FrameHeader h = new dev.braid.wire.FrameHeader();
    assertThat(h.parse(b, Integer.MAX_VALUE))
        .isEqualTo(dev.braid.wire.FrameHeader.Result.COMPLETE);
    return h;
  }

  /** Each protocol violation closes the connection it happened on. */
  @Test
  void protocolViolationsCloseTheConnection() {
    String invoke1 = "03 01 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74"
        + " 68 6f 64 31";
    List<String> cases = new ArrayList<>(List.of(
        "03 00 01 02 2f 78",                                   // stream 0
        "05 07 01 01 00",                                      // Message for a new stream
        invoke1 + " 04 01 02 01 00 07 01 02 01 00",            // kind change inside a packet
        invoke1 + " 05 01 02 01 00 05 01 02 01 00",            // message id reused
        invoke1 + " 05 01 00 01 00",                           // message id going backwards
        invoke1 + " 03 01 02 02 2f 78",                        // Invoke on an existing stream
        "0f 01 01 03 0a 05 0a",                                // undecodable metadata
        invoke1 + " 15 01 02 00",                              // unknown kind 10 without control
        "05 01 01 ff ff ff ff ff ff ff ff ff 7f",              // varint too long
        "05 01 01 81 80 80 02"));                              // 4 MiB + 1 declared: at once
    for (String c : cases) {
      EmbeddedChannel ch = server();
      feed(ch, c);
      assertThat(ch.isOpen()).as("after %s", c).isFalse();
    }
  }

  @Test
  void unknownControlPacketsAreIgnored() {
    EmbeddedChannel ch = server();
    feed(ch, "03 01 01 18 2f 73 65 72 76 69 63 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64"
        + " 31 bf 01 02 01 00 05 01 03 02 08 01 0d 01 04 00"); // kind 31 + control
    assertThat(hex(written(ch))).isEqualTo("05 01 01 02 08 01 0d 01 02 00");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void aFrameOfExactlyTheLimitIsAccepted() {
    EmbeddedChannel ch = server();
    byte[] body = new byte[4 << 20];
    feed(ch, Frames.encode(Packet.of(Kind.INVOKE, 1, 1, METHOD1.fullName().getBytes()), 0));
    feed(ch, Frames.encode(Packet.of(Kind.MESSAGE, 1, 2, body), 0));
    feed(ch, "0d 01 03 00");
    assertThat(ch.isOpen()).isTrue();
    PacketReader r = new PacketReader();
    r.feed(written(ch));
    assertThat(r.poll().data()).hasSize(4 << 20);
  }

  // ------------------------------------------------------------ client side

  @Test
  void clientUnaryWritesTheReferenceSequenceInOneWrite() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.OFF));
    EmbeddedChannel ch = new EmbeddedChannel(conn);
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, METHOD1, HEX.parseHex("08 01"),
        CallOptions.DEFAULT);
    ch.runPendingTasks();
    ByteBuf first = ch.readOutbound();
    assertThat(hex(ByteBufUtil.getBytes(first))).isEqualTo("03 01 01 18 2f 73 65 72 76 69 63"
        + " 65 2e 53 65 72 76 69 63 65 2f 4d 65 74 68 6f 64 31 05 01 02 02 08 01 0d 01 03 00");
    first.release();
    ByteBuf second = ch.readOutbound();
    assertThat(second).as("one buffer, one write").isNull();
    feed(ch, "05 01 01 02 08 01 0d 01 02 00");
    assertThat(f.getNow(null)).isEqualTo(HEX.parseHex("08 01"));
    assertThat(written(ch)).as("CloseSend arrived with the reply: no Close").isEmpty();
  }

  @Test
  void clientSendsCloseWhenTheReplyComesAlone() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.OFF));
    EmbeddedChannel ch = new EmbeddedChannel(conn);
    CompletableFuture<byte[]> f = ClientCalls.unary(conn, METHOD1, HEX.parseHex("08 01"),
        CallOptions.DEFAULT);
    written(ch);
    feed(ch, "05 01 01 02 08 01");
    assertThat(f.getNow(null)).isEqualTo(HEX.parseHex("08 01"));
    assertThat(hex(written(ch))).isEqualTo("0b 01 04 00");
  }

  @Test
  void clientAnnouncesBraidAfterTheFirstInvoke() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE));
    EmbeddedChannel ch = new EmbeddedChannel(conn);
    ClientCalls.unary(conn, METHOD1, HEX.parseHex("08 01"), CallOptions.DEFAULT);
    PacketReader r = new PacketReader();
    r.feed(written(ch));
    List<Integer> kinds = new ArrayList<>();
    Packet p;
    while ((p = r.poll()) != null) {
      kinds.add(p.kind());
    }
    assertThat(kinds).containsExactly(Kind.INVOKE, Kind.SETTINGS, Kind.MESSAGE,
        Kind.CLOSE_SEND);
  }

  // ------------------------------------------------------------- the writer

  /** Pumps bytes between a client and a server channel until both are quiet. */
  static void pump(EmbeddedChannel client, EmbeddedChannel server) {
    for (int i = 0; i < 10; i++) {
      byte[] up = written(client);
      if (up.length > 0) {
        feed(server, up);
      }
      byte[] down = written(server);
      if (down.length > 0) {
        feed(client, down);
      }
      if (up.length == 0 && down.length == 0) {
        return;
      }
    }
  }

  /**
   * A channel for {@code conn}, negotiated with a braid server through one small unary call
   * (1 byte each way), on a frozen clock that only {@code advanceTimeBy} moves.
   */
  private EmbeddedChannel negotiated(Connection conn) {
    EmbeddedChannel client = new EmbeddedChannel(conn);
    client.freezeTime();
    EmbeddedChannel server = server(config(Multiplexing.OFF));
    CompletableFuture<byte[]> first = ClientCalls.unary(conn, METHOD1, new byte[] {1},
        CallOptions.DEFAULT);
    pump(client, server);
    assertThat(first.getNow(null)).containsExactly(1);
    assertThat(conn.isNegotiated()).isTrue();
    return client;
  }

  /** The stream id of every frame in {@code bytes}, in order. */
  static List<Long> frameStreams(byte[] bytes) {
    return frames(bytes).stream().map(f -> header(f).streamId).toList();
  }

  /**
   * Negotiated, with only bulk calls about, a stream's turn is a whole 64 KiB packet (no
   * needless interleaving, which only delays every reply); once a small call has gone out,
   * turns are one frame so that small calls never wait behind much bulk data; 20 ms (fake
   * clock) after the last small call, whole packets again.
   */
  @Test
  void writerInterleavesFramesOnlyWhileSmallCallsAreAbout() {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE));
    EmbeddedChannel client = negotiated(conn);
    client.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);

    byte[] bulk = new byte[64 << 10];
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    List<Long> whole = frameStreams(written(client));
    // Invoke, four 16 KiB Message frames and CloseSend per call, one call after the other
    assertThat(whole).hasSize(12);
    assertThat(whole.subList(0, 6)).containsOnly(whole.get(0));
    assertThat(whole.subList(6, 12)).containsOnly(whole.get(6)).doesNotContain(whole.get(0));

    ClientCalls.unary(conn, METHOD1, new byte[] {2}, CallOptions.DEFAULT);
    written(client);
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    List<Long> interleaved = frameStreams(written(client));
    assertThat(interleaved).hasSize(12);
    // Invokes, then the Message frames alternate (a last frame takes its CloseSend along)
    for (int i = 1; i < 9; i++) {
      assertThat(interleaved.get(i)).as("frame %d", i).isNotEqualTo(interleaved.get(i - 1));
    }

    client.advanceTimeBy(21, java.util.concurrent.TimeUnit.MILLISECONDS);
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    ClientCalls.unary(conn, METHOD1, bulk, CallOptions.DEFAULT);
    List<Long> wholeAgain = frameStreams(written(client));
    assertThat(wholeAgain.subList(0, 6)).containsOnly(wholeAgain.get(0));
    assertThat(wholeAgain.subList(6, 12)).containsOnly(wholeAgain.get(6));
  }

  // ------------------------------------------------------------- window growth

  /**
   * A sender that uses its whole window while every message finds the reader waiting for it
   * is held by the credit round trip, not by the reader: the window doubles per round (1, 2,
   * 4 MiB) and stops at the maximum. A reader that reads everything, but only once it has
   * arrived (busy elsewhere meanwhile, like a slow or paced consumer), gets its credit back
   * and no more; a reader that stops reading gets nothing. The peer is simulated: it sends
   * 64 KiB messages while its window lasts, and only then sees the WindowUpdates (the round
   * trip).
   */
  @Test
  void windowGrowsOnlyForAWaitingReader() throws Exception {
    assertThat(windowRounds(Reader.WAITING, 4))
        .containsExactly(2 << 20, 4 << 20, 4 << 20, 4 << 20);
    assertThat(windowRounds(Reader.BUSY, 3)).containsExactly(1 << 20, 1 << 20, 1 << 20);
    assertThat(windowRounds(Reader.STALLED, 2)).containsExactly(0, 0);
  }

  enum Reader { WAITING, BUSY, STALLED }

  /** What the simulated peer may send after each round of sending all it may. */
  private List<Integer> windowRounds(Reader reader, int rounds) throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE));
    EmbeddedChannel client = negotiated(conn);
    // no small call about any more, so no metered credit (creditIsMeteredWhileSmallCalls...)
    client.advanceTimeBy(21, java.util.concurrent.TimeUnit.MILLISECONDS);
    dev.braid.rpc.ClientStream<byte[], byte[]> st = ClientCalls.stream(conn, BIDI,
        CallOptions.DEFAULT);
    st.send(new byte[] {1});
    long sid = header(frames(written(client)).get(0)).streamId;
    java.util.concurrent.atomic.AtomicInteger read =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread waiting = reader != Reader.WAITING ? null : new Thread(() -> {
      try {
        while (st.receive() != null) {
          read.incrementAndGet();
        }
      } catch (StatusException cancelled) {
        // the end of the test
      }
    });
    if (waiting != null) {
      waiting.start();
    }
    byte[] body = new byte[64 << 10];
    long window = 1 << 20; // what the client announced
    int sent = 0;
    List<Integer> after = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (; window >= body.length; window -= body.length) {
        if (reader == Reader.WAITING) {
          awaitWaiting((RpcStream) st, read, sent);
        }
        feed(client, Frames.encode(Packet.of(Kind.MESSAGE, sid, ++sent, body), 16 << 10));
        if (reader == Reader.BUSY) {
          assertThat(st.receive()).hasSize(body.length);
        }
      }
      if (reader == Reader.WAITING) {
        awaitWaiting((RpcStream) st, read, sent); // its credit is on its way
      }
      window += windowUpdates(written(client), sid);
      after.add((int) window);
    }
    st.cancel();
    if (waiting != null) {
      waiting.join();
    }
    client.finishAndReleaseAll();
    return after;
  }

  /** Until the reader has read {@code n} messages and waits for the next (no sleeping). */
  private static void awaitWaiting(RpcStream s, java.util.concurrent.atomic.AtomicInteger read,
      int n) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (read.get() < n || !s.isReaderWaiting()) {
      assertThat(System.nanoTime()).as("reader caught up in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /**
   * While small unary calls are about, the receiver meters a stream's credit: once the
   * window granted before is spent, the peer may have at most 64 KiB of the stream on its
   * way, and gets more as that arrives, so it never runs dry. 20 ms (fake clock) after the
   * last small call, the credit held back goes out whole. The peer is simulated: it sends
   * 16 KiB frames of 64 KiB messages while its credit lasts and sees each WindowUpdate at
   * once; the application reads every message as it completes.
   */
  @Test
  void creditIsMeteredWhileSmallCallsAreAbout() throws Exception {
    Connection conn = Connection.client(config(Multiplexing.NEGOTIATE));
    EmbeddedChannel client = negotiated(conn); // a small unary response arrived just now
    dev.braid.rpc.ClientStream<byte[], byte[]> st = ClientCalls.stream(conn, BIDI,
        CallOptions.DEFAULT);
    st.send(new byte[] {1});
    long sid = header(frames(written(client)).get(0)).streamId;

    int frame = 16 << 10;
    int message = 64 << 10;
    long[] credit = {1 << 20}; // the announced window
    long[] sent = {0};
    Runnable sendFrame = () -> {
      assertThat(credit[0]).as("the peer never runs dry").isGreaterThanOrEqualTo(frame);
      long id = sent[0] / message + 1;
      boolean last = (sent[0] + frame) % message == 0;
      feed(client, Frames.frame(Kind.MESSAGE, false, last, sid, id, new byte[frame]));
      sent[0] += frame;
      credit[0] -= frame;
      if (last) {
        try {
          assertThat(st.receive()).hasSize(message);
        } catch (StatusException e) {
          throw new AssertionError(e);
        }
      }
      credit[0] += windowUpdates(written(client), sid);
    };
    long most = 0;
    while (sent[0] < (4 << 20)) {
      sendFrame.run();
      if (sent[0] >= (1 << 20)) {
        most = Math.max(most, credit[0]);
      }
    }
    assertThat(most).as("credit on its way, past the first window")
        .isLessThanOrEqualTo(SmallCallWriteScheduler.SMALL_CALL_OUTSTANDING).isGreaterThan(0);

    client.advanceTimeBy(21, java.util.concurrent.TimeUnit.MILLISECONDS);
    for (int i = 0; i < 4 && credit[0] <= SmallCallWriteScheduler.SMALL_CALL_OUTSTANDING; i++) {
      sendFrame.run();
    }
    assertThat(credit[0]).as("held credit sent once no small call is about")
        .isGreaterThan(512 << 10);
    st.cancel();
    client.finishAndReleaseAll();
  }

  /** The credit granted to stream {@code sid} in the WindowUpdates among {@code bytes}. */
  private static long windowUpdates(byte[] bytes, long sid) {
    long sum = 0;
    for (byte[] f : frames(bytes)) {
      dev.braid.wire.FrameHeader h = header(f);
      if (h.kind == Kind.WINDOW_UPDATE && h.streamId == sid) {
        sum += dev.braid.wire.Settings.decodeWindowUpdate(
            java.nio.ByteBuffer.wrap(f, h.headerSize, h.length));
      }
    }
    return sum;
  }

  // ------------------------------------------------------------- idle timeout

  /** With a fake clock: an idle connection closes after its timeout, a busy one never. */
  @Test
  void idleTimeoutClosesOnlyIdleConnections() {
    EmbeddedChannel idle = server(config(Multiplexing.OFF, Runnable::run, 100));
    idle.advanceTimeBy(60, java.util.concurrent.TimeUnit.MILLISECONDS);
    idle.runScheduledPendingTasks();
    assertThat(idle.isOpen()).as("not yet idle long enough").isTrue();
    idle.advanceTimeBy(100, java.util.concurrent.TimeUnit.MILLISECONDS);
    idle.runScheduledPendingTasks();
    assertThat(idle.isOpen()).isFalse();

    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newCachedThreadPool();
    try {
      EmbeddedChannel busy = server(config(Multiplexing.OFF, pool, 100));
      feed(busy, Frames.encode(Packet.of(Kind.INVOKE, 1, 1, BIDI.fullName().getBytes()), 0));
      for (int i = 0; i < 10; i++) {
        busy.advanceTimeBy(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        busy.runScheduledPendingTasks();
      }
      assertThat(busy.isOpen()).as("a stream is open").isTrue();
      feed(busy, "0d 01 02 00"); // the client half-closes; the handler ends the call
      awaitWritten(busy, 4);
      for (int i = 0; i < 2; i++) {
        busy.advanceTimeBy(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        busy.runScheduledPendingTasks();
      }
      assertThat(busy.isOpen()).as("idle once the call ended").isFalse();
    } finally {
      pool.shutdownNow();
    }
  }
}
