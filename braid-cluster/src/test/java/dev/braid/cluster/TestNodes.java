package dev.braid.cluster;

import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.ServiceDefinition;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/** Starts nodes on loopback for tests, each with a fake replica service of its verbs. */
final class TestNodes implements AutoCloseable {
  static final String REPLICA = "braid.cluster.test.Replica";

  private final Path root;
  private final List<ClusterNode> running = new ArrayList<>();
  private int dirs;

  TestNodes(Path root) {
    this.root = root;
  }

  /** A fresh data directory under the test's temporary root. */
  Path newDir() {
    return root.resolve("node" + (dirs++));
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static MethodDescriptor<byte[], byte[]> method(Verb v) {
    return MethodDescriptor.raw("/" + REPLICA + "/" + v.wireName(), MethodType.UNARY);
  }

  private final java.util.Map<Path, int[]> ports = new java.util.HashMap<>();

  /**
   * A builder with test timings and the fake replica service; a directory keeps its ports
   * across restarts, as a real node's configuration would.
   */
  ClusterNode.Builder builder(Path dir) {
    int[] p = ports.computeIfAbsent(dir, d -> new int[] {freePort(), freePort()});
    return ClusterNode.builder().dataDir(dir).listen("127.0.0.1", p[0])
        .raftAddress("127.0.0.1", p[1]).electionTimeout(Duration.ofMillis(300))
        .joinTimeout(Duration.ofSeconds(20)).peerTimeout(Duration.ofSeconds(1))
        .barrierTimeout(Duration.ofSeconds(10))
        .addService(TestNodes::replicaService);
  }

  static ServiceDefinition replicaService(ClusterNode node) {
    ServiceDefinition.Builder b = ServiceDefinition.builder(REPLICA);
    for (Verb v : node.advertisedVerbs()) {
      b.unary(method(v), node.replicaHandler(v,
          (req, ctx) -> v.wireName().getBytes(StandardCharsets.UTF_8)));
    }
    return b.build();
  }

  ClusterNode start(ClusterNode.Builder b) throws ClusterException {
    ClusterNode n = b.start();
    synchronized (running) {
      running.add(n);
    }
    return n;
  }

  /** Stops {@code n} and starts its directory again at {@code release}. */
  ClusterNode restart(ClusterNode n, Path dir, int release) throws ClusterException {
    stop(n);
    return start(builder(dir).release(release));
  }

  /** The node that is Raft leader now, waiting for one. */
  ClusterNode leader(List<ClusterNode> nodes) {
    ClusterNode[] found = new ClusterNode[1];
    await("a leader", 20, () -> {
      for (ClusterNode n : nodes) {
        if (n.isLeader()) {
          found[0] = n;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Waits until the leader has run its enabler {@code rounds} more times. */
  void awaitEnablerRounds(List<ClusterNode> nodes, int rounds) {
    ClusterNode l = leader(nodes);
    long target = l.enablerRounds() + rounds;
    await("enabler rounds", 20, () -> l.enablerRounds() >= target);
  }

  /** The running nodes, in start order. */
  List<ClusterNode> running() {
    synchronized (running) {
      return new ArrayList<>(running);
    }
  }

  void stop(ClusterNode n) {
    synchronized (running) {
      running.remove(n);
    }
    n.close();
  }

  /** Polls {@code condition} until true, failing after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  static boolean enabledOn(ClusterNode n, Feature f) {
    return n.snapshot().isEnabled(f);
  }

  /** Closes every running node, in parallel. */
  @Override
  public void close() {
    List<ClusterNode> all;
    synchronized (running) {
      all = new ArrayList<>(running);
      running.clear();
    }
    CompletableFuture.allOf(all.stream().map(n -> CompletableFuture.runAsync(n::close))
        .toArray(CompletableFuture[]::new)).join();
  }
}
