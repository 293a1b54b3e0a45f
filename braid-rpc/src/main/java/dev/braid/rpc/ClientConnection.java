package dev.braid.rpc;

import dev.braid.rpc.internal.ClientCalls;
import dev.braid.rpc.internal.Connection;
import dev.braid.rpc.internal.ConnectionConfig;
import dev.braid.rpc.internal.Resources;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client connection to a DRPC server: one TCP connection carrying calls.
 *
 * <p>Against any DRPC server the connection behaves as storj/drpc v1.0.0 does on the wire:
 * one stream at a time, stream ids 1, 2, 3…; calls made concurrently wait their turn.
 * Cancelling a call sends a soft Cancel and leaves the connection usable.
 *
 * <pre>{@code
 * try (ClientConnection conn = ClientConnection.connect("127.0.0.1:8080")) {
 *   byte[] reply = conn.invoke(MethodDescriptor.raw("/pkg.Svc/Echo", MethodType.UNARY),
 *       "hi".getBytes());
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may start calls. Asynchronous results complete on
 * the callback executor.
 */
public final class ClientConnection implements AutoCloseable {
  /** The drpcmigrate header that lets a shared port route the connection to DRPC. */
  public static final byte[] DRPC_HEADER = "DRPC!!!1".getBytes(StandardCharsets.US_ASCII);


  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ClientConnection.class);

  /** The primary connection; replaced when it closed and a call redials. */
  private volatile Connection conn;
  private volatile Channel channel;
  private final Executor callbackExecutor;
  private final Builder settings;
  private final ConnectionConfig config;
  /** Every open connection of this client, the primary included. */
  private final java.util.concurrent.CopyOnWriteArrayList<Connection> pool =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Object dialLock = new Object();
  /** dialLock: the delay before the next redial, and when that may happen. */
  private final dev.braid.rpc.internal.Backoff backoff;
  private long nextDialNanos;
  private volatile boolean userClosed;

  private ClientConnection(Connection conn, Channel channel, Builder settings,
      ConnectionConfig config) {
    this.conn = conn;
    this.channel = channel;
    this.callbackExecutor = settings.callbackExecutor;
    this.settings = settings;
    this.config = config;
    this.backoff = settings.backoff.copy();
    pool.add(conn);
  }

  /**
   * The primary connection, redialled if it has closed (idle timeout, the peer, a broken
   * socket) and the client has not been closed. Redialling happens in the calling thread,
   * at most once per backoff delay (exponential with jitter, gRPC's defaults: 1 s, ×1.6,
   * ±20 %, 120 s); a call made meanwhile fails fast with {@link Code#UNAVAILABLE}.
   */
  private Connection primary() throws StatusException {
    Connection c = conn;
    if (c.closedStatus() == null || userClosed) {
      return c;
    }
    synchronized (dialLock) {
      if (conn != c || userClosed) {
        return conn;
      }
      long now = System.nanoTime();
      if (now - nextDialNanos < 0) {
        throw Status.of(Code.UNAVAILABLE, "not connected (" + c.closedStatus().message()
            + "); next attempt in " + TimeUnit.NANOSECONDS.toMillis(nextDialNanos - now)
            + " ms").asException();
      }
      try {
        Map.Entry<Connection, Channel> fresh = dial(settings, config);
        pool.remove(c);
        pool.add(fresh.getKey());
        channel = fresh.getValue();
        conn = fresh.getKey();
        backoff.reset();
        log.debug("reconnected to {}", settings.address);
        return conn;
      } catch (IOException e) {
        nextDialNanos = now + backoff.nextDelayNanos();
        throw Status.of(Code.UNAVAILABLE, e.getMessage() + " (reconnecting after: "
            + c.closedStatus().message() + ")", e).asException();
      }
    }
  }

  /**
   * The connection for the next call. One connection serves every call once it runs calls
   * concurrently (negotiated or forced multiplexing). Otherwise, with a pool size above one,
   * a call takes an idle pooled connection, or opens a new one (synchronously, in the calling
   * thread) while the pool is below its size, or waits on the least busy one.
   */
  private Connection pick() throws StatusException {
    Connection conn = primary();
    if (settings.poolSize <= 1 || conn.runsConcurrently() || conn.mayStillNegotiate()) {
      return conn; // wait for the first call's answer before opening more connections
    }
    Connection best = null;
    for (Connection c : pool) {
      if (!c.isOpen() || c.isClosing()) {
        continue;
      }
      if (c.runsConcurrently() || c.outstandingCalls() == 0) {
        return c;
      }
      if (best == null || c.outstandingCalls() < best.outstandingCalls()) {
        best = c;
      }
    }
    synchronized (dialLock) {
      if (pool.size() < settings.poolSize && conn.isOpen() && !conn.isClosing()) {
        try {
          Connection added = dial(settings, config).getKey();
          pool.add(added);
          added.closeFuture().whenComplete((v, t) -> pool.remove(added));
          return added;
        } catch (IOException e) {
          log.debug("could not grow the pool to {}: {}", pool.size() + 1, e.getMessage());
        }
      }
    }
    return best != null ? best : conn;
  }

  /** The number of TCP connections this client holds (1 unless a pool has grown). */
  public int connectionCount() {
    return pool.size();
  }

  /** Connects to {@code host:port} with default settings. */
  public static ClientConnection connect(String hostPort) throws IOException {
    return builder(hostPort).connect();
  }

  /** A builder for a connection to {@code host:port}. */
  public static Builder builder(String hostPort) {
    return new Builder(parseAddress(hostPort));
  }

  /** A builder for a connection to {@code address}. */
  public static Builder builder(InetSocketAddress address) {
    return new Builder(address);
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code :port} (loopback). */
  public static InetSocketAddress parseAddress(String hostPort) {
    Objects.requireNonNull(hostPort, "hostPort");
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + hostPort + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
    }
    return new InetSocketAddress(host, port);
  }

  /** Calls a unary method and waits for the response. */
  public <Q, R> R invoke(MethodDescriptor<Q, R> method, Q request) throws StatusException {
    return invoke(method, request, CallOptions.DEFAULT);
  }

  /**
   * Calls a unary method and waits for the response. If the calling thread is interrupted
   * the call is cancelled and fails with {@link Code#CANCELLED}.
   */
  public <Q, R> R invoke(MethodDescriptor<Q, R> method, Q request, CallOptions options)
      throws StatusException {
    CompletableFuture<R> f = ClientCalls.unary(pick(), method, request, options);
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw Status.of(Code.CANCELLED, "interrupted", e).asException();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static StatusException unwrap(Throwable t) {
    if (t instanceof StatusException se) {
      return se;
    }
    return Status.of(Code.UNKNOWN, String.valueOf(t), t).asException();
  }

  /**
   * Calls a unary method. The future completes on the callback executor with the response
   * or a {@link StatusException}. Cancelling the future cancels the call.
   */
  public <Q, R> CompletableFuture<R> invokeAsync(MethodDescriptor<Q, R> method, Q request,
      CallOptions options) {
    CompletableFuture<R> f = startUnary(method, request, options);
    CompletableFuture<R> out = f.whenCompleteAsync((r, t) -> { }, callbackExecutor);
    out.whenComplete((r, t) -> {
      if (out.isCancelled()) {
        f.cancel(false);
      }
    });
    return out;
  }

  private <Q, R> CompletableFuture<R> startUnary(MethodDescriptor<Q, R> method, Q request,
      CallOptions options) {
    try {
      return ClientCalls.unary(pick(), method, request, options);
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** {@link #invokeAsync(MethodDescriptor, Object, CallOptions)} with default options. */
  public <Q, R> CompletableFuture<R> invokeAsync(MethodDescriptor<Q, R> method, Q request) {
    return invokeAsync(method, request, CallOptions.DEFAULT);
  }

  /** Opens a stream for a client-, server- or bidirectional-streaming method. */
  public <Q, R> ClientStream<Q, R> newStream(MethodDescriptor<Q, R> method,
      CallOptions options) throws StatusException {
    return ClientCalls.stream(pick(), method, options);
  }

  /** {@link #newStream(MethodDescriptor, CallOptions)} with default options. */
  public <Q, R> ClientStream<Q, R> newStream(MethodDescriptor<Q, R> method)
      throws StatusException {
    return newStream(method, CallOptions.DEFAULT);
  }

  /** Whether the server answered braid's announcement (multiplexing is on). */
  public boolean isNegotiated() {
    return conn.isNegotiated();
  }

  /** Whether the connection is open and not closing. */
  public boolean isOpen() {
    return conn.isOpen() && !conn.isClosing();
  }

  /** The server's address. */
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) channel.remoteAddress();
  }

  /** The local address. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Completes when the connection has closed, for whatever reason. */
  public CompletableFuture<Void> onClose() {
    return conn.closeFuture();
  }

  /**
   * Closes gracefully: refuses new calls, lets calls in flight finish, then closes.
   * Waits at most {@code timeout}, then closes immediately.
   */
  public void close(Duration timeout) {
    userClosed = true;
    try {
      CompletableFuture.allOf(pool.stream().map(Connection::closeGracefully)
          .toArray(CompletableFuture<?>[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      closeNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeNow();
    }
  }

  /** Closes gracefully, waiting up to 30 seconds for calls in flight. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /** Closes at once; calls in flight fail with {@link Code#CANCELLED}. */
  public void closeNow() {
    userClosed = true;
    for (Connection c : pool) {
      c.close(Status.of(Code.CANCELLED, "connection closed by the client"));
    }
    for (Connection c : pool) {
      c.closeFuture().join();
    }
    conn.closeFuture().join();
  }

  /** Opens one TCP connection with its engine. */
  private static Map.Entry<Connection, Channel> dial(Builder b, ConnectionConfig config)
      throws IOException {
    Connection conn = Connection.client(config);
    Bootstrap boot = new Bootstrap()
        .group(Resources.eventLoops())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.MAX_MESSAGES_PER_READ, Resources.READS_PER_LOOP)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, b.connectTimeout.toMillis()))
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(256 << 10, 1 << 20))
        .handler(conn);
    if (b.socketSendBuffer > 0) {
      boot.option(ChannelOption.SO_SNDBUF, b.socketSendBuffer);
    }
    InetSocketAddress address = b.address;
    ChannelFuture f = boot.connect(address);
    try {
      f.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new IOException("interrupted while connecting to " + address, e);
    }
    if (!f.isSuccess()) {
      throw new IOException("cannot connect to " + address.getHostString() + ":"
          + address.getPort() + ": " + rootMessage(f.cause()), f.cause());
    }
    Channel ch = f.channel();
    if (b.drpcHeader) {
      ch.writeAndFlush(Unpooled.wrappedBuffer(DRPC_HEADER));
    }
    return Map.entry(conn, ch);
  }

  /** The message of the innermost cause, without transport class names. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }

  /** Builds and connects a {@link ClientConnection}; every setting is validated. */
  public static final class Builder extends TransportBuilder<Builder> {
    private final InetSocketAddress address;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Executor callbackExecutor = Resources.callbackExecutor();
    private boolean drpcHeader;
    private Multiplexing multiplexing = Multiplexing.NEGOTIATE;
    private Duration keepalive = Duration.ZERO;
    private int poolSize = 1;
    private dev.braid.rpc.internal.Backoff backoff = dev.braid.rpc.internal.Backoff.defaults();

    private Builder(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
    }

    /** How long to wait for the TCP connection; default 10 s. */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive");
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Where async results and onReady callbacks run; default a shared cached pool. A
     * direct executor ({@code Runnable::run}) is fastest but runs callbacks on the I/O
     * thread, where they must never block.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** How concurrent calls use the connection; default {@link Multiplexing#NEGOTIATE}. */
    public Builder multiplexing(Multiplexing mode) {
      this.multiplexing = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Pings a braid server this often once negotiated, and closes the connection with
     * {@link Code#UNAVAILABLE} if a ping is not answered within the same time. Zero (the
     * default) disables keepalive.
     */
    public Builder keepalive(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("keepalive must not be negative");
      }
      this.keepalive = interval;
      return this;
    }

    /**
     * How many TCP connections the client may open to run calls concurrently when the
     * server does not multiplex (an upstream DRPC server), like drpcpool; default 1, where
     * concurrent calls wait their turn on one connection. Against a braid server the first
     * connection negotiates multiplexing and the pool does not grow.
     */
    public Builder poolSize(int connections) {
      this.poolSize = positive(connections, "poolSize");
      return this;
    }

    /**
     * The delays between attempts to redial a connection that closed: the first
     * {@code initial}, each next ×1.6 up to {@code max}, each spread by ±20 % (gRPC's
     * connection backoff; defaults 1 s and 120 s). A call made while no attempt is due fails
     * fast with {@link Code#UNAVAILABLE}.
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      this.backoff = new dev.braid.rpc.internal.Backoff(initial,
          dev.braid.rpc.internal.Backoff.DEFAULT_MULTIPLIER,
          dev.braid.rpc.internal.Backoff.DEFAULT_JITTER, max,
          () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
      return this;
    }

    /** Sends drpcmigrate's {@code DRPC!!!1} header first, for servers sharing a port. */
    public Builder drpcMigrateHeader(boolean send) {
      this.drpcHeader = send;
      return this;
    }

    /** Connects, waiting at most the connect timeout. */
    public ClientConnection connect() throws IOException {
      ConnectionConfig config = transport()
          .maxConcurrentStreams(Integer.MAX_VALUE)
          .maxMetadataSize(Integer.MAX_VALUE)
          .multiplexing(multiplexing)
          .keepaliveMillis(keepalive.toMillis())
          .executor(callbackExecutor)
          .build();
      Map.Entry<Connection, Channel> first = dial(this, config);
      return new ClientConnection(first.getKey(), first.getValue(), this, config);
    }
  }
}
