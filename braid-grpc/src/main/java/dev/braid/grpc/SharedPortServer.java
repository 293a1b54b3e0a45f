package dev.braid.grpc;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ServiceDefinition;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * braid and gRPC on one port, as upstream DRPC's {@code examples/grpc_and_drpc}: connections
 * that start with {@code DRPC!!!1} are served by a {@link BraidServer}, every other
 * connection by a gRPC-Java server.
 *
 * <pre>{@code
 * GreeterImpl impl = new GreeterImpl();
 * SharedPortServer server = SharedPortServer.builder()
 *     .listen("0.0.0.0", 8080)
 *     .addService(GreeterBraid.bindService(impl))          // braid clients
 *     .addGrpcService(new GreeterBraid.GrpcAdapter(impl))  // gRPC clients
 *     .build().start();
 * }</pre>
 *
 * <p>How: both servers listen on loopback ports of their own and a {@link ListenMux} on the
 * public port splices each connection to one of them. gRPC-Java runs on its shaded Netty and
 * braid on plain Netty, so neither can adopt a connection the other accepted; the splice costs
 * one loopback hop, and both servers see the mux as the client's address.
 */
public final class SharedPortServer implements AutoCloseable {
  private final BraidServer braid;
  private final Server grpc;
  private final ListenMux mux;

  private SharedPortServer(BraidServer braid, Server grpc, ListenMux mux) {
    this.braid = braid;
    this.grpc = grpc;
    this.mux = mux;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The shared port's address. */
  public InetSocketAddress address() {
    return mux.address();
  }

  public int port() {
    return mux.port();
  }

  /** The braid server behind the port (on a loopback address). */
  public BraidServer braidServer() {
    return braid;
  }

  /** The gRPC server behind the port (on a loopback address). */
  public Server grpcServer() {
    return grpc;
  }

  /** Stops the port, then both servers (gracefully, within the grace period). */
  @Override
  public void close() {
    mux.close();
    grpc.shutdown();
    braid.close();
    try {
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      grpc.shutdownNow();
    }
  }

  /** Builds a {@link SharedPortServer}. */
  public static final class Builder {
    private InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
    private final List<ServiceDefinition> braidServices = new ArrayList<>();
    private final List<ServerServiceDefinition> grpcServices = new ArrayList<>();
    private Consumer<BraidServer.Builder> braidConfig = b -> { };
    private Consumer<NettyServerBuilder> grpcConfig = b -> { };
    private Duration prefixTimeout = Duration.ofSeconds(10);

    private Builder() {}

    /** The shared port; default 127.0.0.1 on a free port. */
    public Builder listen(String host, int port) {
      this.listen = new InetSocketAddress(host, port);
      return this;
    }

    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address, "address");
      return this;
    }

    /** A service for braid (DRPC) clients. */
    public Builder addService(ServiceDefinition service) {
      braidServices.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** A service for gRPC clients, e.g. a generated {@code GrpcAdapter}. */
    public Builder addGrpcService(BindableService service) {
      grpcServices.add(service.bindService());
      return this;
    }

    public Builder addGrpcService(ServerServiceDefinition service) {
      grpcServices.add(Objects.requireNonNull(service, "service"));
      return this;
    }

    /** Further settings of the braid server (its address is chosen here). */
    public Builder configureBraid(Consumer<BraidServer.Builder> config) {
      this.braidConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Further settings of the gRPC server (its address is chosen here). */
    public Builder configureGrpc(Consumer<NettyServerBuilder> config) {
      this.grpcConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** How long a new connection may take to send its first 8 bytes; default 10 s. */
    public Builder prefixTimeout(Duration timeout) {
      this.prefixTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Starts both servers and the shared port. */
    public SharedPortServer start() throws IOException {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      BraidServer.Builder bb = BraidServer.builder();
      braidConfig.accept(bb);
      bb.listen(new InetSocketAddress(loopback, 0));
      braidServices.forEach(bb::addService);
      BraidServer braid = bb.build().start();
      Server grpc = null;
      try {
        NettyServerBuilder gb = NettyServerBuilder.forAddress(new InetSocketAddress(loopback, 0));
        grpcConfig.accept(gb);
        grpcServices.forEach(gb::addService);
        grpc = gb.build().start();
        InetSocketAddress grpcAddress = (InetSocketAddress) grpc.getListenSockets().get(0);
        ListenMux mux = ListenMux.builder()
            .listen(listen)
            .route(ListenMux.DRPC_HEADER, braid.address())
            .defaultRoute(grpcAddress)
            .prefixTimeout(prefixTimeout)
            .build().start();
        return new SharedPortServer(braid, grpc, mux);
      } catch (IOException | RuntimeException e) {
        braid.closeNow();
        if (grpc != null) {
          grpc.shutdownNow();
        }
        throw e;
      }
    }
  }
}
