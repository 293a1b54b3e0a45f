package dev.braid.node;

import dev.braid.cluster.ClusterException;
import dev.braid.cluster.ClusterNode;
import dev.braid.cluster.Features;
import dev.braid.cluster.Verb;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MetadataState;
import dev.braid.rpc.Code;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.UnaryHandler;
import dev.braid.store.ReplicaService;
import dev.braid.store.StoreEngine;
import dev.braid.store.StoreOptions;
import dev.braid.store.proto.ReplicaBraid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One braid node: a braid-store replica ({@link StoreEngine}) and a braid-cluster member
 * ({@link ClusterNode}) on one data directory, served on one braid RPC server.
 *
 * <h2>Data directory</h2>
 * {@code LOCK} (held while the node runs: a second node on the directory is refused),
 * {@code FORMAT} ({@code braid-node format 1}; a newer one is refused), {@code node.properties}
 * (the Raft port, chosen on first start and kept), {@code store/} (the replica's RocksDB, with
 * its own FORMAT) and {@code cluster/} (host id, tokens, the last applied enabled features and
 * Ratis's log and snapshots).
 *
 * <h2>Ports</h2>
 * The braid listen port serves {@code braid.cluster.Cluster} (join, status, hold, …) and
 * {@code braid.store.Replica} (the read verbs, Mutate, the schema calls). Raft traffic between
 * nodes goes over Ratis's own gRPC port on the listen host: {@link Builder#raftPort} if given,
 * else the port recorded in {@code node.properties}, else a free port chosen on first start and
 * recorded. The Raft port cannot change once recorded (peers know it).
 *
 * <h2>Verbs by release</h2>
 * The replica's service registers the read verbs the release has ({@link
 * Verb#registeredByRelease}): release 1 the v1 verbs only (a v2 call gets code 12, unknown
 * method, as from an old binary), release 2 both families, release 3 the v2 verbs only. Each
 * read verb counts as received and, when the call's metadata carries a coordinator epoch this
 * node has not applied, waits (bounded) to catch up first ({@link ClusterNode#replicaHandler}).
 *
 * <h2>Fencing</h2>
 * The store's topology version is the metadata epoch (Raft index) of the last change to the
 * membership (a member's host id, state or tokens) this node has seen: a request whose
 * fencing token is older is refused as stale topology. A node learns it at start, so after a
 * restart tokens older than its start epoch are refused once too (a safe over-approximation;
 * the coordinator retries with a fresh snapshot).
 *
 * <h2>Lifecycle</h2>
 * {@link Builder#start} locks the directory, opens the store, then starts the cluster member
 * (bootstrap, join through seeds, or rejoin) and returns once the node is normal; any failure
 * leaves nothing running and throws {@link NodeException}. {@link #close} refuses new replica
 * calls, lets those in flight finish (up to the grace period), stops the braid server and Raft,
 * then closes the store and releases the lock.
 *
 * <p>Threading: all public methods are thread-safe; handlers run on the braid server's
 * threads.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final DataDirectory dir;
  private final StoreEngine engine;
  private final int release;
  private final Set<Verb> verbs;
  private final Duration grace;
  private final Object inflightLock = new Object();
  private int inflight;
  private boolean closing;
  private ClusterNode cluster;
  private long topologyEpoch = -1;
  private List<String> topology = List.of();
  private boolean closed;
  private final List<AutoCloseable> listeners = new ArrayList<>();
  private java.util.concurrent.ScheduledExecutorService watcher;
  private boolean leader;

  private Node(DataDirectory dir, StoreEngine engine, int release, Duration grace) {
    this.dir = dir;
    this.engine = engine;
    this.release = release;
    this.verbs = Collections.unmodifiableSet(Verb.registeredByRelease(release));
    this.grace = grace;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ the replica service

  /** The replica service with this release's read verbs, wrapped for the cluster. */
  private ServiceDefinition replicaService(ClusterNode node) {
    ServiceDefinition all = ReplicaBraid.bindService(new ReplicaService(engine));
    ServiceDefinition.Builder b = ServiceDefinition.builder(all.name());
    for (ServiceDefinition.Entry e : all.entries()) {
      String full = e.method().fullName();
      Verb verb = Verb.byWireName(full.substring(full.lastIndexOf('/') + 1));
      if (verb != null && !verbs.contains(verb)) {
        continue; // an older or newer binary: this verb is an unknown method here
      }
      if (e.unary() == null) {
        @SuppressWarnings("unchecked")
        dev.braid.rpc.MethodDescriptor<Object, Object> m =
            (dev.braid.rpc.MethodDescriptor<Object, Object>) e.method();
        @SuppressWarnings("unchecked")
        dev.braid.rpc.StreamHandler<Object, Object> sh =
            (dev.braid.rpc.StreamHandler<Object, Object>) e.stream();
        b.stream(m, sh);
        continue;
      }
      @SuppressWarnings("unchecked")
      UnaryHandler<Object, Object> h = (UnaryHandler<Object, Object>) e.unary();
      @SuppressWarnings("unchecked")
      dev.braid.rpc.MethodDescriptor<Object, Object> m =
          (dev.braid.rpc.MethodDescriptor<Object, Object>) e.method();
      UnaryHandler<Object, Object> inner = verb == null ? h : node.replicaHandler(verb, h);
      b.unary(m, (req, ctx) -> {
        enter();
        try {
          refreshTopology(node);
          return inner.handle(req, ctx);
        } finally {
          exit();
        }
      });
    }
    return b.build();
  }

  private void enter() throws StatusException {
    synchronized (inflightLock) {
      if (closing) {
        throw new StatusException(Code.UNAVAILABLE, "the node is shutting down");
      }
      inflight++;
    }
  }

  private void exit() {
    synchronized (inflightLock) {
      if (--inflight == 0) {
        inflightLock.notifyAll();
      }
    }
  }

  /** Sets the store's topology version when the membership changed since the last look. */
  private void refreshTopology(ClusterNode node) {
    MetadataState s = node.metadata();
    synchronized (this) {
      if (s.getEpoch() <= topologyEpoch) {
        return;
      }
      List<String> now = topologyOf(s);
      if (!now.equals(topology)) {
        topology = now;
        engine.setTopologyVersion(s.getEpoch());
      }
      topologyEpoch = s.getEpoch();
    }
  }

  private static List<String> topologyOf(MetadataState s) {
    List<String> out = new ArrayList<>();
    for (Member m : s.getMembersList()) {
      out.add(m.getHostId() + "/" + m.getState() + "/" + m.getTokensList());
    }
    Collections.sort(out);
    return out;
  }

  /**
   * Logs each feature's enablement with the enablements the replicated log holds for it (so
   * "exactly once" is visible from outside), and each change of Raft leadership.
   */
  private void watch() {
    for (dev.braid.cluster.Feature f : cluster.features().all()) {
      listeners.add(cluster.whenEnabled(f, () -> {
        List<Long> epochs = new ArrayList<>();
        for (dev.braid.cluster.proto.FeatureEvent e : cluster.metadata().getHistoryList()) {
          if (e.getFeature().equals(f.name()) && e.getEnabled()) {
            epochs.add(e.getEpoch());
          }
        }
        log.info("feature {} is enabled on this node; the cluster's log enabled it {} time(s),"
            + " at epochs {}", f.name(), epochs.size(), epochs);
      }));
    }
    watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "braid-node-watch");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(() -> {
      boolean now = cluster.isLeader();
      if (now != leader) {
        leader = now;
        log.info(now ? "this node is now the Raft leader" : "this node is no longer the Raft"
            + " leader");
      }
      refreshTopology(cluster);
    }, 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------ public API

  /** The braid RPC address (cluster and replica services), host:port. */
  public String address() {
    return cluster.address();
  }

  /** The Raft (Ratis gRPC) address, host:port. */
  public String raftAddress() {
    return cluster.raftAddress();
  }

  /** The host id, kept in the data directory. */
  public String hostId() {
    return cluster.hostId();
  }

  /** The release this node runs as. */
  public int release() {
    return release;
  }

  /** The read verbs this node registers (and advertises). */
  public Set<Verb> verbs() {
    return verbs;
  }

  /** The cluster member (features, snapshots, status). */
  public ClusterNode cluster() {
    return cluster;
  }

  /** The replica's engine (for in-process callers). */
  public StoreEngine engine() {
    return engine;
  }

  /** The data directory. */
  public Path dataDir() {
    return dir.path();
  }

  /**
   * Shuts down: refuses new replica calls, waits up to the grace period for those in flight,
   * stops the braid server and Raft, closes the store and unlocks the directory. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    drain();
    if (watcher != null) {
      watcher.shutdownNow();
    }
    for (AutoCloseable l : listeners) {
      try {
        l.close();
      } catch (Exception ignored) {
        // unregistering cannot fail
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    drain();
    engine.close();
    dir.close();
  }

  private void drain() {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (inflightLock) {
      closing = true;
      while (inflight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          log.warn("{} replica call(s) still running after the {} s grace period", inflight,
              grace.toSeconds());
          return;
        }
        try {
          inflightLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** How to start a node. Not thread-safe. */
  public static final class Builder {
    private Path dataDir;
    private String host = "127.0.0.1";
    private int port;
    private int raftPort;
    private List<String> seeds = List.of();
    private int release = Features.DEFAULT_RELEASE;
    private Set<String> disabled = Set.of();
    private StoreOptions storeOptions = StoreOptions.defaults();
    private Duration grace = Duration.ofSeconds(5);
    private Duration electionTimeout;
    private Duration joinTimeout;

    private Builder() {}

    /** The data directory (required; created if missing). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The braid RPC address; port 0 picks a free one (then the address changes on restart). */
    public Builder listen(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /** The Raft port (0, the default: the recorded one, or a free one on first start). */
    public Builder raftPort(int port) {
      this.raftPort = port;
      return this;
    }

    /** braid addresses of existing nodes to join through; none bootstraps a new cluster. */
    public Builder seeds(Collection<String> seeds) {
      this.seeds = List.copyOf(seeds);
      return this;
    }

    /** The release (1, 2 or 3; default 2). */
    public Builder release(int release) {
      this.release = release;
      return this;
    }

    /** Feature names this node must not advertise. */
    public Builder disabledFeatures(Collection<String> names) {
      this.disabled = Set.copyOf(names);
      return this;
    }

    /** The store's options (sync policy, limits). */
    public Builder storeOptions(StoreOptions options) {
      this.storeOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** How long close() lets replica calls in flight finish; default 5 s. */
    public Builder gracePeriod(Duration grace) {
      this.grace = Objects.requireNonNull(grace, "grace");
      return this;
    }

    /** The Raft election timeout (default braid-cluster's, 1 s). */
    public Builder electionTimeout(Duration t) {
      this.electionTimeout = t;
      return this;
    }

    /** How long start() may take to find a leader, join and catch up (default 30 s). */
    public Builder joinTimeout(Duration t) {
      this.joinTimeout = t;
      return this;
    }

    /**
     * Starts the node; returns once it serves and is normal in the cluster.
     *
     * @throws NodeException with a one-line message; nothing is left running
     */
    public Node start() throws NodeException {
      if (dataDir == null) {
        throw new NodeException("a data directory is required");
      }
      if (release < 1 || release > Features.LATEST_RELEASE) {
        throw new NodeException("unknown release " + release + "; known releases: 1 to "
            + Features.LATEST_RELEASE);
      }
      Set<String> unknown = new TreeSet<>();
      for (String f : disabled) {
        if (Features.BRAID.get(f) == null) {
          unknown.add(f);
        }
      }
      if (!unknown.isEmpty()) {
        throw new NodeException("unknown feature" + (unknown.size() > 1 ? "s " : " ")
            + String.join(", ", unknown) + " in --disable-features; known features: "
            + String.join(", ", Features.BRAID.all().stream().map(f -> f.name()).toList()));
      }
      if (raftPort < 0 || raftPort > 65535 || port < 0 || port > 65535) {
        throw new NodeException("ports must be 0 to 65535");
      }
      try {
        if (java.net.InetAddress.getByName(host).isAnyLocalAddress()) {
          throw new NodeException("listen on a concrete address other nodes can reach, not "
              + host + " (the node advertises its listen address to its peers)");
        }
      } catch (java.net.UnknownHostException e) {
        throw new NodeException("unknown listen host " + host);
      }
      DataDirectory d = DataDirectory.open(dataDir);
      StoreEngine engine = null;
      Node node = null;
      try {
        int raft = chooseRaftPort(d);
        try {
          engine = StoreEngine.open(d.storeDir(), storeOptions);
        } catch (IOException e) {
          throw new NodeException(oneLine(e.getMessage()), e);
        }
        node = new Node(d, engine, release, grace);
        Node n = node;
        ClusterNode.Builder b = ClusterNode.builder().dataDir(d.clusterDir()).listen(host, port)
            .raftAddress(host, raft).seeds(seeds).release(release).disabledFeatures(disabled)
            .advertisedVerbs(EnumSet.copyOf(node.verbs))
            .addService(n::replicaService);
        if (electionTimeout != null) {
          b.electionTimeout(electionTimeout);
        }
        if (joinTimeout != null) {
          b.joinTimeout(joinTimeout);
        }
        try {
          node.cluster = b.start();
        } catch (ClusterException e) {
          throw new NodeException(oneLine(e.getMessage()), e);
        }
        node.refreshTopology(node.cluster);
        node.watch();
        log.info("node {} serves {} (raft {}), release {}, verbs {}, data {}", node.hostId(),
            node.address(), node.raftAddress(), release, node.verbs, dataDir);
        return node;
      } catch (NodeException | RuntimeException e) {
        if (node != null) {
          node.close();
        } else {
          if (engine != null) {
            engine.close();
          }
          d.close();
        }
        if (e instanceof RuntimeException r) {
          throw new NodeException("node failed to start: " + oneLine(String.valueOf(r)), r);
        }
        throw e;
      }
    }

    private int chooseRaftPort(DataDirectory d) throws NodeException {
      int recorded = d.recordedRaftPort();
      if (recorded != 0 && raftPort != 0 && raftPort != recorded) {
        throw new NodeException("this node's Raft port is " + recorded + " (recorded in "
            + d.path().resolve("node.properties") + ", and known to its peers); --raft-port "
            + raftPort + " differs");
      }
      int p = recorded != 0 ? recorded : raftPort;
      if (p == 0) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress(host, 0));
          p = s.getLocalPort();
        } catch (IOException e) {
          throw new NodeException("cannot find a free Raft port on " + host + ": "
              + e.getMessage(), e);
        }
      }
      if (recorded == 0) {
        d.recordRaftPort(p);
      }
      return p;
    }
  }

  static String oneLine(String s) {
    return s == null ? "unknown error" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
