package dev.braid.cli;

import static dev.braid.cli.UpgradeAssertions.FEATURE;
import static dev.braid.cli.UpgradeAssertions.onEveryNode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's rollout with real {@code braid node} processes: three nodes at release 1, each
 * restarted at release 2 in turn (POSITION_RANGE waits, naming the release-1 nodes, until the
 * last), the Raft leader killed with SIGKILL as the last node comes up, and the feature enabled
 * exactly once on every node; then the refusals (release 1 at boot and at join, release 3
 * before enablement) and release 3 admitted after, and {@code braid cluster remove} of a dead
 * node. Every process is killed in {@link NodeProcesses#close} whatever happens.
 */
class RollingUpgradeTest {
  @TempDir
  Path tmp;

  @Test
  @Timeout(240)
  void rolloutEnablesOnceAcrossALeaderKillThenRefusesAndAdmitsByRelease() throws Exception {
    try (NodeProcesses ps = new NodeProcesses(tmp)) {
      List<NodeProcesses.Proc> all = ps.startCluster(1, "a", "b", "c");
      NodeProcesses.Proc a = all.get(0);
      NodeProcesses.Proc b = all.get(1);
      NodeProcesses.Proc c = all.get(2);
      String ia = a.hostId();
      String ib = b.hostId();
      String ic = c.hostId();
      onEveryNode(all, "waiting", ia, ib, ic);
      UpgradeAssertions.servesItsRelease(a, 1);

      // release 3 before enablement: refused at join and at boot
      NodeProcesses.Proc early = ps.node("early3", a.address());
      String joinRefusal = early.refused(3);
      assertThat(joinRefusal).contains(FEATURE);
      a.stop();
      String bootRefusal = a.refused(3);
      assertThat(bootRefusal).contains(FEATURE);
      System.out.println("release 3 before enablement, join: " + joinRefusal);
      System.out.println("release 3 before enablement, boot: " + bootRefusal);

      a.start(2);
      onEveryNode(all, "waiting", ib, ic);
      b.stop();
      b.start(2);
      onEveryNode(all, "waiting", ic);

      // the last restart: as c comes up at release 2, the Raft leader dies (SIGKILL), whether
      // or not it has proposed the enablement yet; it comes back at release 2
      c.stop();
      c.start(2);
      NodeProcesses.Proc leader = ps.leader(all);
      leader.kill();
      System.out.println("SIGKILL of the Raft leader " + leader.name + " as c came up");
      leader.start(2);
      onEveryNode(all, "enabled");
      for (NodeProcesses.Proc p : all) {
        UpgradeAssertions.servesItsRelease(p, 2);
      }
      List<Integer> counts = UpgradeAssertions.enablementCounts(tmp);
      assertThat(counts).as("every node's report of how often the log enabled it")
          .hasSizeGreaterThanOrEqualTo(3).containsOnly(1);
      System.out.println("enablements the log holds, as each node reported them: " + counts);

      // now release 1 is refused at boot and at join
      b.stop();
      String oldBoot = b.refused(1);
      assertThat(oldBoot).contains(FEATURE);
      b.start(2);
      NodeProcesses.Proc old = ps.node("old1", a.address());
      String oldJoin = old.refused(1);
      assertThat(oldJoin).contains(FEATURE);
      System.out.println("release 1 after enablement, boot: " + oldBoot);
      System.out.println("release 1 after enablement, join: " + oldJoin);

      // release 3 is admitted, serves v2 only; killed, it is removed with braid cluster remove
      NodeProcesses.Proc r3 = ps.node("new3", a.address());
      r3.start(3);
      UpgradeAssertions.servesItsRelease(r3, 3);
      String i3 = r3.hostId();
      Struct s = NodeProcesses.status(a);
      assertThat(UpgradeAssertions.member(s, i3).getFieldsOrThrow("release").getNumberValue())
          .isEqualTo(3);
      r3.kill();
      NodeProcesses.await("the dead node shown down", 30, () -> !UpgradeAssertions
          .member(NodeProcesses.status(a), i3).getFieldsOrThrow("up").getBoolValue());
      Cli.Result removed = Cli.run("cluster", "remove", b.address(), i3, "--format", "json");
      assertThat(removed.exitCode()).as(removed.err()).isZero();
      assertThat(removed.out()).contains("\"removed\": \"" + i3 + "\"");
      for (NodeProcesses.Proc p : all) {
        Struct after = NodeProcesses.status(p);
        assertThat(UpgradeAssertions.member(after, i3)).as(p.name).isNull();
        assertThat(after.getFieldsOrThrow("nodes").getListValue().getValuesCount()).isEqualTo(3);
      }
      assertThat(UpgradeAssertions.enablementCounts(tmp)).containsOnly(1);
    }
  }
}
