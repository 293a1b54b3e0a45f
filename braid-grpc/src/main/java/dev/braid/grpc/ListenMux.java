package dev.braid.grpc;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves several protocols on one port, as upstream DRPC's {@code drpcmigrate.ListenMux}:
 * each accepted connection is routed by its first bytes. A connection that starts with a
 * route's prefix goes to that route with the prefix <em>consumed</em>; any other connection
 * goes to the default route with the bytes <em>replayed</em>.
 *
 * <p>The usual setup routes {@link #DRPC_HEADER} ({@code DRPC!!!1}, what a braid client sends
 * with {@code ClientConnection.builder(..).drpcMigrateHeader(true)} and a Go client with
 * {@code drpcmigrate.DialWithHeader}) to a braid server and everything else to a gRPC server.
 * {@link SharedPortServer} does exactly that.
 *
 * <p>Routes are backends on other addresses (typically loopback): the mux splices the client
 * connection to a new connection to the backend and relays bytes both ways with
 * backpressure. The backends therefore see the mux as the peer address.
 */
public final class ListenMux implements AutoCloseable {
  /** drpcmigrate's header: {@code DRPC!!!1}. */
  public static final byte[] DRPC_HEADER = "DRPC!!!1".getBytes(StandardCharsets.US_ASCII);

  private static final Logger log = LoggerFactory.getLogger(ListenMux.class);

  private record Route(byte[] prefix, SocketAddress backend) {}

  private final InetSocketAddress listen;
  private final List<Route> routes;
  private final SocketAddress defaultBackend;
  private final int prefixLength;
  private final Duration prefixTimeout;
  private final EventLoopGroup group;
  private volatile Channel serverChannel;

  private ListenMux(Builder b) {
    this.listen = b.listen;
    this.routes = List.copyOf(b.routes);
    this.defaultBackend = b.defaultBackend;
    this.prefixLength = b.prefixLength;
    this.prefixTimeout = b.prefixTimeout;
    this.group = new MultiThreadIoEventLoopGroup(b.threads, NioIoHandler.newFactory());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port. Returns this mux. */
  public ListenMux start() throws IOException {
    ServerBootstrap b = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.AUTO_READ, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new Sniffer());
          }
        });
    ChannelFuture f = b.bind(listen).awaitUninterruptibly();
    if (!f.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + listen + ": " + f.cause(), f.cause());
    }
    serverChannel = f.channel();
    return this;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    Channel ch = serverChannel;
    if (ch == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) ch.localAddress();
  }

  public int port() {
    return address().getPort();
  }

  /** Stops listening and closes every relayed connection. */
  @Override
  public void close() {
    Channel ch = serverChannel;
    if (ch != null) {
      ch.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  /** Reads the prefix, then picks the route and starts the splice. */
  private final class Sniffer extends ChannelInboundHandlerAdapter {
    private ByteBuf buffered;
    private ScheduledFuture<?> timeout;
    private boolean routed;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      buffered = ctx.alloc().buffer(prefixLength);
      timeout = ctx.executor().schedule(() -> {
        if (!routed) {
          log.debug("{}: no prefix within {}; closing", ctx.channel().remoteAddress(),
              prefixTimeout);
          ctx.close();
        }
      }, prefixTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      timeout.cancel(false);
      if (buffered != null) {
        buffered.release();
        buffered = null;
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (routed) {
        // Bytes after the prefix that arrive while the backend connection is being set up.
        buffered.writeBytes((ByteBuf) msg);
        ReferenceCountUtil.release(msg);
        return;
      }
      try {
        buffered.writeBytes((ByteBuf) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      if (buffered.readableBytes() < prefixLength) {
        return;
      }
      routed = true;
      timeout.cancel(false);
      byte[] prefix = new byte[prefixLength];
      buffered.getBytes(buffered.readerIndex(), prefix);
      SocketAddress backend = defaultBackend;
      for (Route r : routes) {
        if (Arrays.equals(r.prefix(), prefix)) {
          backend = r.backend();
          buffered.skipBytes(prefixLength);
          break;
        }
      }
      connect(ctx, backend);
    }

    private void connect(ChannelHandlerContext ctx, SocketAddress backend) {
      Channel inbound = ctx.channel();
      inbound.config().setAutoRead(false);
      Bootstrap b = new Bootstrap()
          .group(inbound.eventLoop())
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
          .handler(new Relay(inbound));
      b.connect(backend).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          log.warn("cannot reach backend {} for {}: {}", backend, inbound.remoteAddress(),
              f.cause().toString());
          inbound.close();
          return;
        }
        Channel outbound = f.channel();
        if (!inbound.isActive()) {
          outbound.close();
          return;
        }
        ByteBuf first = buffered;
        buffered = null;
        inbound.pipeline().replace(Sniffer.this, "relay", new Relay(outbound));
        outbound.writeAndFlush(first);
        inbound.config().setAutoRead(true);
        outbound.config().setAutoRead(true);
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("{}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** Copies everything read on its channel to {@code peer}, with backpressure both ways. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!peer.isActive()) {
        ReferenceCountUtil.release(msg);
        return;
      }
      peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
      if (!peer.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // Our channel drained: let the peer read again.
      if (ctx.channel().isWritable()) {
        peer.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer.isActive()) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("relay {}: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** Builds a {@link ListenMux}. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private final List<Route> routes = new ArrayList<>();
    private SocketAddress defaultBackend;
    private int prefixLength = -1;
    private Duration prefixTimeout = Duration.ofSeconds(10);
    private int threads = 1;

    private Builder() {}

    /** Where to listen; default 127.0.0.1 on a free port. */
    public Builder listen(String host, int port) {
      return listen(new InetSocketAddress(host, port));
    }

    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address, "address");
      return this;
    }

    /**
     * Connections starting with {@code prefix} go to {@code backend}, prefix consumed. All
     * prefixes must have the same length.
     */
    public Builder route(byte[] prefix, SocketAddress backend) {
      Objects.requireNonNull(backend, "backend");
      if (prefix.length == 0) {
        throw new IllegalArgumentException("prefix must not be empty");
      }
      if (prefixLength >= 0 && prefix.length != prefixLength) {
        throw new IllegalArgumentException("all prefixes must have length " + prefixLength);
      }
      prefixLength = prefix.length;
      routes.add(new Route(prefix.clone(), backend));
      return this;
    }

    /** Every other connection goes to {@code backend}, its first bytes replayed. */
    public Builder defaultRoute(SocketAddress backend) {
      this.defaultBackend = Objects.requireNonNull(backend, "backend");
      return this;
    }

    /** How long a new connection may take to send the prefix; default 10 s. */
    public Builder prefixTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("prefixTimeout must be positive");
      }
      this.prefixTimeout = timeout;
      return this;
    }

    /** I/O threads relaying bytes; default 1. */
    public Builder threads(int threads) {
      if (threads <= 0) {
        throw new IllegalArgumentException("threads must be positive");
      }
      this.threads = threads;
      return this;
    }

    public ListenMux build() {
      if (routes.isEmpty()) {
        throw new IllegalStateException("at least one route is needed");
      }
      if (defaultBackend == null) {
        throw new IllegalStateException("a default route is needed");
      }
      return new ListenMux(this);
    }
  }
}
