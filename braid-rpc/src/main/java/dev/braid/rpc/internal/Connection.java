package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.Status;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import dev.braid.wire.PacketAssembly;
import dev.braid.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Streams queue whole packets (already framed; a message spanning frames is encoded once
 * into a buffer of its own that the frames refer to) under their own lock and put
 * themselves on a wakeup queue. One drain task on the event loop moves every ready
 * stream's packets into the channel and flushes once per batch, so the frames of a packet
 * are contiguous and many calls share one flush. Writing pauses while the channel is not writable.
 *
 * <h2>Modes</h2>
 * A client starts every connection in upstream-compatible mode: one stream at a time, ids
 * 1, 2, 3…, as storj/drpc v1.0.0 requires. Unless told not to, it announces braid's
 * extensions with a Settings control packet right after its first Invoke (upstream servers
 * ignore unknown control packets on the current stream). A braid server answers with its
 * own Settings on that stream before any reply; from then on the connection is
 * <em>negotiated</em>: streams run concurrently up to the server's limit, Message data is
 * flow-controlled per stream with WindowUpdate credit, the writer interleaves streams frame
 * by frame (round-robin, control packets first), and the client pings to detect a dead
 * peer. In forced mode the client multiplexes without negotiating, writing each packet's
 * frames contiguously, for peers such as the cockroachdb fork. A server accepts
 * interleaved streams from any client; see docs/wire-protocol.md.
 *
 * <h2>Errors</h2>
 * A protocol violation, or a peer exceeding what it may make this side hold, closes this
 * connection with one WARN line and fails every stream on it with {@link Code#INTERNAL}; a
 * broken socket fails them with {@link Code#UNAVAILABLE}; any other failure on the event
 * loop is a bug and fails them with INTERNAL (an {@link Error} also goes to the fatal error
 * handler). A bad call (unknown method, handler failure) ends only that stream.
 *
 * <h2>Parts</h2>
 * This class owns the lifecycle and ties the parts together; each other concern is a class
 * of its own: {@link FrameRouter} (frame parsing, the stream registry, packet assembly and
 * its memory cap), {@link Negotiation} and {@link PeerSettings} (Settings),
 * {@link ServerDispatch} with {@link StreamIds} (new server streams, refusals, Deadline),
 * {@link ClientAdmission} (client ids and turns), {@link PacketHandler} (what a complete
 * packet does), {@link LocalFlowControl} (credit granted), {@link ConnectionWriter} with
 * its {@link WriteScheduler} and {@link ControlQueue} (writing), {@link ReadGate} (socket
 * read pausing), {@link KeepaliveManager} and {@link ConnectionTimeouts} (periodic tasks,
 * cancelled on close), {@link ConnectionLifecycle} (closing, failures, teardown).
 *
 * <h2>Threading</h2>
 * Everything not documented otherwise runs on the channel's event loop. {@link #wakeup},
 * {@link #newClientCall}, {@link #pauseReading}, {@link #resumeReading},
 * {@link #returnCredit} and {@link #close} are safe from any thread.
 */
public final class Connection extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  final ConnectionConfig config;
  private final boolean client;
  private final Function<String, ServiceDefinition.Entry> methods;

  Channel channel;
  ChannelHandlerContext ctx;

  // ---- event loop ----
  /** Frame parsing, the stream registry and packet assembly. */
  final FrameRouter router;
  /** Server: admission of new streams; null on clients. */
  final ServerDispatch dispatch;
  /** Client: admission of calls; null on servers. */
  final ClientAdmission admission;
  /** loop: idle timeout and protections, cancelled when the connection closes. */
  final ConnectionTimeouts timeouts;
  private final List<ClientCall<?, ?>> respondedUnary = new ArrayList<>();

  // ---- any thread ----
  /** loop: connection-level control packets (Settings, Ping, refusals): written first. */
  final ControlQueue control;
  final ReadGate readGate;
  final KeepaliveManager keepalive;
  /** The credit this side grants (negotiated mode). */
  final LocalFlowControl credit;
  /** Settings, negotiated or not, and the limits that follow. */
  final Negotiation negotiation;
  /** What each complete packet does. */
  final PacketHandler packets;
  /** Closing, aborting, failing and the teardown. */
  final ConnectionLifecycle lifecycle = new ConnectionLifecycle(this);
  /** The one writer. */
  final ConnectionWriter writer;
  /** The write policy once negotiated (interleaving, slices, credit metering). */
  final WriteScheduler scheduler = new SmallCallWriteScheduler(this::now);

  private Connection(ConnectionConfig config, boolean client,
      Function<String, ServiceDefinition.Entry> methods) {
    this.config = config;
    this.client = client;
    this.methods = methods;
    this.control = new ControlQueue(config.maxControlQueueBytes());
    this.readGate = new ReadGate(config.connectionBufferBytes());
    this.keepalive = new KeepaliveManager(this, config.keepaliveMillis());
    this.negotiation = new Negotiation(this, client);
    this.packets = new PacketHandler(this, client);
    this.dispatch = client ? null : new ServerDispatch(this, methods);
    this.admission = client ? new ClientAdmission(this) : null;
    this.timeouts = new ConnectionTimeouts(this, !client);
    this.credit = new LocalFlowControl(this, scheduler);
    this.writer = new ConnectionWriter(this, control, credit, scheduler);
    this.router = new FrameRouter(this, client);
  }

  // ---------------------------------------------------------- negotiation

  /** Whether braid's extensions (flow control, interleaving, pings) are in use. */
  boolean flowControlled() {
    return negotiation.negotiated();
  }

  /** Whether the negotiation with the peer completed. Any thread. */
  public boolean isNegotiated() {
    return negotiation.negotiated();
  }

  /** The frame size to split outgoing messages at. */
  int splitSize() {
    return negotiation.splitSize();
  }

  /** The most bytes one frame this side sends takes, header included. */
  int frameBytes() {
    return splitSize() + FrameHeader.MAX_SIZE;
  }

  /** The largest message this side may send: its own limit and, once known, the peer's. */
  int maxSendMessageSize() {
    return negotiation.maxSendMessageSize();
  }

  /** Returns {@code bytes} of receive window to the peer. Any thread. */
  void returnCredit(RpcStream s, long bytes) {
    credit.returnCredit(s, bytes);
  }

  /** Any thread: the reader of {@code s} caught up; credit the message in assembly. */
  void creditPartial(RpcStream s) {
    credit.creditPartial(s);
  }

  /** Runs {@code task} on the event loop. Any thread. */
  void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  /** A buffer holding one braid extension packet on stream {@code sid} (message id 0). */
  ByteBuf extensionPacket(int kind, long sid, byte[] body) {
    ByteBuf buf = alloc().buffer(FrameHeader.MAX_SIZE + body.length);
    FrameWriter.writeExtension(buf, kind, sid, 0, body);
    return buf;
  }

  /**
   * Tracks received-but-unread bytes across the connection: reading the socket pauses past
   * the connection cap and resumes below half of it. Any thread.
   */
  void unread(long delta) {
    readGate.unread(delta);
  }

  /**
   * Event loop: queues a connection-level control packet, written before stream data while
   * the socket is writable. A peer that does not read lets the queue grow only to
   * maxControlQueueBytes; past it the connection is closed (as Netty's
   * Http2ControlFrameLimitEncoder does).
   */
  void enqueueControl(ByteBuf buf) {
    if (lifecycle.failed()) {
      buf.release();
      return;
    }
    if (!control.add(buf)) {
      abort("the peer does not read: " + control.bytes() + " bytes of control packets "
          + "queued (limit " + control.limit() + ")",
          Status.of(Code.RESOURCE_EXHAUSTED, "peer does not read its control packets"));
      return;
    }
    scheduleDrain();
  }

  /** Closes the connection because of the peer's behaviour, with one WARN line. */
  void abort(String why, Status status) {
    lifecycle.abort(why, status);
  }

  long now() {
    return channel.eventLoop().ticker().nanoTime();
  }

  /** Runs {@code task} on the loop; an exception it throws is handled as the engine's. */
  Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) {
        lifecycle.engineFailure(t);
      }
    };
  }

  /** Whether the connection failed or closed (no more writing). Event loop. */
  boolean hasFailed() {
    return lifecycle.failed();
  }

  /** Schedules {@code task} every {@code millis} on the loop, guarded. */
  ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long millis) {
    return channel.eventLoop().scheduleAtFixedRate(guarded(task), millis, millis,
        TimeUnit.MILLISECONDS);
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
    readGate.attach(channel);
    writer.attach(ctx);
    timeouts.start(now());
  }

  /** Event loop: no stream, started or waiting. */
  boolean isIdle() {
    return router.isEmpty() && (admission == null || admission.noneWaiting())
        && writer.noWakeups();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    lifecycle.channelInactive();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    lifecycle.engineFailure(cause);
  }

  /** A future completed when the connection has closed. */
  public CompletableFuture<Void> closeFuture() {
    return lifecycle.closeFuture();
  }

  /** The status the connection closed with, or null while open. */
  public Status closedStatus() {
    return lifecycle.closedStatus();
  }

  public boolean isOpen() {
    return lifecycle.closedStatus() == null && channel != null && channel.isActive();
  }

  /** Closes now: every stream fails with {@code status}. Any thread. */
  public void close(Status status) {
    lifecycle.close(status);
  }

  /**
   * Closes once every stream has finished; refuses new calls meanwhile. Any thread.
   * Returns the close future.
   */
  public CompletableFuture<Void> closeGracefully() {
    return lifecycle.closeGracefully();
  }

  /** Whether a graceful close has begun. */
  public boolean isClosing() {
    return lifecycle.isClosing();
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
      boolean unary, dev.braid.rpc.CallOptions options, long deadlineNanos, Q request)
      throws dev.braid.rpc.StatusException {
    return admission.newCall(method, unary, options, deadlineNanos, request);
  }

  /** Event loop: a unary response arrived; send Close unless the CloseSend follows. */
  void unaryResponded(ClientCall<?, ?> call) {
    respondedUnary.add(call);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (!respondedUnary.isEmpty()) {
      for (int i = 0; i < respondedUnary.size(); i++) { // indexed: no iterator per read
        ClientCall<?, ?> c = respondedUnary.get(i);
        if (!c.isTerminated()) {
          // As storj/drpc's Invoke does: the response is in, so end the stream now.
          c.sendEmpty(Kind.CLOSE, false, false, true, Status.of(Code.NONE, "closed"));
        }
        maybeFinish(c);
      }
      respondedUnary.clear();
    }
    scheduler.readComplete();
    super.channelReadComplete(ctx);
  }

  // ------------------------------------------------------------- writing

  /** Schedules {@code s} for writing. Any thread. */
  void wakeup(RpcStream s) {
    writer.wakeup(s);
  }

  void scheduleDrain() {
    writer.scheduleDrain();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (channel.isWritable()) {
      writer.writableAgain();
    }
    timeouts.writability(channel.isWritable(), now());
    super.channelWritabilityChanged(ctx);
  }

  /** {@code s} queued a terminal packet: it must not wait behind data without credit. */
  void unblockTerminal(RpcStream s) {
    writer.unblockTerminal(s);
  }

  /** Event loop: {@code s} is done for good; client calls stop counting as outstanding. */
  void markFinished(RpcStream s) {
    if (!s.finished) {
      s.finished = true;
      if (s instanceof ServerCall<?, ?> c && c.holdsStreamLimit) {
        c.holdsStreamLimit = false;
        config.streamLimit().release();
      }
      if (s instanceof ClientCall<?, ?>) {
        admission.finished(s);
      }
    }
  }

  /**
   * Client calls started and not yet finished. Any thread; a hint for pools choosing a
   * connection.
   */
  public int outstandingCalls() {
    return client ? admission.outstandingCalls() : 0;
  }

  /**
   * Whether this client connection may still switch to multiplexing: it announced braid's
   * extensions and the first stream, which carries the answer, is still running.
   */
  public boolean mayStillNegotiate() {
    return client && config.multiplexing() == dev.braid.rpc.Multiplexing.NEGOTIATE
        && !flowControlled() && !admission.firstStreamDone();
  }

  /** Whether concurrent calls run at once on this connection (negotiated or forced). */
  public boolean runsConcurrently() {
    return client && admission.runsConcurrently();
  }

  /** Event loop: removes {@code s} from the registry once it has finished. */
  void maybeFinish(RpcStream s) {
    if (s.finished || !s.finishable()) {
      return;
    }
    if (client && !s.started) {
      return;
    }
    markFinished(s);
    router.remove(s);
    if (s.deadlineTimer != null) {
      s.deadlineTimer.cancel(false);
    }
    readGate.streamGone(s);
    if (client) {
      admission.streamDone();
    } else {
      dispatch.finished(s);
    }
    lifecycle.streamFinished();
  }

  // ------------------------------------------------------------- reading

  /** Stops reading the socket while {@code s} is over its receive cap. Event loop. */
  void pauseReading(RpcStream s) {
    readGate.pause(s);
  }

  /** {@code s} drained below its cap. Any thread. */
  void resumeReading(RpcStream s) {
    readGate.resume(s);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (lifecycle.failed()) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      boolean incomplete = router.readFrames(in);
      // input arrived: progress for the half-sent frame timeout, if something is incomplete
      timeouts.inputArrived(incomplete, now());
    } catch (ProtocolException e) {
      lifecycle.protocolError(e.getMessage());
      in.skipBytes(in.readableBytes());
    } finally {
      if (dispatch != null) {
        dispatch.startCalls(lifecycle.failed());
      }
    }
  }

  /** Event loop: drops a stream that never became a call. */
  void forget(RpcStream s) {
    router.remove(s);
    markFinished(s);
  }
}
