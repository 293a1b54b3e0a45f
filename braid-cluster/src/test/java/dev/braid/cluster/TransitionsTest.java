package dev.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cluster.proto.Command;
import dev.braid.cluster.proto.CommandResult;
import dev.braid.cluster.proto.MarkNormal;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MetadataState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The metadata rules, without Raft: each command applied at a growing log index. */
class TransitionsTest {
  private final Transitions rules = new Transitions(Features.BRAID);
  private MetadataState state = MetadataState.getDefaultInstance();
  private long index;

  private CommandResult apply(Command c) {
    Transitions.Applied a = rules.apply(state, c, ++index);
    state = a.state();
    return a.result();
  }

  private static Member member(int n, int release) {
    return Member.newBuilder().setHostId(new UUID(0, n).toString())
        .setAddress("127.0.0.1:" + (7000 + n)).setRaftAddress("127.0.0.1:" + (8000 + n))
        .setRelease(release).addAllSupportedFeatures(
            Features.BRAID.supportedBy(release, List.of())).addTokens(n).build();
  }

  private CommandResult join(Member m) {
    CommandResult r = apply(Command.newBuilder().setAddMember(m).build());
    if (r.getOk()) {
      apply(Command.newBuilder().setMarkNormal(MarkNormal.newBuilder()
          .setHostId(m.getHostId())).build());
    }
    return r;
  }

  private CommandResult enable() {
    return apply(Command.newBuilder().setEnable("POSITION_RANGE").build());
  }

  @Test
  void enableNeedsEveryNormalNodeNoTopologyChangeAndNoHold() {
    apply(Command.newBuilder().setBootstrap(member(1, 1)).build());
    join(member(2, 2));
    assertThat(enable().getError()).contains("not supported by " + member(1, 1).getHostId());
    apply(Command.newBuilder().setUpdateMember(member(1, 2)).build());
    apply(Command.newBuilder().setHold("POSITION_RANGE").build());
    assertThat(enable().getError()).contains("held by an operator");
    apply(Command.newBuilder().setUnhold("POSITION_RANGE").build());
    apply(Command.newBuilder().setAddMember(member(3, 2)).build());  // joining, not normal
    assertThat(rules.enableable(state)).isEmpty();
    assertThat(enable().getError()).contains("topology change in progress");
    apply(Command.newBuilder().setMarkNormal(MarkNormal.newBuilder()
        .setHostId(member(3, 2).getHostId())).build());
    assertThat(rules.enableable(state)).containsExactly(Features.POSITION_RANGE);
    CommandResult first = enable();
    assertThat(first.getOk()).isTrue();
    assertThat(first.getChanged()).isTrue();
    CommandResult second = enable();  // a second leader's proposal: valid, changes nothing
    assertThat(second.getOk()).isTrue();
    assertThat(second.getChanged()).isFalse();
    assertThat(state.getHistoryList()).hasSize(1);
    assertThat(state.getEpoch()).isEqualTo(first.getEpoch());
  }

  @Test
  void disableHoldsThenTheBarrierAdmitsOldReleases() {
    apply(Command.newBuilder().setBootstrap(member(1, 2)).build());
    assertThat(state.getEnabledList()).containsExactly("POSITION_RANGE");
    assertThat(join(member(2, 1)).getError()).contains("does not support feature POSITION_RANGE");
    CommandResult d = apply(Command.newBuilder().setDisable("POSITION_RANGE").build());
    assertThat(d.getOk()).isTrue();
    assertThat(state.getEnabledList()).isEmpty();
    assertThat(state.getHeldList()).containsExactly("POSITION_RANGE");
    assertThat(join(member(2, 1)).getError()).contains("is being disabled");
    assertThat(apply(Command.newBuilder().setUnhold("POSITION_RANGE").build()).getOk())
        .isFalse();
    apply(Command.newBuilder().setFinishDisable("POSITION_RANGE").build());
    assertThat(join(member(2, 1)).getOk()).isTrue();
    assertThat(join(member(3, 3)).getError()).contains("release 3 requires feature "
        + "POSITION_RANGE");
  }

  @Test
  void conflictingIdentitiesAreRefused() {
    apply(Command.newBuilder().setBootstrap(member(1, 2)).build());
    Member sameIdOtherAddress = member(1, 2).toBuilder().setAddress("127.0.0.1:9999").build();
    assertThat(join(sameIdOtherAddress).getError()).contains("conflicting host ids");
    Member sameAddressOtherId = member(2, 2).toBuilder().setAddress(member(1, 2).getAddress())
        .build();
    assertThat(join(sameAddressOtherId).getError()).contains("conflicting host ids");
    Member sameToken = member(3, 2).toBuilder().clearTokens().addTokens(1).build();
    assertThat(join(sameToken).getError()).contains("token 1 is already owned");
    apply(Command.newBuilder().setRemoveMember(member(1, 2).getHostId()).build());
    assertThat(join(member(1, 2)).getError()).contains("was removed from the cluster");
    assertThat(state.getMembersCount()).isEqualTo(1);
  }
}
