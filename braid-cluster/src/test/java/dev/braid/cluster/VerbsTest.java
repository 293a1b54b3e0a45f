package dev.braid.cluster;

import static dev.braid.cluster.TestNodes.await;
import static dev.braid.cluster.TestNodes.enabledOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.cluster.proto.FeatureEvent;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.StatusException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One four-node cluster shared by ordered steps: enabling across a leader change, the
 * per-request snapshot discipline (flips in the middle of a multi-RPC request), and the
 * send-time guard on advertised verbs. Node 4 supports POSITION_RANGE but advertises only the
 * v1 verbs (and serves only those: a v2 call to it would fail with code 12).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerbsTest {
  static final Feature PR = Features.POSITION_RANGE;
  static final Set<Verb> V1 = Set.of(Verb.READ_DATA, Verb.READ_MUTATION_DATA, Verb.READ_DIGEST);

  static Path root;
  static TestNodes t;
  static final List<Path> dirs = new ArrayList<>();
  static final List<ClusterNode> nodes = new ArrayList<>();
  static final Map<String, ClientConnection> conns = new HashMap<>();

  @BeforeAll
  static void cluster() throws Exception {
    root = Files.createTempDirectory("verbs-test");
    t = new TestNodes(root);
    for (int i = 0; i < 4; i++) {
      dirs.add(t.newDir());
    }
    ClusterNode n1 = t.start(t.builder(dirs.get(0)).release(1));
    nodes.add(n1);
    nodes.add(t.start(t.builder(dirs.get(1)).seeds(List.of(n1.address()))));
    nodes.add(t.start(t.builder(dirs.get(2)).seeds(List.of(n1.address()))));
    nodes.add(t.start(t.builder(dirs.get(3)).advertisedVerbs(V1)
        .epochWait(Duration.ofMillis(300)).seeds(List.of(n1.address()))));
  }

  @AfterAll
  static void stop() {
    conns.values().forEach(ClientConnection::closeNow);
    t.close();
  }

  static ClientConnection conn(ClusterNode n) throws Exception {
    ClientConnection c = conns.get(n.address());
    if (c == null || !c.isOpen()) {
      c = ClientConnection.connect(n.address());
      conns.put(n.address(), c);
    }
    return c;
  }

  /** Sends one RPC of {@code request} to {@code target}; returns the verb the replica ran. */
  static Verb send(ClusterRequest request, VerbFamily family, ClusterNode target)
      throws Exception {
    ClusterRequest.Dispatch d = request.dispatch(family, target.hostId());
    byte[] reply = conn(target).invoke(TestNodes.method(d.verb()), new byte[0],
        d.options(Duration.ofSeconds(5)));
    Verb served = Verb.byWireName(new String(reply, StandardCharsets.UTF_8));
    assertThat(served).isEqualTo(d.verb());
    return served;
  }

  @Test
  @Order(1)
  void enablesExactlyOnceAcrossALeaderChange() throws Exception {
    assertThat(enabledOn(nodes.get(1), PR)).isFalse();
    AtomicReference<ClusterNode> killed = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean(true);
    java.util.function.BiConsumer<ClusterNode, Feature> kill = (n, f) -> {
      if (armed.getAndSet(false)) {
        killed.set(n);
        // The leader dies right after proposing, before it sees the commit.
        CompletableFuture.runAsync(() -> t.stop(n));
      }
    };
    for (ClusterNode n : nodes.subList(1, 4)) {
      n.hooks.afterEnableProposed = kill;
    }
    List<AtomicInteger> fired = new ArrayList<>();
    t.stop(nodes.get(0));
    ClusterNode.Builder b1 = t.builder(dirs.get(0)).release(2);
    b1.hooks().afterEnableProposed = kill;
    ClusterNode n1 = t.start(b1);
    nodes.set(0, n1);
    await("the leader proposed", 30, () -> killed.get() != null);
    int k = nodes.indexOf(killed.get());
    List<ClusterNode> alive = new ArrayList<>(nodes);
    alive.remove(k);
    for (ClusterNode n : alive) {
      AtomicInteger c = new AtomicInteger();
      n.whenEnabled(PR, c::incrementAndGet);
      fired.add(c);
      await("enabled on " + n.hostId(), 30, () -> enabledOn(n, PR));
    }
    await("the killed leader closed", 20, () -> {
      try {
        t.start(t.builder(dirs.get(k)).epochWait(Duration.ofMillis(300))
            .advertisedVerbs(k == 3 ? V1 : Verb.registeredByRelease(2)));
        return true;
      } catch (ClusterException e) {
        return false;  // its data directory is still locked by the closing node
      }
    });
    ClusterNode back = t.running().get(t.running().size() - 1);
    nodes.set(k, back);
    AtomicInteger c = new AtomicInteger();
    back.whenEnabled(PR, c::incrementAndGet);
    fired.add(c);
    for (ClusterNode n : nodes) {
      await("enabled on " + n.hostId(), 30, () -> enabledOn(n, PR));
    }
    t.awaitEnablerRounds(nodes, 5);
    List<FeatureEvent> first = null;
    for (ClusterNode n : nodes) {
      List<FeatureEvent> h = n.metadata().getHistoryList().stream()
          .filter(e -> e.getFeature().equals(PR.name())).toList();
      assertThat(h).hasSize(1);
      assertThat(h.get(0).getEnabled()).isTrue();
      if (first == null) {
        first = h;
      }
      assertThat(h).isEqualTo(first);
    }
    assertThat(fired).allMatch(x -> x.get() == 1);
  }

  @Test
  @Order(2)
  void aRequestKeepsItsVerbFamilyWhenTheFeatureFlips() throws Exception {
    ClusterNode coord = nodes.get(1);
    List<ClusterNode> targets = List.of(nodes.get(0), nodes.get(2), nodes.get(1));
    VerbFamily[] families = VerbFamily.values();
    assertThat(enabledOn(coord, PR)).isTrue();

    ClusterRequest r = coord.beginRequest();
    List<Verb> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(send(r, families[i % 3], targets.get(i % 3)));
    }
    coord.disable(PR.name());
    for (ClusterNode n : nodes) {
      await("disabled on " + n.hostId(), 20, () -> !enabledOn(n, PR));
    }
    for (int i = 3; i < 9; i++) {
      sent.add(send(r, families[i % 3], targets.get(i % 3)));
    }
    assertThat(sent).hasSize(9).allMatch(v -> v.version() == 2);

    ClusterRequest r2 = coord.beginRequest();
    List<Verb> sent2 = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent2.add(send(r2, families[i % 3], targets.get(i % 3)));
    }
    coord.unhold(PR.name());
    for (ClusterNode n : nodes) {
      await("enabled again on " + n.hostId(), 20, () -> enabledOn(n, PR));
    }
    for (int i = 3; i < 9; i++) {
      sent2.add(send(r2, families[i % 3], targets.get(i % 3)));
    }
    assertThat(sent2).hasSize(9).allMatch(v -> v.version() == 1);
    assertThat(coord.beginRequest().dispatch(VerbFamily.READ_DATA, nodes.get(0).hostId())
        .verb()).isEqualTo(Verb.READ_DATA_V2);
  }

  @Test
  @Order(3)
  void aCoordinatorNeverSendsAVerbItsTargetDoesNotAdvertise() throws Exception {
    ClusterNode coord = nodes.get(0);
    ClusterNode v1only = nodes.get(3);
    assertThat(enabledOn(coord, PR)).isTrue();
    long v2Before = 0;
    for (Verb v : Verb.values()) {
      if (v.version() == 2) {
        v2Before += v1only.verbCounters().get(v).received();
      }
    }
    assertThat(v2Before).isZero();
    long fallbacksBefore = coord.verbCounters().get(Verb.READ_DATA_V2).fallbacks();
    Random random = new Random(17);
    int toV1Only = 0;
    for (int i = 0; i < 60; i++) {
      ClusterNode target = nodes.get(random.nextInt(nodes.size()));
      VerbFamily family = VerbFamily.values()[random.nextInt(3)];
      ClusterRequest r = coord.beginRequest();
      Verb v = send(r, family, target);  // a v2 call to node 4 would fail with code 12
      assertThat(target.advertisedVerbs()).contains(v);
      if (target == v1only) {
        toV1Only++;
        assertThat(v.version()).isEqualTo(1);
      } else {
        assertThat(v.version()).isEqualTo(2);
      }
    }
    assertThat(toV1Only).isPositive();
    for (Verb v : Verb.values()) {
      if (v.version() == 2) {
        assertThat(v1only.verbCounters().get(v).received()).isZero();
      }
    }
    long fallbacks = 0;
    for (Verb v : Verb.values()) {
      fallbacks += coord.verbCounters().get(v).fallbacks();
    }
    assertThat(fallbacks - fallbacksBefore).isEqualTo(toV1Only);
    assertThatThrownBy(() -> coord.beginRequest().dispatch(VerbFamily.READ_DATA,
        "00000000-0000-0000-0000-000000000000")).isInstanceOf(StatusException.class)
        .hasMessageContaining("not a member");
    // The status carries the counters of every node.
    String json = coord.status().toJson();
    assertThat(json).contains("\"" + v1only.hostId() + "\": {\"ReadData\": {\"sent\": ");
  }

  @Test
  @Order(4)
  void aReplicaBehindTheCoordinatorsEpochWaitsThenRefuses() throws Exception {
    ClusterNode replica = nodes.get(3);
    long ahead = replica.appliedEpoch() + 1000;
    CallOptions o = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)).withMetadata(
        Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, Long.toString(ahead)));
    long start = System.nanoTime();
    assertThatThrownBy(() -> conn(replica).invoke(TestNodes.method(Verb.READ_DATA),
        new byte[0], o)).isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("behind the coordinator's " + ahead);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    CallOptions bad = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)).withMetadata(
        Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, "x"));
    assertThatThrownBy(() -> conn(replica).invoke(TestNodes.method(Verb.READ_DATA),
        new byte[0], bad)).isInstanceOf(StatusException.class)
        .satisfies(e -> assertThat(((StatusException) e).code())
            .isEqualTo(Code.INVALID_ARGUMENT));
    // An epoch the replica has applied is served at once.
    CallOptions ok = CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(5)).withMetadata(
        Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, Long.toString(replica.epoch())));
    assertThat(new String(conn(replica).invoke(TestNodes.method(Verb.READ_DATA), new byte[0],
        ok), StandardCharsets.UTF_8)).isEqualTo("ReadData");
  }

  @Test
  @Order(5)
  void theWholeClusterRestartsWithItsStateAndIdentities() throws Exception {
    List<String> ids = nodes.stream().map(ClusterNode::hostId).toList();
    long epoch = nodes.get(0).epoch();
    for (ClusterNode n : nodes) {
      assertThat(n.epoch()).isEqualTo(epoch);
    }
    CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(() -> t.stop(n)))
        .toArray(CompletableFuture[]::new)).join();
    conns.values().forEach(ClientConnection::closeNow);
    conns.clear();
    // After a full outage no node can reach a quorum alone: start them together.
    List<CompletableFuture<ClusterNode>> starting = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ClusterNode.Builder b = t.builder(dirs.get(i)).epochWait(Duration.ofMillis(300))
          .advertisedVerbs(i == 3 ? V1 : Verb.registeredByRelease(2));
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return t.start(b);
        } catch (ClusterException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (int i = 0; i < 4; i++) {
      nodes.set(i, starting.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
    assertThat(nodes.stream().map(ClusterNode::hostId).toList()).isEqualTo(ids);
    for (ClusterNode n : nodes) {
      assertThat(n.epoch()).isGreaterThanOrEqualTo(epoch);
      assertThat(enabledOn(n, PR)).isTrue();
      assertThat(n.metadata().getMembersCount()).isEqualTo(4);
    }
    assertThat(send(nodes.get(1).beginRequest(), VerbFamily.READ_DIGEST, nodes.get(2)))
        .isEqualTo(Verb.READ_DIGEST_V2);
  }

  @Test
  @Order(6)
  void removingADeadVoterPromotesALearnerThatThenVotes() throws Exception {
    ClusterNode learner = nodes.get(3);
    assertThat(learner.division().getRaftConf().getCurrentPeers().stream()
        .map(p -> p.getId().toString())).doesNotContain(learner.hostId());
    ClusterNode dead = nodes.get(1);
    String deadId = dead.hostId();
    t.stop(dead);
    ClusterNode n1 = nodes.get(0);
    assertThat(n1.status().reply().getNodesList().stream()
        .filter(n -> n.getHostId().equals(deadId)).findFirst().get().getUp()).isFalse();
    try (ClientConnection c = ClientConnection.connect(n1.address())) {
      dev.braid.cluster.proto.ClusterBraid.newClient(c).withOptions(
          CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(30))).remove(
          dev.braid.cluster.proto.RemoveRequest.newBuilder().setHostId(deadId).build());
    }
    await("the learner is a voter", 20, () -> learner.division().getRaftConf()
        .getCurrentPeers().stream().anyMatch(p -> p.getId().toString()
            .equals(learner.hostId())));
    // With the third voter gone too, the promoted learner's vote is needed for a quorum.
    t.stop(nodes.get(2));
    // Unhold of a feature that is not held changes nothing, but it commits through Raft only
    // with a quorum: n1 and the promoted learner.
    long before = System.nanoTime();
    n1.unhold(PR.name());
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(30));
  }
}
