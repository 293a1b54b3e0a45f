package dev.braid.store;

import dev.braid.rpc.BraidServer;
import dev.braid.store.proto.ReplicaBraid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One node: a {@link StoreEngine} on a data directory served as {@code braid.store.Replica} on
 * a {@link BraidServer}. {@link #close()} stops accepting calls, lets calls in flight finish (up
 * to the grace period), then closes the database. Thread-safe.
 */
public final class ReplicaServer implements AutoCloseable {
  private final StoreEngine engine;
  private final BraidServer server;

  private ReplicaServer(StoreEngine engine, BraidServer server) {
    this.engine = engine;
    this.server = server;
  }

  /**
   * Opens {@code dataDir} and serves it on {@code listen} (port 0 picks a free port).
   *
   * @throws IOException if the directory cannot be opened (newer format, locked) or the address
   *     cannot be bound; nothing is left open then
   */
  public static ReplicaServer start(Path dataDir, InetSocketAddress listen, StoreOptions options,
      Duration grace) throws IOException {
    StoreEngine engine = StoreEngine.open(dataDir, options);
    try {
      BraidServer server = BraidServer.builder().listen(listen)
          .addService(ReplicaBraid.bindService(new ReplicaService(engine)))
          .gracePeriod(grace).build().start();
      return new ReplicaServer(engine, server);
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The engine (for in-process callers such as a local coordinator). */
  public StoreEngine engine() {
    return engine;
  }

  /** Stops serving, then closes the database. Idempotent. */
  @Override
  public void close() {
    server.close();
    engine.close();
  }
}
