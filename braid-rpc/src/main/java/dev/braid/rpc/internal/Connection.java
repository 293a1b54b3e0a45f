package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.Status;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.InvokeMetadata;
import dev.braid.wire.Kind;
import dev.braid.wire.PacketAssembly;
import dev.braid.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection engine: one per socket, client or server side. It parses frames, routes
 * them by stream id to per-stream assembly and receive queues, and writes every stream's
 * packets through one coalescing writer.
 *
 * <h2>Reading</h2>
 * Frames are parsed in place from Netty's cumulation buffer; a declared length over the
 * maximum message size is a protocol error before any byte of it is awaited. Packets are
 * assembled per stream ({@link PacketAssembly}), so a partial packet of one stream survives
 * frames of another. A single-frame packet is handed on as a slice, without copying.
 * Received messages go to the stream's own queue; the reader never waits for a consumer.
 * When a stream holds more than its cap of unread bytes, the connection stops reading the
 * socket until it drains (TCP back-pressure, the only flow control plain DRPC has).
 *
 * <h2>Writing</h2>
 * Streams queue whole packets (already framed) under their own lock and put themselves on
 * a wakeup queue. One drain task on the event loop moves every ready stream's packets into
 * the channel and flushes once per batch, so the frames of a packet are contiguous and
 * many calls share one flush. Writing pauses while the channel is not writable.
 *
 * <h2>Upstream-compatible mode</h2>
 * A client runs one stream at a time with ids 1, 2, 3…; a new call waits until the
 * previous stream has finished, as storj/drpc v1.0.0 requires. A server accepts
 * interleaved streams from any client.
 *
 * <h2>Errors</h2>
 * A protocol violation closes this connection and fails every stream on it with
 * {@link Code#INTERNAL}; a broken socket fails them with {@link Code#UNAVAILABLE}. A bad
 * call (unknown method, handler failure) ends only that stream.
 *
 * <h2>Threading</h2>
 * Everything not documented otherwise runs on the channel's event loop. {@link #wakeup},
 * {@link #startClientCall}, {@link #pauseReading}, {@link #resumeReading} and
 * {@link #close} are safe from any thread.
 */
public final class Connection extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  final ConnectionConfig config;
  private final boolean client;
  private final Function<String, ServiceDefinition.Entry> methods;

  private Channel channel;
  private ChannelHandlerContext ctx;

  // ---- event loop ----
  private final Map<Long, RpcStream> streams = new HashMap<>();
  private RpcStream lastRouted;
  /** Server: the highest stream id seen. Client: the highest id started. */
  private long highestStreamId;
  private RpcStream active;
  private final ArrayDeque<RpcStream> waiting = new ArrayDeque<>();
  private final ArrayDeque<RpcStream> writable = new ArrayDeque<>();
  private final Set<RpcStream> paused = new HashSet<>();
  private final List<ClientCall<?, ?>> respondedUnary = new ArrayList<>();
  private final FrameHeader header = new FrameHeader();
  private boolean draining;
  private boolean failed;

  // ---- any thread ----
  private final ConcurrentLinkedQueue<RpcStream> wakeups = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Object startLock = new Object();
  private long lastClientStreamId;
  private volatile Status closedStatus;
  private volatile boolean closing;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private final Runnable drainTask = this::drain;

  private Connection(ConnectionConfig config, boolean client,
      Function<String, ServiceDefinition.Entry> methods) {
    this.config = config;
    this.client = client;
    this.methods = methods;
  }

  /** A client-side engine. */
  public static Connection client(ConnectionConfig config) {
    return new Connection(config, true, null);
  }

  /** A server-side engine resolving method names with {@code methods}. */
  public static Connection server(ConnectionConfig config,
      Function<String, ServiceDefinition.Entry> methods) {
    return new Connection(config, false, methods);
  }

  // ------------------------------------------------------------- lifecycle

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.channel = ctx.channel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    terminateAll(closedStatus != null ? closedStatus
        : Status.of(Code.UNAVAILABLE, "connection closed by the peer"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closedStatus == null) {
      closedStatus = Status.of(Code.UNAVAILABLE, "connection failed: " + cause, cause);
    }
    log.debug("connection {} failed", channel, cause);
    ctx.close();
  }

  /** A future completed when the connection has closed. */
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** The status the connection closed with, or null while open. */
  public Status closedStatus() {
    return closedStatus;
  }

  public boolean isOpen() {
    return closedStatus == null && channel != null && channel.isActive();
  }

  /** Closes now: every stream fails with {@code status}. Any thread. */
  public void close(Status status) {
    if (closedStatus == null) {
      closedStatus = status;
    }
    if (channel != null) {
      channel.close();
    }
  }

  /**
   * Closes once every stream has finished; refuses new calls meanwhile. Any thread.
   * Returns the close future.
   */
  public CompletableFuture<Void> closeGracefully() {
    closing = true;
    if (channel != null) {
      channel.eventLoop().execute(this::closeIfIdle);
    }
    return closeFuture;
  }

  /** Whether a graceful close has begun. */
  public boolean isClosing() {
    return closing;
  }

  private void closeIfIdle() {
    if (closing && streams.isEmpty() && waiting.isEmpty() && active == null
        && wakeups.isEmpty()) {
      close(Status.of(Code.UNAVAILABLE, "connection closed"));
    }
  }

  private void terminateAll(Status status) {
    if (closedStatus == null) {
      closedStatus = status;
    }
    failed = true;
    List<RpcStream> all = new ArrayList<>(streams.values());
    all.addAll(waiting);
    RpcStream s;
    while ((s = wakeups.poll()) != null) {
      all.add(s);
    }
    streams.clear();
    waiting.clear();
    writable.clear();
    active = null;
    lastRouted = null;
    for (RpcStream st : all) {
      st.terminate(status, status, true);
      releasePartial(st);
      if (st.deadlineTimer != null) {
        st.deadlineTimer.cancel(false);
      }
      st.finished = true;
    }
    paused.clear();
    closeFuture.complete(null);
  }

  ByteBufAllocator alloc() {
    return channel.alloc();
  }

  ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
    return channel.eventLoop().schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  // --------------------------------------------------------------- client

  /**
   * Creates a client call with the next stream id, lets {@code opening} encode its first
   * packets, and queues them, all in id order. Any thread.
   */
  <Q, R> ClientCall<Q, R> newClientCall(dev.braid.rpc.MethodDescriptor<Q, R> method,
      boolean unary, OpeningEncoder<Q, R> opening) throws dev.braid.rpc.StatusException {
    ClientCall<Q, R> call;
    synchronized (startLock) {
      Status closed = closedStatus;
      if (closed != null) {
        throw closed.asException();
      }
      if (closing) {
        throw Status.of(Code.UNAVAILABLE, "connection is closing").asException();
      }
      call = new ClientCall<>(this, ++lastClientStreamId, method, unary);
      ByteBuf buf = opening.encode(call);
      call.queue(buf, unary, false, null);
    }
    return call;
  }

  /** Encodes the opening packets of a new call. */
  interface OpeningEncoder<Q, R> {
    ByteBuf encode(ClientCall<Q, R> call) throws dev.braid.rpc.StatusException;
  }

  /** Event loop: a unary response arrived; send Close unless the CloseSend follows. */
  void unaryResponded(ClientCall<?, ?> call) {
    respondedUnary.add(call);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!respondedUnary.isEmpty()) {
      for (ClientCall<?, ?> c : respondedUnary) {
        if (!c.isTerminated()) {
          // As storj/drpc's Invoke does: the response is in, so end the stream now.
          c.sendEmpty(Kind.CLOSE, false, false, true, Status.of(Code.NONE, "closed"));
        }
        maybeFinish(c);
      }
      respondedUnary.clear();
    }
    super.channelReadComplete(ctx);
  }

  // ------------------------------------------------------------- writing

  /** Schedules {@code s} for writing. Any thread. */
  void wakeup(RpcStream s) {
    if (s.scheduled.compareAndSet(false, true)) {
      wakeups.add(s);
      scheduleDrain();
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(drainTask);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (channel.isWritable() && !writable.isEmpty()) {
      drain();
    }
    super.channelWritabilityChanged(ctx);
  }

  private void drain() {
    drainScheduled.set(false);
    if (failed) {
      RpcStream s;
      while ((s = wakeups.poll()) != null) {
        s.terminate(closedStatus, closedStatus, true);
      }
      return;
    }
    draining = true;
    try {
      RpcStream s;
      while ((s = wakeups.poll()) != null) {
        onWakeup(s);
      }
      boolean wrote = false;
      while (!writable.isEmpty() && channel.isWritable()) {
        s = writable.poll();
        ByteBuf b;
        while ((b = s.pollOutbound()) != null) {
          if (client && !s.wroteAny && s.isTerminated()) {
            // cancelled before its Invoke went out: send nothing at all
            b.release();
            continue;
          }
          s.wroteAny = true;
          ctx.write(b, ctx.voidPromise());
          wrote = true;
          if (!channel.isWritable()) {
            break;
          }
        }
        if (s.hasOutbound()) {
          writable.add(s);
        } else {
          s.scheduled.set(false);
          if (s.hasOutbound() && s.scheduled.compareAndSet(false, true)) {
            writable.add(s);
          } else {
            maybeFinish(s);
          }
        }
      }
      if (wrote) {
        ctx.flush();
      }
    } finally {
      draining = false;
    }
  }

  private void onWakeup(RpcStream s) {
    if (s.finished) {
      s.terminate(Status.of(Code.CANCELLED, "stream finished"), RpcStream.EOF_STATUS, true);
      return;
    }
    if (!s.registered) {
      // a new client call
      s.registered = true;
      if (s.isTerminated() && !s.started) {
        dropUnstarted(s);
        return;
      }
      if (active != null) {
        waiting.add(s);
        return;
      }
      startCall(s);
      return;
    }
    if (s.started) {
      writable.add(s);
    }
  }

  private void startCall(RpcStream s) {
    s.started = true;
    active = s;
    streams.put(s.id, s);
    highestStreamId = s.id;
    writable.add(s);
  }

  private void dropUnstarted(RpcStream s) {
    ByteBuf b;
    while ((b = s.pollOutbound()) != null) {
      b.release();
    }
    s.finished = true;
    if (s.deadlineTimer != null) {
      s.deadlineTimer.cancel(false);
    }
  }

  /** Event loop: removes {@code s} from the registry once it has finished. */
  void maybeFinish(RpcStream s) {
    if (s.finished || !s.finishable()) {
      return;
    }
    if (client && !s.started) {
      return;
    }
    s.finished = true;
    streams.remove(s.id);
    if (lastRouted == s) {
      lastRouted = null;
    }
    releasePartial(s);
    if (s.deadlineTimer != null) {
      s.deadlineTimer.cancel(false);
    }
    if (paused.remove(s) && paused.isEmpty()) {
      channel.config().setAutoRead(true);
    }
    if (active == s) {
      active = null;
      RpcStream next;
      while ((next = waiting.poll()) != null) {
        if (next.isTerminated()) {
          dropUnstarted(next);
          continue;
        }
        startCall(next);
        if (!draining) {
          scheduleDrain();
        }
        break;
      }
    }
    if (closing) {
      closeIfIdle();
    }
  }

  // ------------------------------------------------------------- reading

  /** Stops reading the socket while {@code s} is over its receive cap. Event loop. */
  void pauseReading(RpcStream s) {
    if (paused.add(s)) {
      channel.config().setAutoRead(false);
    }
  }

  /** {@code s} drained below its cap. Any thread. */
  void resumeReading(RpcStream s) {
    channel.eventLoop().execute(() -> {
      if (paused.remove(s) && paused.isEmpty()) {
        channel.config().setAutoRead(true);
        channel.read();
      }
    });
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (in.isReadable()) {
        ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes());
        FrameHeader.Result r = header.parse(view, config.maxMessageSize());
        if (r != FrameHeader.Result.COMPLETE) {
          return;
        }
        in.skipBytes(header.headerSize);
        onFrame(in);
      }
    } catch (ProtocolException e) {
      protocolError(e.getMessage());
      in.skipBytes(in.readableBytes());
    }
  }

  private void protocolError(String message) {
    log.warn("closing connection {}: protocol error: {}", channel, message);
    close(Status.of(Code.INTERNAL, "protocol error: " + message));
    failed = true;
  }

  /** Handles the frame described by {@link #header}; its data is next in {@code in}. */
  private void onFrame(ByteBuf in) {
    long sid = header.streamId;
    int len = header.length;
    RpcStream s = lastRouted != null && lastRouted.id == sid ? lastRouted : streams.get(sid);
    if (s == null) {
      s = unknownStream(sid);
      if (s == null) {
        in.skipBytes(len);
        return;
      }
    }
    lastRouted = s;
    int flags = s.assembly.accept(header.kind, header.control, header.done, header.messageId,
        len);
    if ((flags & PacketAssembly.DISCARDED_PARTIAL) != 0) {
      releasePartial(s);
    }
    if ((flags & PacketAssembly.COMPLETED) == 0) {
      if (s.partial == null) {
        s.partial = channel.alloc().compositeBuffer(64);
      }
      s.partial.addComponent(true, in.readRetainedSlice(len));
      return;
    }
    ByteBuf data;
    if (s.partial != null) {
      s.partial.addComponent(true, in.readRetainedSlice(len));
      data = s.partial;
      s.partial = null;
    } else {
      data = in.readRetainedSlice(len);
    }
    onPacket(s, s.assembly.kind(), s.assembly.control(), data);
  }

  /** A frame for a stream not in the registry: a new server stream, a late one, or junk. */
  private RpcStream unknownStream(long sid) {
    if (sid == 0) {
      throw new ProtocolException("id monotonicity violation: stream id 0");
    }
    if (Long.compareUnsigned(sid, highestStreamId) <= 0) {
      return null; // a late frame for a finished stream
    }
    if (client) {
      if (header.control) {
        return null;
      }
      throw new ProtocolException("frame for stream " + Long.toUnsignedString(sid)
          + " which this client never opened");
    }
    int kind = header.kind;
    if (kind != Kind.INVOKE && kind != Kind.INVOKE_METADATA) {
      if (header.control) {
        return null; // an unknown control packet for an unknown stream: ignore
      }
      throw new ProtocolException("first frame of a new stream must be Invoke or "
          + "InvokeMetadata, got " + Kind.name(kind));
    }
    highestStreamId = sid;
    PendingServerStream p = new PendingServerStream(this, sid);
    streams.put(sid, p);
    return p;
  }

  private void releasePartial(RpcStream s) {
    if (s.partial != null) {
      s.partial.release();
      s.partial = null;
    }
  }

  private void onPacket(RpcStream s, int kind, boolean control, ByteBuf data) {
    switch (kind) {
      case Kind.MESSAGE -> {
        if (s instanceof PendingServerStream) {
          data.release();
          throw new ProtocolException("Message before Invoke on stream "
              + Long.toUnsignedString(s.id));
        }
        s.handleMessage(data);
      }
      case Kind.INVOKE -> {
        String name = data.toString(StandardCharsets.UTF_8);
        data.release();
        if (!(s instanceof PendingServerStream p)) {
          throw new ProtocolException("invoke on existing stream "
              + Long.toUnsignedString(s.id));
        }
        invoke(p, name);
      }
      case Kind.INVOKE_METADATA -> {
        try {
          if (!(s instanceof PendingServerStream p)) {
            throw new ProtocolException("InvokeMetadata on existing stream "
                + Long.toUnsignedString(s.id));
          }
          p.metadata = Metadata.of(InvokeMetadata.decode(data.nioBuffer()));
        } finally {
          data.release();
        }
      }
      case Kind.ERROR -> {
        byte[] body = ByteBufUtil.getBytes(data);
        data.release();
        ErrorBody err = ErrorBody.decode(body);
        if (s instanceof ClientCall<?, ?> c) {
          c.handleError(err);
        } else if (s instanceof ServerCall<?, ?> c) {
          c.handleError(err);
        } else {
          s.terminate(Status.of(err.code(), err.message()), RpcStream.EOF_STATUS, true);
        }
        maybeFinish(s);
      }
      case Kind.CANCEL -> {
        data.release();
        Status st = Status.of(Code.CANCELLED, client ? "cancelled by the server"
            : "cancelled by the client");
        s.terminate(st, st, true);
        maybeFinish(s);
      }
      case Kind.CLOSE -> {
        data.release();
        s.terminate(Status.of(Code.CANCELLED, "closed: remote closed the stream"),
            RpcStream.EOF_STATUS, false);
        maybeFinish(s);
      }
      case Kind.CLOSE_SEND -> {
        data.release();
        s.handlePeerCloseSend();
        maybeFinish(s);
      }
      default -> {
        data.release();
        if (!control) {
          throw new ProtocolException("unknown packet kind: " + Kind.name(kind));
        }
        // unknown control packets are ignored, for forward compatibility
      }
    }
  }

  private void invoke(PendingServerStream p, String name) {
    ServiceDefinition.Entry entry = methods.apply(name);
    Metadata md = p.metadata == null ? Metadata.EMPTY : p.metadata;
    if (entry == null || closing) {
      // Answer with an Error and forget the stream; late packets for it are dropped.
      Status st = entry == null
          ? Status.of(Code.UNIMPLEMENTED, "protocol error: unknown rpc: \"" + name + "\"")
          : Status.of(Code.UNAVAILABLE, "server is shutting down");
      p.answerError(st);
      streams.remove(p.id);
      lastRouted = null;
      return;
    }
    ServerCall<?, ?> call = new ServerCall<>(this, p.id, entry, md);
    call.assembly.accept(Kind.INVOKE, false, true, p.assembly.messageId(), 0);
    call.registered = true;
    call.started = true;
    streams.put(p.id, call);
    lastRouted = call;
    call.start();
  }

  /** A server stream whose Invoke has not arrived yet: it may only carry metadata. */
  static final class PendingServerStream extends RpcStream {
    Metadata metadata;

    PendingServerStream(Connection conn, long id) {
      super(conn, id);
      registered = true;
      started = true;
    }

    @Override
    boolean isClient() {
      return false;
    }

    @Override
    java.util.concurrent.Executor callbackExecutor() {
      return conn.config.handlerExecutor();
    }

    void answerError(Status st) {
      byte[] body = ErrorBody.encode(st.code(), st.message());
      ByteBuf buf = conn.alloc().buffer(body.length + FrameHeader.MAX_SIZE);
      FrameWriter.writeBytes(buf, Kind.ERROR, id, 1, body, 0);
      conn.ctx.writeAndFlush(buf, conn.ctx.voidPromise());
    }
  }
}
