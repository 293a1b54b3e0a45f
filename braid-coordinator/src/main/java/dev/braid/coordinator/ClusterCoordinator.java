package dev.braid.coordinator;

import dev.braid.cluster.ClusterNode;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.ToIntFunction;

/**
 * The wiring a node uses to embed the coordinator: placement from the node's metadata (rebuilt
 * per epoch), a request scope from {@link ClusterNode#beginRequest()} per request or page (so
 * verb choice and fallback are braid-cluster's), replicas over braid RPC at the members'
 * addresses, and {@link RpcReplicas#isAlive} as the liveness view. Every replica, the local one
 * included, is reached over RPC. Close it to close the replica connections.
 */
public final class ClusterCoordinator implements AutoCloseable {
  private final Placement placement;
  private final RpcReplicas replicas;
  private final Coordinator coordinator;

  /**
   * @param node the cluster member this coordinator runs on
   * @param replicationFactor a keyspace's replication factor (from the store's schema)
   * @param timers the scheduler's executor (owned by the caller)
   * @param options timeouts and policies
   */
  public ClusterCoordinator(ClusterNode node, ToIntFunction<String> replicationFactor,
      ScheduledExecutorService timers, Coordinator.Options options) {
    this.placement = new Placement(node::metadata);
    this.replicas = new RpcReplicas(h -> placement.ring().address(h), Duration.ofSeconds(2),
        Duration.ofSeconds(5));
    this.coordinator = new Coordinator(placement::ring, replicationFactor, replicas::client,
        replicas::isAlive, () -> RequestScope.of(node.beginRequest()), Scheduler.of(timers),
        options);
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public Placement placement() {
    return placement;
  }

  @Override
  public void close() {
    replicas.close();
  }
}
