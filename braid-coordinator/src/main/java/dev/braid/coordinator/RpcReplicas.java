package dev.braid.coordinator;

import dev.braid.cluster.Verb;
import dev.braid.rpc.ClientConnection;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.MutateResponse;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDigestResponse;
import dev.braid.store.proto.ReadMutationDataResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Replica clients by host id over braid RPC: one connection per host, opened on first use (the
 * opening call blocks for at most the connect timeout) and reopened after it closed. A host
 * whose last connection attempt failed, or whose connection closed, counts as down
 * ({@link #isAlive}) for {@code retryAfter}; then it is tried again. This is a crude failure
 * detector standing in for a real one (see docs/coordinator.md). Thread-safe.
 */
public final class RpcReplicas implements AutoCloseable {
  private final Function<String, String> addressOf;
  private final Duration connectTimeout;
  private final Duration retryAfter;
  private final LongSupplier nanoClock;
  private final Map<String, ClientConnection> connections = new ConcurrentHashMap<>();
  private final Map<String, Long> downSince = new ConcurrentHashMap<>();

  /**
   * @param addressOf a host id's braid address (host:port), or null when unknown
   * @param connectTimeout bound on opening a connection
   * @param retryAfter how long a failed host counts as down before it is tried again
   */
  public RpcReplicas(Function<String, String> addressOf, Duration connectTimeout,
      Duration retryAfter) {
    this(addressOf, connectTimeout, retryAfter, System::nanoTime);
  }

  RpcReplicas(Function<String, String> addressOf, Duration connectTimeout, Duration retryAfter,
      LongSupplier nanoClock) {
    this.addressOf = addressOf;
    this.connectTimeout = connectTimeout;
    this.retryAfter = retryAfter;
    this.nanoClock = nanoClock;
  }

  /** Whether {@code host} is believed up (not failed within the retry interval). */
  public boolean isAlive(String host) {
    Long since = downSince.get(host);
    return since == null || nanoClock.getAsLong() - since >= retryAfter.toNanos();
  }

  /** The client of {@code host}; its calls fail when no connection can be opened. */
  public ReplicaClient client(String host) {
    return new Lazy(host);
  }

  private RpcReplicaClient connect(String host) throws IOException {
    ClientConnection c = connections.get(host);
    if (c != null && c.isOpen()) {
      return new RpcReplicaClient(c);
    }
    String address = addressOf.apply(host);
    if (address == null) {
      throw new IOException("no address known for host " + host);
    }
    synchronized (this) {
      c = connections.get(host);
      if (c == null || !c.isOpen()) {
        try {
          c = ClientConnection.builder(address).connectTimeout(connectTimeout).connect();
        } catch (IOException e) {
          downSince.put(host, nanoClock.getAsLong());
          throw e;
        }
        ClientConnection opened = c;
        opened.onClose().whenComplete((x, e) -> {
          downSince.put(host, nanoClock.getAsLong());
          connections.remove(host, opened);
        });
        connections.put(host, c);
        downSince.remove(host);
      }
    }
    return new RpcReplicaClient(c);
  }

  /** Closes every connection. */
  @Override
  public void close() {
    connections.values().forEach(ClientConnection::close);
    connections.clear();
  }

  /** Connects at the first call. */
  private final class Lazy implements ReplicaClient {
    private final String host;

    Lazy(String host) {
      this.host = host;
    }

    private <T> CompletableFuture<T> with(Function<RpcReplicaClient, CompletableFuture<T>> f) {
      try {
        return f.apply(connect(host));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public CompletableFuture<ReadDataResponse> readData(Verb verb, ReplicaRead read,
        boolean withDigest, Call call) {
      return with(c -> c.readData(verb, read, withDigest, call));
    }

    @Override
    public CompletableFuture<ReadDigestResponse> readDigest(Verb verb, ReplicaRead read,
        Call call) {
      return with(c -> c.readDigest(verb, read, call));
    }

    @Override
    public CompletableFuture<ReadMutationDataResponse> readMutationData(Verb verb,
        ReplicaRead read, Call call) {
      return with(c -> c.readMutationData(verb, read, call));
    }

    @Override
    public CompletableFuture<MutateResponse> mutate(List<Mutation> mutations, Call call) {
      return with(c -> c.mutate(mutations, call));
    }
  }
}
