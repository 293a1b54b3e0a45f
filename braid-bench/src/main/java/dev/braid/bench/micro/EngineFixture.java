package dev.braid.bench.micro;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.internal.ClientCalls;
import dev.braid.rpc.internal.Connection;
import dev.braid.rpc.internal.ConnectionConfig;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import dev.braid.wire.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * braid's connection engine in a Netty {@link EmbeddedChannel}: no socket and no thread
 * hand-off, so what is measured is the engine's own work per call (frame parsing, stream
 * registry, dispatch, encoding, the coalescing writer) plus EmbeddedChannel's small
 * overhead. The peer's bytes are written by this fixture with pooled buffers.
 *
 * <p>Not thread-safe; one per benchmark thread.
 */
public final class EngineFixture {
  static final Executor DIRECT = Runnable::run;
  public static final MethodDescriptor<byte[], byte[]> UNARY =
      MethodDescriptor.raw("/braid.bench.Bench/Unary", MethodType.UNARY);
  static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
  static final byte[] NAME = UNARY.fullName().getBytes(StandardCharsets.UTF_8);

  /** The engine's defaults with {@code mode} and direct executors. */
  static ConnectionConfig config(Multiplexing mode) {
    return ConnectionConfig.builder().multiplexing(mode).executor(DIRECT).build();
  }

  /** Writes one frame (header and data) that ends its packet. */
  static void frame(ByteBuf out, int kind, boolean control, long sid, long mid, byte[] data,
      int off, int len) {
    frame(out, kind, control, true, sid, mid, data, off, len);
  }

  /** Writes one frame (header and data); {@code done}: the last of its packet. */
  static void frame(ByteBuf out, int kind, boolean control, boolean done, long sid, long mid,
      byte[] data, int off, int len) {
    out.writeByte(FrameHeader.headerByte(kind, control, done));
    varint(out, sid);
    varint(out, mid);
    varint(out, len);
    out.writeBytes(data, off, len);
  }

