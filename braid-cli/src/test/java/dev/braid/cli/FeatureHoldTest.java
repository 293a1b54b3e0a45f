package dev.braid.cli;

import static dev.braid.cli.UpgradeAssertions.FEATURE;
import static dev.braid.cli.UpgradeAssertions.onEveryNode;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's hold and disable with real {@code braid node} processes: {@code braid cluster
 * hold} keeps POSITION_RANGE held through three rolling restarts to release 2 and a rollback of
 * one node to release 1; after {@code unhold} it enables; {@code disable} returns it to held on
 * every node, and a node restarted at release 1 then boots and serves (v1 only).
 */
class FeatureHoldTest {
  @TempDir
  Path tmp;

  private static void cluster(String... args) {
    Cli.Result r = Cli.run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
  }

  @Test
  @Timeout(240)
  void holdSurvivesRestartsAndRollbackAndDisableLetsReleaseOneBack() throws Exception {
    try (NodeProcesses ps = new NodeProcesses(tmp)) {
      List<NodeProcesses.Proc> all = ps.startCluster(1, "a", "b", "c");
      NodeProcesses.Proc a = all.get(0);
      NodeProcesses.Proc b = all.get(1);
      NodeProcesses.Proc c = all.get(2);
      String ib = b.hostId();
      cluster("cluster", "hold", a.address(), FEATURE);
      onEveryNode(all, "held", a.hostId(), ib, c.hostId());
      List<String> lacking = new java.util.ArrayList<>(List.of(a.hostId(), ib, c.hostId()));
      for (NodeProcesses.Proc p : all) {
        p.stop();
        p.start(2);
        UpgradeAssertions.servesItsRelease(p, 2);
        lacking.remove(p.hostId());
        onEveryNode(all, "held", lacking.toArray(String[]::new));
      }

      // rollback while held
      b.stop();
      b.start(1);
      UpgradeAssertions.servesItsRelease(b, 1);
      onEveryNode(all, "held", ib);

      cluster("cluster", "unhold", c.address(), FEATURE);
      onEveryNode(all, "waiting", ib);
      b.stop();
      b.start(2);
      onEveryNode(all, "enabled");

      cluster("cluster", "disable", b.address(), FEATURE);
      onEveryNode(all, "held");
      c.stop();
      c.start(1);
      UpgradeAssertions.servesItsRelease(c, 1);
      onEveryNode(all, "held", c.hostId());
      com.google.protobuf.Struct s = NodeProcesses.status(a);
      assertThat(UpgradeAssertions.member(s, c.hostId())
          .getFieldsOrThrow("release").getNumberValue()).isEqualTo(1);
      // the verbs c received since this start, as every node's status reports them
      com.google.protobuf.Struct verbs = s.getFieldsOrThrow("verbs").getStructValue()
          .getFieldsOrThrow(c.hostId()).getStructValue();
      assertThat(verbs.getFieldsOrThrow("ReadData").getStructValue().getFieldsOrThrow("received")
          .getNumberValue()).isEqualTo(1);
      assertThat(verbs.getFieldsOrThrow("ReadDataV2").getStructValue()
          .getFieldsOrThrow("received").getNumberValue()).isZero();
    }
  }
}
