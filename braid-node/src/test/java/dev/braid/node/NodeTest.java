package dev.braid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.cluster.ClusterRequest;
import dev.braid.cluster.Verb;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.StatusException;
import dev.braid.store.proto.FencingToken;
import dev.braid.store.proto.ReadDataRequest;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReplicaBraid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One node in this JVM: verbs by release, counters, epoch wait, fencing, refusals, restart. */
class NodeTest {
  @TempDir
  Path tmp;

  private Node start(Path dir, int release) throws NodeException {
    return Node.builder().dataDir(dir).listen("127.0.0.1", 0).release(release)
        .electionTimeout(Duration.ofMillis(300)).joinTimeout(Duration.ofSeconds(20)).start();
  }

  /** The code of a call that fails, or 0 if it succeeds. */
  private interface Call {
    void run() throws Exception;
  }

  private static long code(Call c) throws Exception {
    try {
      c.run();
      return 0;
    } catch (StatusException e) {
      return e.code();
    }
  }

  private static long received(Node n, Verb v) {
    return n.cluster().verbCounters().get(v).received();
  }

  @Test
  void registersTheReleasesVerbsAndCountsThem() throws Exception {
    for (int release : new int[] {1, 2, 3}) {
      Path dir = tmp.resolve("r" + release);
      // (release 3 may bootstrap: a new cluster enables what its first node supports)
      try (Node n = start(dir, release);
          ClientConnection c = ClientConnection.connect(n.address())) {
        ReplicaBraid.Client client = ReplicaBraid.newClient(c);
        long v1 = code(() -> client.readData(ReadDataRequest.getDefaultInstance()));
        long v2 = code(() -> client.readDataV2(ReadDataV2Request.getDefaultInstance()));
        // a registered verb gets past the method lookup (answering "unknown table" inside
        // its response); an unregistered one is an unknown method, code 12
        assertThat(v1).isEqualTo(release == 3 ? Code.UNIMPLEMENTED : 0);
        assertThat(v2).isEqualTo(release == 1 ? Code.UNIMPLEMENTED : 0);
        ReadDataV2Request none = ReadDataV2Request.getDefaultInstance();
        if (release > 1) {
          assertThat(client.readDataV2(none).getException().hasUnknownTable()).isTrue();
        }
        assertThat(n.verbs()).isEqualTo(Verb.registeredByRelease(release));
        assertThat(received(n, Verb.READ_DATA)).isEqualTo(release == 3 ? 0 : 1);
        assertThat(received(n, Verb.READ_DATA_V2)).isEqualTo(release == 1 ? 0 : 2);
      }
    }
  }

  @Test
  void waitsForTheCoordinatorsEpochAndFencesOlderTopologies() throws Exception {
    try (Node n = start(tmp.resolve("n"), 2);
        ClientConnection c = ClientConnection.connect(n.address())) {
      long epoch = n.cluster().epoch();
      assertThat(n.engine().topologyVersion()).isEqualTo(epoch).isPositive();
      ReplicaBraid.Client ahead = ReplicaBraid.newClient(c).withOptions(CallOptions.DEFAULT
          .withTimeout(Duration.ofMillis(500))
          .withMetadata(Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, "" + (epoch + 1000))));
      long t0 = System.nanoTime();
      assertThat(code(() -> ahead.readData(ReadDataRequest.getDefaultInstance())))
          .isIn(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      ReplicaBraid.Client current = ReplicaBraid.newClient(c).withOptions(CallOptions.DEFAULT
          .withMetadata(Metadata.of(ClusterRequest.EPOCH_METADATA_KEY, "" + epoch)));
      ReadDataResponse stale = current.readData(ReadDataRequest.newBuilder()
          .setFence(FencingToken.newBuilder().setTopologyVersion(epoch - 1)).build());
      assertThat(stale.getException().hasStaleTopology()).isTrue();
      assertThat(stale.getException().getStaleTopology().getCurrentVersion()).isEqualTo(epoch);
    }
  }

  @Test
  void keepsItsIdentityAndRaftPortAndRefusesBadStarts() throws Exception {
    Path dir = tmp.resolve("n");
    String id;
    String raft;
    try (Node n = start(dir, 2)) {
      id = n.hostId();
      raft = n.raftAddress();
      assertThat(Files.exists(dir.resolve("store"))).isTrue();
      assertThat(Files.exists(dir.resolve("cluster"))).isTrue();
      assertThatThrownBy(() -> start(dir, 2)).isInstanceOf(NodeException.class)
          .hasMessageContaining("is locked by another braid node");
    }
    int port = Integer.parseInt(raft.substring(raft.lastIndexOf(':') + 1));
    assertThatThrownBy(() -> Node.builder().dataDir(dir).raftPort(port == 65535 ? 1 : port + 1)
        .start()).isInstanceOf(NodeException.class).hasMessageContaining("Raft port is " + port);
    assertThatThrownBy(() -> Node.builder().dataDir(dir).disabledFeatures(Set.of("NOPE"))
        .start()).isInstanceOf(NodeException.class)
        .hasMessage("unknown feature NOPE in --disable-features; known features: POSITION_RANGE");
    assertThatThrownBy(() -> Node.builder().dataDir(tmp.resolve("x")).release(4).start())
        .isInstanceOf(NodeException.class).hasMessageContaining("unknown release 4");
    // (a single release-2 node enabled POSITION_RANGE at once, so release 1 is refused now)
    assertThatThrownBy(() -> start(dir, 1)).isInstanceOf(NodeException.class)
        .hasMessageContaining("does not support feature POSITION_RANGE");
    try (Node n = start(dir, 3)) {
      assertThat(n.hostId()).isEqualTo(id);
      assertThat(n.raftAddress()).isEqualTo(raft);
      assertThat(n.cluster().metadata().getMembersCount()).isEqualTo(1);
    }
    Files.writeString(dir.resolve("FORMAT"), "braid-node format 99\n");
    assertThatThrownBy(() -> start(dir, 2)).isInstanceOf(NodeException.class)
        .hasMessageContaining("was written by braid-node format 99");
    assertThat(List.of(Files.readString(dir.resolve("FORMAT")).trim()))
        .containsExactly("braid-node format 99");
  }
}
