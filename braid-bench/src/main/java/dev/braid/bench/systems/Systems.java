package dev.braid.bench.systems;

import dev.braid.bench.harness.BenchClient;
import dev.braid.bench.harness.Cell;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates the JVM systems' servers and clients (Go DRPC runs as Go programs). */
public final class Systems {
  private Systems() {}

  /** Starts {@code kind}'s server in this JVM. */
  public static BenchServer server(SystemKind kind, String executor, InetSocketAddress listen,
      Faults faults) throws IOException {
    check(kind, executor);
    boolean direct = executor.equals("direct");
    return switch (kind) {
      case BRAID_MUX, BRAID_CONN_PER_STREAM -> BraidSystem.server(listen, direct, faults);
      case GRPC_JAVA -> GrpcSystem.server(listen, direct, faults);
      case RAW_NETTY -> NettySystem.server(listen, faults);
      case GO_DRPC -> throw new IllegalArgumentException("go-drpc runs as a Go program");
    };
  }

  /** A client of {@code kind} for {@code cell}, not yet connected. */
  public static BenchClient client(SystemKind kind, InetSocketAddress address, Cell cell) {
    check(kind, cell.executor());
    boolean direct = cell.executor().equals("direct");
    return switch (kind) {
      case BRAID_MUX -> BraidSystem.client(address, cell, true, direct);
      case BRAID_CONN_PER_STREAM -> BraidSystem.client(address, cell, false, direct);
      case GRPC_JAVA -> GrpcSystem.client(address, cell, direct);
      case RAW_NETTY -> NettySystem.client(address, cell);
      case GO_DRPC -> throw new IllegalArgumentException("go-drpc runs as a Go program");
    };
  }

  private static void check(SystemKind kind, String executor) {
    if (!kind.executors().contains(executor)) {
      throw new IllegalArgumentException(kind + " has no executor '" + executor
          + "' (it runs with " + String.join(", ", kind.executors()) + ")");
    }
  }
}
