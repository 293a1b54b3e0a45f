package dev.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cluster.proto.Command;
import dev.braid.cluster.proto.FeatureEvent;
import dev.braid.cluster.proto.MarkNormal;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Random command sequences (seeded, so deterministic) against invariants that follow from the
 * issue's rules, not from the code: an enabled feature is supported by every member; a member
 * of release 3 implies POSITION_RANGE enabled; enablements and disablements alternate in the
 * history and match the enabled set; the epoch is the index of the last change.
 */
class TransitionsInvariantsTest {
  private static final String PR = Features.POSITION_RANGE.name();

  private static Member member(int n, int release) {
    return Member.newBuilder().setHostId(new UUID(0, n).toString())
        .setAddress("10.0.0." + n + ":7000").setRaftAddress("10.0.0." + n + ":7001")
        .setRelease(release).addAllSupportedFeatures(
            Features.BRAID.supportedBy(release, List.of())).addTokens(n).build();
  }

  private static Command random(Random r) {
    int n = 1 + r.nextInt(6);
    int release = 1 + r.nextInt(3);
    return switch (r.nextInt(9)) {
      case 0 -> Command.newBuilder().setAddMember(member(n, release)).build();
      case 1 -> Command.newBuilder().setMarkNormal(MarkNormal.newBuilder()
          .setHostId(new UUID(0, n).toString())).build();
      case 2 -> Command.newBuilder().setUpdateMember(member(n, release)).build();
      case 3 -> Command.newBuilder().setRemoveMember(new UUID(0, n).toString()).build();
      case 4 -> Command.newBuilder().setHold(PR).build();
      case 5 -> Command.newBuilder().setUnhold(PR).build();
      case 6 -> Command.newBuilder().setDisable(PR).build();
      case 7 -> Command.newBuilder().setFinishDisable(PR).build();
      default -> Command.newBuilder().setEnable(PR).build();
    };
  }

  @Test
  void invariantsHoldOverRandomHistories() {
    Transitions rules = new Transitions(Features.BRAID);
    int enabledSomewhere = 0;
    for (long seed = 0; seed < 300; seed++) {
      Random r = new Random(seed);
      MetadataState s = rules.apply(MetadataState.getDefaultInstance(), Command.newBuilder()
          .setBootstrap(member(0, 1 + r.nextInt(2))).build(), 1).state();
      long lastChange = 1;
      for (long index = 2; index < 200; index++) {
        Transitions.Applied a = rules.apply(s, random(r), index);
        if (a.result().getChanged()) {
          lastChange = index;
        } else {
          assertThat(a.state()).isEqualTo(s);
        }
        s = a.state();
        assertThat(s.getEpoch()).isEqualTo(lastChange);
        boolean enabled = s.getEnabledList().contains(PR);
        for (Member m : s.getMembersList()) {
          if (m.getState() == MemberState.LEFT) {
            continue;
          }
          if (enabled) {
            assertThat(m.getSupportedFeaturesList()).as("seed %d", seed).contains(PR);
          }
          if (m.getRelease() == 3) {
            assertThat(enabled).as("seed %d: release-3 member without %s", seed, PR).isTrue();
          }
        }
        List<FeatureEvent> h = s.getHistoryList();
        for (int i = 0; i < h.size(); i++) {
          assertThat(h.get(i).getEnabled()).isEqualTo(i % 2 == 0);
        }
        assertThat(!h.isEmpty() && h.get(h.size() - 1).getEnabled()).isEqualTo(enabled);
        assertThat(enabled && s.getHeldList().contains(PR)).isFalse();
      }
      if (s.getEnabledList().contains(PR)) {
        enabledSomewhere++;
      }
    }
    // The random histories do reach the interesting states.
    assertThat(enabledSomewhere).isPositive();
  }
}