  static void varint(ByteBuf out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  static final byte[] EMPTY = new byte[0];

  static byte[] serverSettings() {
    return Settings.encode(Map.of(Settings.VERSION, 1L, Settings.MULTIPLEXING, 1L,
        Settings.STREAM_WINDOW, 1L << 20, Settings.MAX_CONCURRENT_STREAMS, 1024L));
  }

  static byte[] clientSettings(long window) {
    return Settings.encode(Map.of(Settings.VERSION, 1L, Settings.MULTIPLEXING, 1L,
        Settings.STREAM_WINDOW, window));
  }

  /** Drains and releases everything the engine wrote; returns the byte count. */
  static long drain(EmbeddedChannel ch) {
    long n = 0;
    Object o;
    while ((o = ch.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) o;
      n += b.readableBytes();
      b.release();
    }
    return n;
  }

  /** A braid server engine answering unary echo calls on the I/O thread. */
  public static final class Server {
    final EmbeddedChannel ch;
    final byte[] payload;
    long nextStream = 1;

    public Server(boolean negotiate, int payloadBytes) {
      this(negotiate, payloadBytes, 1L << 20);
    }

    /** {@code window}: the stream window the fixture's client announces when negotiating. */
    public Server(boolean negotiate, int payloadBytes, long window) {
      ServiceDefinition def = ServiceDefinition.builder("braid.bench.Bench")
          .unary(UNARY, (req, ctx) -> req).build();
      ServiceDefinition.Entry entry = def.entries().get(0);
      ch = new EmbeddedChannel(Connection.server(config(Multiplexing.OFF),
          name -> name.equals(UNARY.fullName()) ? entry : null));
      payload = new byte[payloadBytes];
      Arrays.fill(payload, (byte) 7);
      if (negotiate) {
        ByteBuf b = ALLOC.buffer();
        long sid = nextStream++;
        frame(b, Kind.INVOKE, false, sid, 1, NAME, 0, NAME.length);
        byte[] s = clientSettings(window);
        frame(b, Kind.SETTINGS, true, sid, 2, s, 0, s.length);
        frame(b, Kind.MESSAGE, false, sid, 3, payload, 0, payload.length);
        frame(b, Kind.CLOSE_SEND, false, sid, 4, EMPTY, 0, 0);
        ch.writeInbound(b);
        drain(ch);
      }
    }

    /** {@code calls} unary calls arriving in one read; returns the bytes answered. */
    public long calls(int calls) {
      ByteBuf b = ALLOC.buffer(calls * (payload.length + NAME.length + 32));
      for (int i = 0; i < calls; i++) {
        long sid = nextStream++;
        frame(b, Kind.INVOKE, false, sid, 1, NAME, 0, NAME.length);
        frame(b, Kind.MESSAGE, false, sid, 2, payload, 0, payload.length);
        frame(b, Kind.CLOSE_SEND, false, sid, 3, EMPTY, 0, 0);
      }
      ch.writeInbound(b);
      long n = drain(ch);
      if (n == 0) {
        throw new IllegalStateException("the server engine wrote nothing");
      }
      return n;
    }

    /**
     * One unary call whose request arrives in frames of {@code frameSize} bytes, all in one
     * read; returns the bytes answered.
     */
    public long splitCall(int frameSize) {
      ByteBuf b = ALLOC.buffer(payload.length + payload.length / frameSize * 8 + 64);
      long sid = nextStream++;
      frame(b, Kind.INVOKE, false, sid, 1, NAME, 0, NAME.length);
      for (int off = 0; off < payload.length || off == 0; off += frameSize) {
        int len = Math.min(frameSize, payload.length - off);
        frame(b, Kind.MESSAGE, false, off + len == payload.length, sid, 2, payload, off, len);
      }
      frame(b, Kind.CLOSE_SEND, false, sid, 3, EMPTY, 0, 0);
      ch.writeInbound(b);
      long n = drain(ch);
      if (n < payload.length) {
        throw new IllegalStateException("the server engine answered " + n + " bytes");
      }
      return n;
    }

    public void close() {
      ch.finishAndReleaseAll();
    }
  }

  /** A braid client engine making unary calls; the fixture plays the server. */
  public static final class Client {
    final EmbeddedChannel ch;
    final Connection conn;
    final byte[] payload;
    @SuppressWarnings("unchecked")
    CompletableFuture<byte[]>[] futures = new CompletableFuture[64];
    long nextStream = 1;

    public Client(boolean negotiate, int payloadBytes) {
      conn = Connection.client(config(negotiate ? Multiplexing.NEGOTIATE : Multiplexing.OFF));
      ch = new EmbeddedChannel(conn);
      payload = new byte[payloadBytes];
      Arrays.fill(payload, (byte) 7);
      // The first call: in NEGOTIATE mode it carries the announcement, which we answer.
      CompletableFuture<byte[]> f = ClientCalls.unary(conn, UNARY, payload,
          CallOptions.DEFAULT);
      ch.runPendingTasks();
      drain(ch);
      ByteBuf b = ALLOC.buffer();
      long sid = nextStream++;
      if (negotiate) {
        byte[] s = serverSettings();
        frame(b, Kind.SETTINGS, true, sid, 0, s, 0, s.length);
      }
      frame(b, Kind.MESSAGE, false, sid, 1, payload, 0, payload.length);
      frame(b, Kind.CLOSE_SEND, false, sid, 2, EMPTY, 0, 0);
      ch.writeInbound(b);
      ch.runPendingTasks();
      drain(ch);
      f.join();
      if (negotiate && !conn.isNegotiated()) {
        throw new IllegalStateException("not negotiated");
      }
    }

    /**
     * {@code calls} unary calls started together (one writer batch), answered in one
     * read; returns the bytes the client wrote.
     */
    public long calls(int calls) {
      if (futures.length < calls) {
        futures = Arrays.copyOf(futures, calls);
      }
      long first = nextStream;
      for (int i = 0; i < calls; i++) {
        futures[i] = ClientCalls.unary(conn, UNARY, payload, CallOptions.DEFAULT);
      }
      nextStream += calls;
      ch.runPendingTasks();
      long n = drain(ch);
      ByteBuf b = ALLOC.buffer(calls * (payload.length + 16));
      for (int i = 0; i < calls; i++) {
        long sid = first + i;
        frame(b, Kind.MESSAGE, false, sid, 1, payload, 0, payload.length);
        frame(b, Kind.CLOSE_SEND, false, sid, 2, EMPTY, 0, 0);
      }
      ch.writeInbound(b);
      ch.runPendingTasks();
      n += drain(ch);
      for (int i = 0; i < calls; i++) {
        byte[] r = futures[i].getNow(null);
        if (r == null || r.length != payload.length) {
          throw new IllegalStateException("call " + i + " did not complete");
        }
        futures[i] = null;
      }
      return n;
    }

    public void close() {
      ch.finishAndReleaseAll();
    }
  }
}
