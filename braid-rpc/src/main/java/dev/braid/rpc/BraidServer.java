package dev.braid.rpc;

import dev.braid.rpc.internal.Connection;
import dev.braid.rpc.internal.ConnectionConfig;
import dev.braid.rpc.internal.Resources;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DRPC server. It serves any DRPC client (storj/drpc, the cockroachdb fork, braid),
 * accepting one or many concurrent streams per connection.
 *
 * <pre>{@code
 * BraidServer server = BraidServer.builder()
 *     .listen("127.0.0.1", 0)
 *     .addUnary(MethodDescriptor.raw("/pkg.Svc/Echo", MethodType.UNARY), (req, ctx) -> req)
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Handlers run on the server's executor (by default a cached pool of daemon threads the
 * server owns and shuts down). Thread-safe.
 */
public final class BraidServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BraidServer.class);

  private final InetSocketAddress listen;
  private final Map<String, ServiceDefinition.Entry> methods;
  private final ConnectionConfig config;
  private final ExecutorService ownedExecutor;
  private final Duration gracePeriod;
  private final int socketSendBuffer;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final int maxConnections;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean fatal =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Channel serverChannel;
  private volatile boolean closed;

  private BraidServer(Builder b) {
    this.listen = b.listen;
    this.methods = Map.copyOf(b.methods);
    Executor executor = b.executor;
    ExecutorService owned = null;
    if (executor == null) {
      owned = Executors.newCachedThreadPool(Resources.daemonThreads("braid-handler"));
      executor = owned;
    }
    this.ownedExecutor = owned;
    this.gracePeriod = b.gracePeriod;
    this.socketSendBuffer = b.socketSendBuffer;
    this.maxConnections = b.maxConnections;
    this.config = b.transport()
        .maxConcurrentStreams(b.maxConcurrentStreams)
        .maxMetadataSize(b.maxMetadataSize)
        .multiplexing(Multiplexing.OFF)
        .firstInvokeTimeoutMillis(b.firstInvokeTimeout.toMillis())
        .streamLimit(new dev.braid.rpc.internal.StreamLimit(b.maxServerStreams))
        .fatalErrorHandler(this::fatalError)
        .executor(executor)
        .build();
  }

  /**
   * An {@link Error} (an OutOfMemoryError, say) was thrown on an engine thread: the engine
   * can no longer be trusted, so the server fails loudly and stops rather than keep a
   * listening socket that answers nothing. {@link #onTermination()} completes with it.
   */
  private void fatalError(Throwable error) {
    if (!fatal.compareAndSet(false, true)) {
      return;
    }
    log.error("fatal error on an engine thread; the server stops", error);
    Thread stopper = new Thread(() -> {
      try {
        closeNow();
      } finally {
        terminated.completeExceptionally(error);
      }
    }, "braid-server-fatal-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /**
   * Completes when the server has stopped: normally after {@link #close()} or
   * {@link #closeNow()}, exceptionally with the {@link Error} that stopped it after a fatal
   * error on an engine thread.
   */
  public CompletableFuture<Void> onTermination() {
    return terminated;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the listening socket. Returns this server. */
  public BraidServer start() throws IOException {
    if (closed) {
      throw new IllegalStateException("server is closed");
    }
    ServerBootstrap b = new ServerBootstrap()
        .group(Resources.eventLoops())
        .channelFactory(Listener::new)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.MAX_MESSAGES_PER_READ, Resources.READS_PER_LOOP)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(256 << 10, 1 << 20))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accept(ch);
          }
        });
    if (socketSendBuffer > 0) {
      b.childOption(ChannelOption.SO_SNDBUF, socketSendBuffer);
    }
    ChannelFuture f = b.bind(listen).awaitUninterruptibly();
    if (!f.isSuccess()) {
      throw new IOException("cannot listen on " + listen.getHostString() + ":"
          + listen.getPort() + ": " + ClientConnection.rootMessage(f.cause()), f.cause());
    }
    serverChannel = f.channel();
    log.info("listening on {}", address());
    return this;
  }

  private void accept(SocketChannel ch) {
    if (closed) {
      ch.close();
      return;
    }
    if (maxConnections > 0 && connections.size() >= maxConnections) {
      log.warn("refusing connection from {}: {} connections open (maxConnections)",
          ch.remoteAddress(), connections.size());
      ch.close();
      return;
    }
    Connection conn = Connection.server(config, methods::get);
    connections.add(conn);
    InetSocketAddress peer = ch.remoteAddress();
    log.info("connection from {} opened", peer);
    conn.closeFuture().whenComplete((v, t) -> {
      connections.remove(conn);
      log.info("connection from {} closed: {}", peer, conn.closedStatus() == null ? "EOF"
          : conn.closedStatus().message());
    });
    ch.pipeline().addLast(conn);
  }

  /** The bound address (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    Channel ch = serverChannel;
    if (ch == null) {
      throw new IllegalStateException("server not started");
    }
    return (InetSocketAddress) ch.localAddress();
  }

  /** The bound port. */
  public int port() {
    return address().getPort();
  }

  /** The number of open connections. */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Shuts down gracefully: stops accepting connections and calls, lets calls in flight
   * finish within the grace period, then closes whatever remains.
   */
  @Override
  public void close() {
    try {
      stopAccepting(Connection::closeGracefully)
          .get(gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.info("grace period of {} over; closing {} connection(s)", gracePeriod,
          connections.size());
    } catch (Exception e) {
      log.debug("graceful shutdown interrupted", e);
    }
    closeNow();
  }

  /** Closes at once: every call in flight fails. */
  public void closeNow() {
    stopAccepting(c -> {
      c.close(Status.of(Code.UNAVAILABLE, "server closed"));
      return c.closeFuture();
    }).join();
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    if (!fatal.get()) {
      terminated.complete(null);
    }
  }

  /** Closes the listener and applies {@code closing} to every connection. */
  private CompletableFuture<Void> stopAccepting(
      java.util.function.Function<Connection, CompletableFuture<Void>> closing) {
    closed = true;
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().awaitUninterruptibly();
      ((Listener) ch).awaitReleased();
    }
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Connection c : connections) {
      all.add(closing.apply(c));
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * The listening channel. Closing it completes before the port is free: the JDK releases a
   * socket registered with a selector only once the selector has dropped its key, which
   * happens in one of the event loop's next I/O passes.
   */
  private static final class Listener extends NioServerSocketChannel {
    /** Waits, after close, until the socket is released (bounded: about a second). */
    void awaitReleased() {
      for (int i = 0; i < 1000 && javaChannel().isRegistered(); i++) {
        // a scheduled task runs after the loop's next I/O pass, where keys are dropped
        eventLoop().schedule(() -> { }, 0, TimeUnit.NANOSECONDS).awaitUninterruptibly();
      }
      // the selector closes the socket right after dropping its key, on the loop's thread
      eventLoop().submit(() -> { }).awaitUninterruptibly();
    }
  }

  /** Builds a {@link BraidServer}; every setting is validated. */
  public static final class Builder extends TransportBuilder<Builder> {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private final Map<String, ServiceDefinition.Entry> methods = new HashMap<>();
    private Executor executor;
    private Duration gracePeriod = Duration.ofSeconds(30);
    private int maxConcurrentStreams = ConnectionConfig.DEFAULT_MAX_CONCURRENT_STREAMS;
    private int maxMetadataSize = ConnectionConfig.DEFAULT_MAX_METADATA_SIZE;
    private int maxConnections;
    private int maxServerStreams = DEFAULT_MAX_SERVER_STREAMS;
    private Duration firstInvokeTimeout = Duration.ZERO;

    /** The default of {@link #maxServerStreams}. */
    public static final int DEFAULT_MAX_SERVER_STREAMS = 4096;

    private Builder() {}

    /**
     * The most connections open at once; a connection beyond it is closed as soon as it is
     * accepted (and logged). Zero, the default, sets no limit.
     */
    public Builder maxConnections(int connections) {
      if (connections < 0) {
        throw new IllegalArgumentException("maxConnections must not be negative");
      }
      this.maxConnections = connections;
      return this;
    }

    /**
     * Streams running at once across all connections (each holds a handler thread of the
     * default executor); default 4096. Excess streams are refused with
     * {@link Code#RESOURCE_EXHAUSTED}.
     */
    public Builder maxServerStreams(int streams) {
      this.maxServerStreams = positive(streams, "maxServerStreams");
      return this;
    }

    /**
     * Closes a connection whose first Invoke has not arrived this long after it opened;
     * zero, the default, never does.
     */
    public Builder firstInvokeTimeout(Duration timeout) {
      this.firstInvokeTimeout = notNegative(timeout, "firstInvokeTimeout");
      return this;
    }

    /**
     * Streams one connection may run at once; default 1024. Excess streams are refused
     * with {@link Code#RESOURCE_EXHAUSTED}; the connection stays up.
     */
    public Builder maxConcurrentStreams(int streams) {
      this.maxConcurrentStreams = positive(streams, "maxConcurrentStreams");
      return this;
    }

    /** The largest invoke metadata accepted; default 64 KiB. Larger fails the call. */
    public Builder maxMetadataSize(int bytes) {
      this.maxMetadataSize = positive(bytes, "maxMetadataSize");
      return this;
    }

    /** Where to listen; default 127.0.0.1 on a free port. */
    public Builder listen(String host, int port) {
      this.listen = new InetSocketAddress(Objects.requireNonNull(host, "host"), port);
      return this;
    }

    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Registers every method of {@code service}. */
    public Builder addService(ServiceDefinition service) {
      for (ServiceDefinition.Entry e : service.entries()) {
        add(e);
      }
      return this;
    }

    public <Q, R> Builder addUnary(MethodDescriptor<Q, R> method, UnaryHandler<Q, R> handler) {
      return add(new ServiceDefinition.Entry(method, handler, null));
    }

    public <Q, R> Builder addStream(MethodDescriptor<Q, R> method,
        StreamHandler<Q, R> handler) {
      return add(new ServiceDefinition.Entry(method, null, handler));
    }

    private Builder add(ServiceDefinition.Entry e) {
      if (methods.putIfAbsent(e.method().fullName(), e) != null) {
        throw new IllegalArgumentException("method registered twice: "
            + e.method().fullName());
      }
      return this;
    }

    /**
     * Where handlers run. Default: a cached pool the server owns. A direct executor runs
     * handlers on I/O threads, where they must never block.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** How long {@link BraidServer#close()} lets calls in flight finish; default 30 s. */
    public Builder gracePeriod(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative");
      }
      this.gracePeriod = grace;
      return this;
    }

    public BraidServer build() {
      return new BraidServer(this);
    }
  }
}
