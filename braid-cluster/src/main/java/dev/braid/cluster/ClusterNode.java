package dev.braid.cluster;

import dev.braid.cluster.proto.ClusterBraid;
import dev.braid.cluster.proto.Command;
import dev.braid.cluster.proto.CommandResult;
import dev.braid.cluster.proto.Disabling;
import dev.braid.cluster.proto.JoinReply;
import dev.braid.cluster.proto.JoinRequest;
import dev.braid.cluster.proto.LocalReply;
import dev.braid.cluster.proto.LocalRequest;
import dev.braid.cluster.proto.MarkNormal;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.UnaryHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One braid cluster node: its identity, its membership and the cluster features, kept in a
 * Raft group (Apache Ratis, gRPC transport) among the nodes, and a braid RPC server that
 * serves the {@code braid.cluster.Cluster} service plus whatever services the embedder adds
 * (the store's read verbs).
 *
 * <h2>Embedding</h2>
 * <pre>{@code
 * ClusterNode node = ClusterNode.builder()
 *     .dataDir(Path.of("/var/lib/braid"))
 *     .listen("10.0.0.5", 7000)          // braid RPC: cluster service + the services below
 *     .raftAddress("10.0.0.5", 7001)     // Ratis's own gRPC port, node to node only
 *     .seeds(List.of("10.0.0.4:7000"))   // none: bootstrap a new cluster
 *     .release(2).disabledFeatures(Set.of())
 *     .addService(n -> ReplicaBraid.bindService(new Replica(n)))  // handlers wrap with
 *     .start();                           //   n.replicaHandler(verb, h); blocks until normal
 * ClusterRequest r = node.beginRequest(); // once per coordinator request
 * ClusterRequest.Dispatch d = r.dispatch(VerbFamily.READ_DATA, replicaHostId);
 * // invoke d.verb() on the replica with d.options(timeout)
 * }</pre>
 *
 * <p>{@link #start} opens and locks the data directory, checks the persisted enabled features
 * against this release (boot refusal), starts the braid server and Raft, and then
 * bootstraps (no seeds), joins through a seed's {@code Join} call, or (existing Raft state)
 * re-registers its release and supported features. It returns once the node is normal and
 * has applied the cluster's metadata; it throws {@link ClusterException} with a message that
 * names the cause (and leaves nothing running) otherwise.
 *
 * <h2>Ports</h2>
 * Two ports per node: the braid RPC address (clients, coordinators, the cluster service) and
 * the Raft address, which Ratis's gRPC transport binds for node-to-node Raft traffic only.
 *
 * <h2>Threading</h2>
 * All public methods are thread-safe. Feature listeners run on one notifier thread per node
 * (or on the registering thread, when the feature is already enabled); they must not block.
 * Each node runs one scheduler thread (the leader's enabler and disable barrier), the braid
 * server's threads and Ratis's threads.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  /** The one Raft group of a braid cluster's metadata. */
  static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
      java.util.UUID.nameUUIDFromBytes("braid-cluster-metadata".getBytes(
          java.nio.charset.StandardCharsets.US_ASCII)));

  /** Test hooks, package-private. */
  static final class Hooks {
    /** Runs on the seed after the joiner was committed as joining, before it is normal. */
    volatile Runnable afterJoinCommitted = () -> { };
    /** Runs on the leader after it proposed enabling a feature, before the commit. */
    volatile java.util.function.BiConsumer<ClusterNode, Feature> afterEnableProposed =
        (n, f) -> { };
  }

  private final Builder config;
  private final Features features;
  private final int release;
  private final Set<String> supported;
  private final Set<Verb> advertised;
  final Hooks hooks;
  private final VerbCounters counters = new VerbCounters();
  private final Transitions transitions;
  private final Map<String, List<Runnable>> listeners = new HashMap<>();
  private final Set<String> notified = new HashSet<>();
  private final List<String> enableHistory = new CopyOnWriteArrayList<>();
  private final AtomicLong enablerRounds = new AtomicLong();
  private final Object joinLock = new Object();
  private final Object clientLock = new Object();

  private NodeDirectory directory;
  private String hostId;
  private List<Long> tokens;
  private BraidServer server;
  private volatile RaftServer raft;
  private volatile MetadataStateMachine machine;
  private RaftClient client;
  private RaftGroup clientGroup;
  private ScheduledExecutorService scheduler;
  private ExecutorService notifier;
  private String address;
  private volatile boolean ready;
  private volatile boolean closed;

  private ClusterNode(Builder b) {
    this.config = b;
    this.features = b.features;
    this.release = b.release;
    this.supported = features.supportedBy(release, b.disabled);
    this.advertised = b.advertised != null ? EnumSet.copyOf(b.advertised)
        : Verb.registeredByRelease(release);
    this.hooks = b.hooks;
    this.transitions = new Transitions(features);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ start

  private ClusterNode startNode() throws ClusterException {
    try {
      directory = NodeDirectory.open(config.dataDir);
      hostId = directory.hostId();
      tokens = directory.tokens();
      bootCheck();
      notifier = Executors.newSingleThreadExecutor(daemon("braid-cluster-notify"));
      scheduler = Executors.newSingleThreadScheduledExecutor(daemon("braid-cluster-leader"));
      startBraidServer();
      boolean existing = directory.hasRaftState();
      machine = new MetadataStateMachine(transitions, this::onStateChange);
      if (existing) {
        startRaft(RaftGroup.valueOf(GROUP_ID), RaftStorage.StartupOption.RECOVER);
        rejoin();
      } else if (config.seeds.isEmpty()) {
        startRaft(RaftGroup.valueOf(GROUP_ID, selfPeer(RaftPeerRole.FOLLOWER)),
            RaftStorage.StartupOption.FORMAT);
        bootstrap();
      } else {
        joinThroughSeeds();
      }
      ready = true;
      notifier.execute(this::reconcileListeners);
      scheduler.scheduleWithFixedDelay(this::leaderTick, 0,
          config.enablerInterval.toMillis(), TimeUnit.MILLISECONDS);
      log.info("node {} ({}, raft {}) is normal at epoch {}, release {}, supports {}",
          hostId, address, config.raftAddress, epoch(), release, supported);
      return this;
    } catch (ClusterException e) {
      close();
      throw e;
    } catch (IOException | RuntimeException e) {
      close();
      throw new ClusterException("node failed to start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new ClusterException("interrupted while starting");
    }
  }

  /** Refuses to boot on a persisted state this release cannot run with. */
  private void bootCheck() throws ClusterException, IOException {
    Set<String> enabled = directory.readEnabled();
    if (enabled == null) {
      return;
    }
    for (String f : enabled) {
      Feature feature = features.get(f);
      // A reversible feature may have been disabled while this node was down: the cluster
      // decides (rejoin); a non-reversible one can never come back.
      if ((feature == null || !feature.reversible()) && !supported.contains(f)) {
        throw new ClusterException("refusing to boot: feature " + f + " is enabled in this"
            + " cluster (recorded in " + directory.path() + ") but this node (release "
            + release + ") does not support it" + (config.disabled.contains(f)
            ? " (it is in --disable-features)" : "") + "; a downgrade past it is impossible");
      }
    }
    if (directory.hasRaftState()) {
      for (Feature f : features.requiredBy(release)) {
        if (!enabled.contains(f.name())) {
          throw new ClusterException("refusing to boot: release " + release
              + " requires feature " + f.name() + " to be enabled, and this node's last"
              + " applied metadata (in " + directory.path() + ") has it not enabled");
        }
      }
    }
  }

  private void startBraidServer() throws IOException {
    ServiceDefinition cluster = ClusterBraid.bindService(new ClusterService(this));
    BraidServer.Builder b = BraidServer.builder().listen(config.listenHost, config.listenPort)
        .addService(cluster);
    for (java.util.function.Function<ClusterNode, ServiceDefinition> s : config.services) {
      b.addService(s.apply(this));
    }
    server = b.build().start();
    address = config.listenHost + ":" + server.port();
  }

  private void startRaft(RaftGroup group, RaftStorage.StartupOption option) throws IOException {
    RaftProperties p = raftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(directory.raftDir().toFile()));
    GrpcConfigKeys.Server.setHost(p, config.raftHost);
    GrpcConfigKeys.Server.setPort(p, config.raftPort);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(config.electionTimeout.toMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(config.electionTimeout.toMillis() * 2));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, 1000L);
    raft = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(hostId))
        .setStateMachine(machine).setProperties(p).setGroup(group).setOption(option).build();
    raft.start();
  }

  private RaftProperties raftProperties() {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, ms(3000));
    return p;
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }

  private RaftPeer selfPeer(RaftPeerRole role) {
    return RaftPeer.newBuilder().setId(hostId).setAddress(config.raftAddress)
        .setStartupRole(role).build();
  }

  private Member self() {
    Member.Builder m = Member.newBuilder().setHostId(hostId).setAddress(address)
        .setRaftAddress(config.raftAddress).setRelease(release)
        .addAllSupportedFeatures(supported).addAllTokens(tokens);
    for (Verb v : advertised) {
      m.addAdvertisedVerbs(v.wireName());
    }
    return m.build();
  }

  private void bootstrap() throws ClusterException, InterruptedException {
    awaitLeader();
    CommandResult r = submit(Command.newBuilder().setBootstrap(self()).build());
    if (!r.getOk()) {
      throw new ClusterException("cannot bootstrap a new cluster: " + r.getError());
    }
    awaitEpochOrFail(r.getEpoch());
  }

  private void rejoin() throws ClusterException, InterruptedException, IOException {
    awaitLeader();
    Member me = Transitions.find(machine.state(), hostId);
    if (me == null && !config.seeds.isEmpty() && machine.state().getMembersCount() == 0) {
      // Crashed during a join: join again from scratch (the Raft state held nothing yet).
      closeRaft();
      directory.deleteRaftState();
      joinThroughSeeds();
      return;
    }
    CommandResult r = submit(Command.newBuilder().setUpdateMember(self()).build());
    if (!r.getOk()) {
      if (me == null && machine.state().getMembersCount() == 0 && config.seeds.isEmpty()) {
        bootstrap();
        return;
      }
      throw new ClusterException("refusing to boot: " + r.getError());
    }
    awaitEpochOrFail(r.getEpoch());
  }

  private void joinThroughSeeds() throws ClusterException, InterruptedException, IOException {
    List<String> errors = new ArrayList<>();
    for (String seed : config.seeds) {
      try {
        JoinReply plan = callSeedJoin(seed, true, false);
        boolean learner = !plan.getVoter();
        RaftGroup group = RaftGroup.valueOf(GROUP_ID);
        if (learner) {
          // A learner must know it is one from the start: a Ratis follower outside the voter
          // set that times out becomes a candidate and shuts itself down.
          List<RaftPeer> peers = new ArrayList<>();
          for (dev.braid.cluster.proto.RaftPeerInfo p : plan.getPeersList()) {
            peers.add(RaftPeer.newBuilder().setId(p.getId()).setAddress(p.getAddress())
                .setStartupRole(p.getLearner() ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER)
                .build());
          }
          peers.add(selfPeer(RaftPeerRole.LISTENER));
          group = RaftGroup.valueOf(GROUP_ID, peers);
        }
        startRaft(group, RaftStorage.StartupOption.FORMAT);
        try {
          JoinReply reply = callSeedJoin(seed, false, learner);
          awaitEpochOrFail(reply.getEpoch());
          return;
        } catch (StatusException | IOException | ClusterException e) {
          closeRaft();
          directory.deleteRaftState();
          throw e;
        }
      } catch (StatusException e) {
        if (e.code() == Code.FAILED_PRECONDITION || e.code() == Code.INVALID_ARGUMENT) {
          throw new ClusterException("join refused by seed " + seed + ": "
              + e.status().message());
        }
        errors.add(seed + ": " + describe(e));
      } catch (IOException e) {
        errors.add(seed + ": cannot connect: " + e.getMessage());
      }
    }
    throw new ClusterException("cannot join through any seed (" + String.join("; ", errors)
        + ")");
  }

  private JoinReply callSeedJoin(String seed, boolean prepare, boolean learner)
      throws IOException, StatusException {
    try (ClientConnection c = connect(seed)) {
      return ClusterBraid.newClient(c).withOptions(CallOptions.DEFAULT
          .withTimeout(config.joinTimeout)).join(JoinRequest.newBuilder().setMember(self())
          .setPrepare(prepare).setAsLearner(learner).build());
    }
  }

  static String describe(StatusException e) {
    if (e.code() == Code.UNIMPLEMENTED) {
      return "a braid RPC server, but not a braid cluster node (" + e.status().message() + ")";
    }
    if (e.code() == Code.DEADLINE_EXCEEDED) {
      return "no answer in time (not a braid server, or overloaded): " + e.status().message();
    }
    return "code " + e.code() + ": " + e.status().message();
  }

  ClientConnection connect(String hostPort) throws IOException {
    return ClientConnection.builder(hostPort).connectTimeout(config.peerTimeout).connect();
  }

  private void awaitLeader() throws ClusterException, InterruptedException {
    long deadline = System.nanoTime() + config.joinTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      RaftServer.Division d = division();
      if (d != null && d.getInfo().getLeaderId() != null
          && (!d.getInfo().isLeader() || d.getInfo().isLeaderReady())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new ClusterException("no Raft leader within " + config.joinTimeout
        + " (is a majority of the voters up?)");
  }

  private void awaitEpochOrFail(long epoch) throws ClusterException, InterruptedException {
    if (!machine.awaitApplied(epoch, config.joinTimeout.toNanos())) {
      throw new ClusterException("this node did not apply metadata epoch " + epoch + " within "
          + config.joinTimeout);
    }
  }

  RaftServer.Division division() {
    try {
      return raft == null ? null : raft.getDivision(GROUP_ID);
    } catch (IOException e) {
      return null;
    }
  }

  // ------------------------------------------------------------------ Raft commands

  CommandResult submit(Command c) throws ClusterException {
    RaftClient cl = client();
    try {
      RaftClientReply reply = cl.io().send(Message.valueOf(ByteString.copyFrom(c.toByteArray())));
      if (!reply.isSuccess()) {
        throw new ClusterException("Raft refused the command: " + reply.getException());
      }
      return CommandResult.parseFrom(reply.getMessage().getContent().toByteArray());
    } catch (IOException e) {
      throw new ClusterException("Raft command failed: " + e, e);
    }
  }

  private RaftClient client() throws ClusterException {
    RaftServer.Division d = division();
    if (d == null) {
      throw new ClusterException("Raft is not running");
    }
    RaftGroup g = d.getGroup();
    synchronized (clientLock) {
      if (client == null || !g.equals(clientGroup)) {
        closeClient();
        client = RaftClient.newBuilder().setProperties(raftProperties()).setRaftGroup(g)
            .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20, ms(250)))
            .build();
        clientGroup = g;
      }
      return client;
    }
  }

  private void closeClient() {
    if (client != null) {
      try {
        client.close();
      } catch (IOException ignored) {
        // best effort
      }
      client = null;
    }
  }

  // ------------------------------------------------------------------ join / remove (leader)

  /** The braid address of the current Raft leader, or null if this node is the leader. */
  String leaderAddressIfNotSelf() throws StatusException {
    // Right after the leader died there is none for an election timeout or two: wait a little.
    long deadline = System.nanoTime() + Math.min(config.joinTimeout.toNanos(),
        config.electionTimeout.toNanos() * 10);
    RaftServer.Division d = division();
    while ((d == null || d.getInfo().getLeaderId() == null) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      d = division();
    }
    if (d == null || d.getInfo().getLeaderId() == null) {
      throw new StatusException(Code.UNAVAILABLE, "no Raft leader known to " + hostId);
    }
    if (d.getInfo().isLeader()) {
      return null;
    }
    Member m = Transitions.find(machine.state(), d.getInfo().getLeaderId().toString());
    if (m == null) {
      throw new StatusException(Code.UNAVAILABLE, "the Raft leader is not a known member yet");
    }
    return m.getAddress();
  }

  /** The answer to a join's prepare step: the role it will get; checks it, changes nothing. */
  JoinReply prepareJoin(Member m) throws StatusException {
    Transitions.Applied a = transitions.apply(machine.state(),
        Command.newBuilder().setAddMember(m).build(), Long.MAX_VALUE);
    if (!a.result().getOk()) {
      throw new StatusException(Code.FAILED_PRECONDITION, a.result().getError());
    }
    RaftConfiguration conf = division().getRaftConf();
    JoinReply.Builder b = JoinReply.newBuilder().setEpoch(machine.state().getEpoch());
    RaftPeerId id = RaftPeerId.valueOf(m.getHostId());
    boolean isVoter = false;
    for (RaftPeer p : conf.getCurrentPeers()) {
      b.addPeers(dev.braid.cluster.proto.RaftPeerInfo.newBuilder().setId(p.getId().toString())
          .setAddress(p.getAddress()));
      isVoter |= p.getId().equals(id);
    }
    boolean isLearner = false;
    for (RaftPeer p : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
      b.addPeers(dev.braid.cluster.proto.RaftPeerInfo.newBuilder().setId(p.getId().toString())
          .setAddress(p.getAddress()).setLearner(true));
      isLearner |= p.getId().equals(id);
    }
    return b.setVoter(isVoter || (!isLearner && conf.getCurrentPeers().size() < config.maxVoters))
        .build();
  }

  /** Admits a joiner; called on the leader (the service forwards otherwise). */
  JoinReply admit(Member m, boolean asLearner) throws StatusException, ClusterException {
    synchronized (joinLock) {
      RaftConfiguration conf = division().getRaftConf();
      if (!asLearner && conf.getCurrentPeers().size() >= config.maxVoters
          && conf.getPeer(RaftPeerId.valueOf(m.getHostId())) == null) {
        throw new StatusException(Code.UNAVAILABLE, "the Raft voters are full since the join"
            + " was prepared; join again");
      }
      CommandResult r = submit(Command.newBuilder().setAddMember(m).build());
      if (!r.getOk()) {
        throw new StatusException(Code.FAILED_PRECONDITION, r.getError());
      }
      hooks.afterJoinCommitted.run();
      boolean voter;
      try {
        voter = addPeer(m, asLearner);
      } catch (ClusterException e) {
        submit(Command.newBuilder().setAbortJoin(m.getHostId()).build());
        throw new StatusException(Code.UNAVAILABLE, "cannot add " + m.getHostId()
            + " to Raft: " + e.getMessage());
      }
      r = submit(Command.newBuilder().setMarkNormal(MarkNormal.newBuilder()
          .setHostId(m.getHostId())).build());
      if (!r.getOk()) {
        throw new StatusException(Code.FAILED_PRECONDITION, r.getError());
      }
      return JoinReply.newBuilder().setEpoch(r.getEpoch()).setVoter(voter).build();
    }
  }

  private boolean addPeer(Member m, boolean asLearner) throws ClusterException {
    RaftConfiguration conf = division().getRaftConf();
    List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
    List<RaftPeer> learners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
    RaftPeerId id = RaftPeerId.valueOf(m.getHostId());
    for (RaftPeer p : voters) {
      if (p.getId().equals(id)) {
        return true;
      }
    }
    for (RaftPeer p : learners) {
      if (p.getId().equals(id)) {
        return false;
      }
    }
    boolean voter = !asLearner;
    RaftPeer peer = RaftPeer.newBuilder().setId(id).setAddress(m.getRaftAddress())
        .setStartupRole(voter ? RaftPeerRole.FOLLOWER : RaftPeerRole.LISTENER).build();
    (voter ? voters : learners).add(peer);
    setConfiguration(voters, learners);
    return voter;
  }

  private void setConfiguration(List<RaftPeer> voters, List<RaftPeer> learners)
      throws ClusterException {
    try {
      RaftClientReply reply = client().admin().setConfiguration(voters, learners);
      if (!reply.isSuccess()) {
        throw new ClusterException("Raft configuration change failed: " + reply.getException());
      }
    } catch (IOException e) {
      throw new ClusterException("Raft configuration change failed: " + e, e);
    }
  }

  /** Removes a dead member; called on the leader. */
  long removeMember(String id) throws StatusException, ClusterException {
    synchronized (joinLock) {
      Member m = Transitions.find(machine.state(), id);
      if (m == null) {
        throw new StatusException(Code.NOT_FOUND, "no member with host id " + id);
      }
      if (id.equals(hostId)) {
        throw new StatusException(Code.FAILED_PRECONDITION, "a node cannot remove itself");
      }
      if (m.getState() != MemberState.LEFT && probe(m) != null) {
        throw new StatusException(Code.FAILED_PRECONDITION, "host " + id + " at "
            + m.getAddress() + " is up; remove takes out dead nodes only");
      }
      RaftConfiguration conf = division().getRaftConf();
      List<RaftPeer> voters = new ArrayList<>(conf.getCurrentPeers());
      List<RaftPeer> learners = new ArrayList<>(conf.getCurrentPeers(RaftPeerRole.LISTENER));
      RaftPeerId pid = RaftPeerId.valueOf(id);
      boolean wasVoter = voters.removeIf(p -> p.getId().equals(pid));
      boolean wasLearner = learners.removeIf(p -> p.getId().equals(pid));
      if (wasVoter && !learners.isEmpty()) {
        RaftPeer promoted = learners.remove(0);
        voters.add(RaftPeer.newBuilder().setId(promoted.getId())
            .setAddress(promoted.getAddress()).build());
      }
      if (wasVoter || wasLearner) {
        setConfiguration(voters, learners);
      }
      CommandResult r = submit(Command.newBuilder().setRemoveMember(id).build());
      if (!r.getOk()) {
        throw new StatusException(Code.FAILED_PRECONDITION, r.getError());
      }
      return r.getEpoch();
    }
  }

  /** This member's Local answer, or null when it does not answer in time. */
  LocalReply probe(Member m) {
    if (m.getHostId().equals(hostId)) {
      return local();
    }
    try (ClientConnection c = connect(m.getAddress())) {
      return ClusterBraid.newClient(c).withOptions(CallOptions.DEFAULT
          .withTimeout(config.peerTimeout)).local(LocalRequest.getDefaultInstance());
    } catch (IOException | StatusException e) {
      return null;
    }
  }

  LocalReply local() {
    LocalReply.Builder b = LocalReply.newBuilder().setHostId(hostId)
        .setAppliedEpoch(appliedEpoch());
    counters.all().forEach((v, c) -> b.addCounts(dev.braid.cluster.proto.VerbCount.newBuilder()
        .setVerb(v.wireName()).setSent(c.sent()).setReceived(c.received())
        .setFallbacks(c.fallbacks())));
    return b.build();
  }

  // ------------------------------------------------------------------ leader duties

  private void leaderTick() {
    if (closed || !ready) {
      return;
    }
    try {
      RaftServer.Division d = division();
      if (d == null || !d.getInfo().isLeader() || !d.getInfo().isLeaderReady()) {
        return;
      }
      MetadataState s = machine.state();
      for (Feature f : transitions.enableable(s)) {
        proposeEnable(f);
      }
      for (Disabling dis : s.getDisablingList()) {
        if (barrierPassed(s, dis.getEpoch())) {
          submit(Command.newBuilder().setFinishDisable(dis.getFeature()).build());
        }
      }
    } catch (ClusterException | RuntimeException e) {
      log.debug("leader duties on {} failed: {}", hostId, e.toString());
    } finally {
      enablerRounds.incrementAndGet();
    }
  }

  private void proposeEnable(Feature f) throws ClusterException {
    log.info("leader {} enables {}: every normal node supports it", hostId, f.name());
    java.util.concurrent.CompletableFuture<RaftClientReply> reply = client().async()
        .send(Message.valueOf(ByteString.copyFrom(Command.newBuilder().setEnable(f.name())
            .build().toByteArray())));
    hooks.afterEnableProposed.accept(this, f);
    try {
      reply.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ClusterException("enable " + f.name() + " failed: " + e);
    }
  }

  /** Whether every normal member has applied {@code epoch}. */
  private boolean barrierPassed(MetadataState s, long epoch) {
    for (Member m : s.getMembersList()) {
      if (m.getState() != MemberState.NORMAL) {
        continue;
      }
      LocalReply r = probe(m);
      if (r == null || r.getAppliedEpoch() < epoch) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ state changes

  private void onStateChange(MetadataState s) {
    Set<String> enabled = new TreeSet<>(s.getEnabledList());
    try {
      directory.writeEnabled(enabled);
    } catch (IOException e) {
      log.error("cannot persist the enabled features in {}: {}", directory.path(), e.toString());
    }
    if (ready && !closed) {
      notifier.execute(this::reconcileListeners);
    }
  }

  private void reconcileListeners() {
    List<Runnable> toRun = new ArrayList<>();
    synchronized (listeners) {
      Set<String> enabled = new HashSet<>(machine.state().getEnabledList());
      for (String f : enabled) {
        if (notified.add(f)) {
          enableHistory.add(f + "@" + machine.state().getEpoch());
          log.info("feature {} is enabled on {}", f, hostId);
          toRun.addAll(listeners.getOrDefault(f, List.of()));
        }
      }
      notified.retainAll(enabled);
    }
    for (Runnable r : toRun) {
      runListener(r);
    }
  }

  private static void runListener(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("a feature listener failed", e);
    }
  }

  // ------------------------------------------------------------------ public API

  /** This node's host id (a UUID kept in its data directory). */
  public String hostId() {
    return hostId;
  }

  /** The braid RPC address, host:port. */
  public String address() {
    return address;
  }

  /** The Raft (Ratis gRPC) address, host:port. */
  public String raftAddress() {
    return config.raftAddress;
  }

  public int release() {
    return release;
  }

  /** The features this node supports: its release's minus the disabled ones. */
  public Set<String> supportedFeatures() {
    return supported;
  }

  /** The verbs this node advertises (registers handlers for). */
  public Set<Verb> advertisedVerbs() {
    return advertised;
  }

  /** The catalogue this node was started with. */
  public Features features() {
    return features;
  }

  /** The metadata epoch: the Raft log index of the last applied change. */
  public long epoch() {
    return machine.state().getEpoch();
  }

  /** The Raft index this node has applied (at least {@link #epoch()}). */
  public long appliedEpoch() {
    return Math.max(machine.appliedIndex(), machine.state().getEpoch());
  }

  /** Whether this node's Raft server is the leader now. */
  public boolean isLeader() {
    RaftServer.Division d = division();
    return d != null && d.getInfo().isLeader();
  }

  /** The replicated metadata as this node has applied it (immutable). */
  public MetadataState metadata() {
    return machine.state();
  }

  /** The enabled features now, with the epoch; take it once per request. */
  public FeatureSnapshot snapshot() {
    MetadataState s = machine.state();
    return new FeatureSnapshot(s.getEpoch(), new HashSet<>(s.getEnabledList()));
  }

  /**
   * Starts a coordinator request: takes the feature snapshot every RPC of the request will
   * choose its verb from.
   */
  public ClusterRequest beginRequest() {
    return new ClusterRequest(snapshot(), this::advertisedBy, counters);
  }

  private Set<Verb> advertisedBy(String id) {
    Member m = Transitions.find(machine.state(), id);
    if (m == null || m.getState() == MemberState.LEFT) {
      return null;
    }
    Set<Verb> out = EnumSet.noneOf(Verb.class);
    for (String name : m.getAdvertisedVerbsList()) {
      Verb v = Verb.byWireName(name);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * Wraps a replica's handler of {@code verb}: counts it received and, when the call carries
   * a coordinator epoch this node has not applied yet, waits (up to the builder's
   * {@code epochWait}, and never past the call's deadline) to catch up before serving; fails
   * with {@link Code#UNAVAILABLE} if it cannot.
   */
  public <Q, R> UnaryHandler<Q, R> replicaHandler(Verb verb, UnaryHandler<Q, R> handler) {
    Objects.requireNonNull(verb, "verb");
    return (request, ctx) -> {
      counters.received(verb);
      awaitCallEpoch(ctx);
      return handler.handle(request, ctx);
    };
  }

  /** The epoch part of {@link #replicaHandler}, for handlers that are not unary. */
  public void awaitCallEpoch(ServerContext ctx) throws StatusException, InterruptedException {
    String e = ctx.metadata().get(ClusterRequest.EPOCH_METADATA_KEY);
    if (e == null) {
      return;
    }
    long epoch;
    try {
      epoch = Long.parseLong(e);
    } catch (NumberFormatException x) {
      throw new StatusException(Code.INVALID_ARGUMENT, "bad " + ClusterRequest.EPOCH_METADATA_KEY
          + " metadata: " + e);
    }
    if (appliedEpoch() >= epoch) {
      return;
    }
    long wait = config.epochWait.toNanos();
    if (ctx.deadlineNanos() != Long.MAX_VALUE) {
      wait = Math.min(wait, ctx.deadlineNanos() - System.nanoTime());
    }
    if (!machine.awaitApplied(epoch, Math.max(0, wait))) {
      throw new StatusException(Code.UNAVAILABLE, "replica " + hostId + " is at metadata epoch "
          + appliedEpoch() + ", behind the coordinator's " + epoch);
    }
  }

  /** This node's verb counters. */
  public VerbCounters verbCounters() {
    return counters;
  }

  /**
   * Runs {@code listener} once each time {@code feature} becomes enabled on this node, or at
   * once (on this thread) if it already is. Closing the handle unregisters it.
   */
  public AutoCloseable whenEnabled(Feature feature, Runnable listener) {
    features.require(feature.name());
    boolean now;
    synchronized (listeners) {
      listeners.computeIfAbsent(feature.name(), k -> new CopyOnWriteArrayList<>()).add(listener);
      now = notified.contains(feature.name());
    }
    if (now) {
      runListener(listener);
    }
    return () -> {
      synchronized (listeners) {
        listeners.getOrDefault(feature.name(), List.of()).remove(listener);
      }
    };
  }

  /** Holds a feature: it will not be enabled until unheld. */
  public long hold(String feature) throws ClusterException {
    return featureCommand(Command.newBuilder().setHold(feature).build(), feature);
  }

  /** Lets a held feature enable again. */
  public long unhold(String feature) throws ClusterException {
    return featureCommand(Command.newBuilder().setUnhold(feature).build(), feature);
  }

  /**
   * Takes an enabled reversible feature back to held, then waits (up to
   * {@code barrierTimeout}) until every normal node has applied that; returns the disable's
   * epoch. A timeout is not an error: the leader keeps checking the barrier, and nodes of an
   * older release are admitted once it passes.
   */
  public long disable(String feature) throws ClusterException {
    long epoch = featureCommand(Command.newBuilder().setDisable(feature).build(), feature);
    long deadline = System.nanoTime() + config.barrierTimeout.toNanos();
    try {
      while (Transitions.disabling(machine.state(), feature) != null
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return epoch;
  }

  private long featureCommand(Command c, String feature) throws ClusterException {
    try {
      features.require(feature);
    } catch (IllegalArgumentException e) {
      throw new ClusterException(e.getMessage());
    }
    CommandResult r = submit(c);
    if (!r.getOk()) {
      throw new ClusterException(r.getError());
    }
    try {
      awaitEpochOrFail(r.getEpoch());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return r.getEpoch();
  }

  /** The cluster status, with every member probed for liveness and verb counters. */
  public ClusterStatus status() {
    return ClusterStatus.gather(this);
  }

  Transitions transitions() {
    return transitions;
  }

  List<String> enableHistory() {
    return List.copyOf(enableHistory);
  }

  long enablerRounds() {
    return enablerRounds.get();
  }

  Builder config() {
    return config;
  }

  boolean isReady() {
    return ready && !closed;
  }

  /** Stops the braid server, Raft and the node's threads, and unlocks the data directory. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (notifier != null) {
      notifier.shutdownNow();
    }
    if (server != null) {
      server.closeNow();
    }
    synchronized (clientLock) {
      closeClient();
    }
    closeRaft();
    if (directory != null) {
      directory.close();
    }
  }

  private void closeRaft() {
    if (raft != null) {
      try {
        raft.close();
      } catch (IOException e) {
        log.warn("closing Raft on {}: {}", hostId, e.toString());
      }
      raft = null;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** How to start a node. Not thread-safe. */
  public static final class Builder {
    Path dataDir;
    String listenHost = "127.0.0.1";
    int listenPort;
    String raftHost;
    int raftPort = -1;
    String raftAddress;
    List<String> seeds = List.of();
    int release = Features.DEFAULT_RELEASE;
    Set<String> disabled = Set.of();
    Features features = Features.BRAID;
    Set<Verb> advertised;
    int maxVoters = 3;
    Duration electionTimeout = Duration.ofMillis(1000);
    Duration joinTimeout = Duration.ofSeconds(30);
    Duration peerTimeout = Duration.ofSeconds(2);
    Duration epochWait = Duration.ofSeconds(2);
    Duration barrierTimeout = Duration.ofSeconds(10);
    Duration enablerInterval = Duration.ofMillis(100);
    final List<java.util.function.Function<ClusterNode, ServiceDefinition>> services =
        new ArrayList<>();
    final Hooks hooks = new Hooks();

    private Builder() {}

    /** The data directory (required); locked while the node runs. */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The braid RPC address to listen on and advertise; port 0 picks a free one. */
    public Builder listen(String host, int port) {
      this.listenHost = host;
      this.listenPort = port;
      return this;
    }

    /** The Raft address (Ratis's own gRPC port; required, port not 0). */
    public Builder raftAddress(String host, int port) {
      this.raftHost = host;
      this.raftPort = port;
      this.raftAddress = host + ":" + port;
      return this;
    }

    /** braid RPC addresses of existing nodes; empty to bootstrap a new cluster. */
    public Builder seeds(Collection<String> seeds) {
      this.seeds = List.copyOf(seeds);
      return this;
    }

    /** The release this node runs as (1, 2 or 3; default 2). */
    public Builder release(int release) {
      this.release = release;
      return this;
    }

    /** Features this node must not advertise, by name. */
    public Builder disabledFeatures(Collection<String> names) {
      this.disabled = Set.copyOf(names);
      return this;
    }

    /** The feature catalogue (default {@link Features#BRAID}). */
    public Builder features(Features features) {
      this.features = features;
      return this;
    }

    /**
     * The verbs this node registers handlers for and so advertises; default
     * {@link Verb#registeredByRelease} of the release.
     */
    public Builder advertisedVerbs(Set<Verb> verbs) {
      this.advertised = Set.copyOf(verbs);
      return this;
    }

    /** How many Raft voters at most (3 or 5; default 3); further nodes are learners. */
    public Builder maxVoters(int voters) {
      this.maxVoters = voters;
      return this;
    }

    /** The minimum Raft election timeout (the maximum is twice it); default 1 s. */
    public Builder electionTimeout(Duration t) {
      this.electionTimeout = t;
      return this;
    }

    /** How long start() may take to reach a leader, join and catch up; default 30 s. */
    public Builder joinTimeout(Duration t) {
      this.joinTimeout = t;
      return this;
    }

    /** Connect and call timeout for node-to-node braid calls; default 2 s. */
    public Builder peerTimeout(Duration t) {
      this.peerTimeout = t;
      return this;
    }

    /** How long a replica waits to catch up with a coordinator's epoch; default 2 s. */
    public Builder epochWait(Duration t) {
      this.epochWait = t;
      return this;
    }

    /** How long disable() waits for its epoch barrier; default 10 s. */
    public Builder barrierTimeout(Duration t) {
      this.barrierTimeout = t;
      return this;
    }

    /**
     * Adds a service to the node's braid server, built from the node (so handlers can wrap
     * themselves with {@link ClusterNode#replicaHandler}).
     */
    public Builder addService(java.util.function.Function<ClusterNode, ServiceDefinition> s) {
      services.add(s);
      return this;
    }

    Hooks hooks() {
      return hooks;
    }

    /**
     * Starts the node; returns once it is normal.
     *
     * @throws ClusterException with a message naming the cause; nothing is left running
     */
    public ClusterNode start() throws ClusterException {
      if (dataDir == null) {
        throw new ClusterException("a data directory is required");
      }
      if (raftAddress == null || raftPort <= 0 || raftPort > 65535) {
        throw new ClusterException("a Raft address with a port is required");
      }
      if (release < 1 || release > Features.LATEST_RELEASE) {
        throw new ClusterException("unknown release " + release + "; known releases: 1 to "
            + Features.LATEST_RELEASE);
      }
      if (maxVoters < 1) {
        throw new ClusterException("maxVoters must be at least 1");
      }
      for (String f : disabled) {
        if (features.get(f) == null) {
          throw new ClusterException("unknown feature '" + f + "' in the disabled features;"
              + " known features: " + String.join(", ",
              features.all().stream().map(Feature::name).toList()));
        }
      }
      for (String s : seeds) {
        try {
          InetSocketAddress a = ClientConnection.parseAddress(s);
          Objects.requireNonNull(a);
        } catch (RuntimeException e) {
          throw new ClusterException("bad seed address '" + s + "': " + e.getMessage());
        }
      }
      return new ClusterNode(this).startNode();
    }
  }
}
