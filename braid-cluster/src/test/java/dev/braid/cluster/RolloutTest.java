package dev.braid.cluster;

import static dev.braid.cluster.TestNodes.await;
import static dev.braid.cluster.TestNodes.enabledOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.cluster.proto.ClusterBraid;
import dev.braid.cluster.proto.FeatureStatus;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.RemoveRequest;
import dev.braid.rpc.ClientConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade of the issue, in one JVM with real Raft: three release-1 nodes, a hold,
 * each restarted at release 2, a rollback while held, unhold during a join (topology change),
 * enablement, boot and join refusals, release 3, remove, disable and release 1 again. One
 * flow, because each step needs the state the previous one left (and elections take time).
 */
class RolloutTest {
  static final Feature PR = Features.POSITION_RANGE;

  @TempDir Path tmp;

  private final List<ClusterNode> nodes = new ArrayList<>();

  private ClusterNode swap(ClusterNode old, ClusterNode now) {
    nodes.set(nodes.indexOf(old), now);
    return now;
  }

  private FeatureStatus pr(ClusterNode n) {
    return n.status().feature(PR.name());
  }

  @Test
  void rollingUpgradeHoldDisableAndRefusals() throws Exception {
    try (TestNodes t = new TestNodes(tmp)) {
      Path d1 = t.newDir();
      Path d2 = t.newDir();
      Path d3 = t.newDir();
      ClusterNode n1 = t.start(t.builder(d1).release(1));
      String seed = n1.address();
      ClusterNode n2 = t.start(t.builder(d2).release(1).seeds(List.of(seed)));
      ClusterNode n3 = t.start(t.builder(d3).release(1).seeds(List.of(n2.address())));
      nodes.addAll(List.of(n1, n2, n3));
      String id1 = n1.hostId();
      String id2 = n2.hostId();
      String id3 = n3.hostId();

      FeatureStatus st = pr(n3);
      assertThat(st.getState()).isEqualTo("waiting");
      assertThat(st.getLackingList()).containsExactlyInAnyOrder(id1, id2, id3);

      // Release 3 needs POSITION_RANGE enabled: refused at join, nothing left behind.
      Path r3dir = t.newDir();
      assertThatThrownBy(() -> t.start(t.builder(r3dir).release(3).seeds(List.of(seed))))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("release 3 requires feature POSITION_RANGE");
      assertThat(n1.metadata().getMembersCount()).isEqualTo(3);

      // Held: each node restarted at release 2, yet it stays held.
      n2.hold(PR.name());
      n1 = swap(n1, t.restart(n1, d1, 2));
      assertThat(n1.hostId()).isEqualTo(id1);
      st = pr(n1);
      assertThat(st.getState()).isEqualTo("held");
      assertThat(st.getReason()).contains("held by an operator");
      assertThat(st.getLackingList()).containsExactlyInAnyOrder(id2, id3);
      n2 = swap(n2, t.restart(n2, d2, 2));
      n3 = swap(n3, t.restart(n3, d3, 2));
      st = pr(n3);
      assertThat(st.getState()).isEqualTo("held");
      assertThat(st.getLackingList()).isEmpty();
      t.awaitEnablerRounds(nodes, 10);
      for (ClusterNode n : nodes) {
        assertThat(enabledOn(n, PR)).isFalse();
      }

      // While held, a node can roll back to release 1 and return.
      n1 = swap(n1, t.restart(n1, d1, 1));
      ClusterNode second = n2;
      await("n1 at release 1 on n2", 10,
          () -> Transitions.find(second.metadata(), id1).getRelease() == 1);
      n1 = swap(n1, t.restart(n1, d1, 2));

      List<AtomicInteger> fired = new ArrayList<>();
      for (ClusterNode n : nodes) {
        AtomicInteger c = new AtomicInteger();
        n.whenEnabled(PR, c::incrementAndGet);
        fired.add(c);
      }

      // Unhold while a fourth node is joining: no enablement during the topology change.
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger hookRuns = new AtomicInteger();
      for (ClusterNode n : nodes) {
        n.hooks.afterJoinCommitted = () -> {
          if (hookRuns.getAndIncrement() == 0) {
            entered.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
      }
      Path d4 = t.newDir();
      CompletableFuture<ClusterNode> joining = CompletableFuture.supplyAsync(() -> {
        try {
          return t.start(t.builder(d4).release(2).seeds(List.of(seed)));
        } catch (ClusterException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
      n3.unhold(PR.name());
      ClusterNode other = n2;
      await("unheld on n2", 10, () -> !other.metadata().getHeldList().contains(PR.name()));
      st = pr(n2);
      assertThat(st.getState()).isEqualTo("waiting");
      assertThat(st.getReason()).contains("topology change in progress").contains("joining");
      t.awaitEnablerRounds(nodes, 10);
      for (ClusterNode n : nodes) {
        assertThat(enabledOn(n, PR)).isFalse();
      }
      release.countDown();
      ClusterNode n4 = joining.get(30, TimeUnit.SECONDS);
      nodes.add(n4);
      AtomicInteger c4 = new AtomicInteger();
      n4.whenEnabled(PR, c4::incrementAndGet);
      fired.add(c4);
      for (ClusterNode n : nodes) {
        await("POSITION_RANGE enabled on " + n.hostId(), 20, () -> enabledOn(n, PR));
      }
      await("listeners", 10, () -> fired.stream().allMatch(c -> c.get() == 1));
      t.awaitEnablerRounds(nodes, 5);
      assertThat(fired).allMatch(c -> c.get() == 1);
      AtomicInteger late = new AtomicInteger();
      n1.whenEnabled(PR, late::incrementAndGet);
      assertThat(late.get()).isEqualTo(1);
      assertThat(pr(n4).getState()).isEqualTo("enabled");

      // State survives a restart; a release-1 binary is refused at boot, naming the feature.
      n3 = swap(n3, t.restart(n3, d3, 2));
      assertThat(n3.hostId()).isEqualTo(id3);
      assertThat(enabledOn(n3, PR)).isTrue();
      t.stop(n3);
      assertThatThrownBy(() -> t.start(t.builder(d3).release(1)))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("refusing to boot")
          .hasMessageContaining("does not support feature POSITION_RANGE");
      n3 = swap(n3, t.start(t.builder(d3).release(2)));

      // A release-1 joiner is refused; nothing changes.
      Path d5 = t.newDir();
      long epoch = n1.epoch();
      assertThatThrownBy(() -> t.start(t.builder(d5).release(1).seeds(List.of(seed))))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("does not support feature POSITION_RANGE");
      assertThat(n1.metadata().getMembersCount()).isEqualTo(4);
      assertThat(n1.epoch()).isEqualTo(epoch);

      // Release 3 is accepted now.
      ClusterNode n5 = t.start(t.builder(r3dir).release(3).seeds(List.of(n2.address())));
      assertThat(n5.advertisedVerbs()).containsExactlyInAnyOrder(Verb.READ_DATA_V2,
          Verb.READ_MUTATION_DATA_V2, Verb.READ_DIGEST_V2);
      ClusterNode first = n1;
      assertThatThrownBy(() -> first.disable(PR.name())).isInstanceOf(ClusterException.class)
          .hasMessageContaining("release 3, which requires it");

      // Remove the dead release-3 node (through a follower: forwarded to the leader).
      String id5 = n5.hostId();
      t.stop(n5);
      ClusterNode follower = nodes.stream().filter(n -> !n.isLeader()).findFirst().get();
      try (ClientConnection c = ClientConnection.connect(follower.address())) {
        ClusterBraid.newClient(c).remove(RemoveRequest.newBuilder().setHostId(id5).build());
      }
      for (ClusterNode n : nodes) {
        await("removed on " + n.hostId(), 10, () -> Transitions.find(n.metadata(), id5)
            .getState() == MemberState.LEFT);
      }

      // Disable: held on every node once the barrier passed; release 1 may join and boot.
      n1.disable(PR.name());
      for (ClusterNode n : nodes) {
        await("disabled on " + n.hostId(), 20, () -> !enabledOn(n, PR)
            && n.metadata().getDisablingCount() == 0);
        assertThat(n.metadata().getHeldList()).contains(PR.name());
      }
      assertThat(pr(n2).getState()).isEqualTo("held");
      ClusterNode n6 = t.start(t.builder(d5).release(1).seeds(List.of(seed)));
      nodes.add(n6);
      n3 = swap(n3, t.restart(n3, d3, 1));
      ClusterNode firstNode = n1;
      await("n3 at release 1 on n1", 10,
          () -> Transitions.find(firstNode.metadata(), id3).getRelease() == 1);
      assertThat(fired).allMatch(c -> c.get() == 1);

      n1.unhold(PR.name());
      st = pr(n1);
      assertThat(st.getState()).isEqualTo("waiting");
      assertThat(st.getLackingList()).containsExactlyInAnyOrder(id3, n6.hostId());
      assertThat(st.getLackingList()).doesNotContain(id5);
    }
  }
}
