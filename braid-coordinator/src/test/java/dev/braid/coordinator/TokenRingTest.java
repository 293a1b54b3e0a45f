package dev.braid.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Placement against a brute-force oracle: sort every (token, host), walk clockwise. */
class TokenRingTest {
  /** The oracle: independent of TokenRing's binary search and arrays. */
  static List<String> oracle(Map<String, List<Long>> tokens, long token, int rf) {
    List<long[]> all = new ArrayList<>();
    List<String> names = new ArrayList<>(tokens.keySet());
    for (int h = 0; h < names.size(); h++) {
      for (long t : tokens.get(names.get(h))) {
        all.add(new long[] {t, h});
      }
    }
    all.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : names.get((int) a[1]).compareTo(names.get((int) b[1])));
    // duplicates of one token: the first (smallest host id) owns it
    List<long[]> ring = new ArrayList<>();
    for (long[] e : all) {
      if (ring.isEmpty() || ring.get(ring.size() - 1)[0] != e[0]) {
        ring.add(e);
      }
    }
    int start = 0;
    while (start < ring.size() && ring.get(start)[0] < token) {
      start++;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ring.size() * 2 && out.size() < rf; i++) {
      String h = names.get((int) ring.get((start + i) % ring.size())[1]);
      if (!out.contains(h)) {
        out.add(h);
      }
    }
    return out;
  }

  @Test
  void replicasMatchTheOracleOnRandomRings() {
    Random rnd = new Random(18);
    for (int round = 0; round < 200; round++) {
      int hosts = 1 + rnd.nextInt(6);
      Map<String, List<Long>> tokens = new LinkedHashMap<>();
      for (int h = 0; h < hosts; h++) {
        List<Long> ts = new ArrayList<>();
        int vnodes = 1 + rnd.nextInt(8);
        for (int v = 0; v < vnodes; v++) {
          // a small token space in some rounds so that collisions and exact hits happen
          ts.add(round % 3 == 0 ? (long) rnd.nextInt(20) - 10 : rnd.nextLong());
        }
        tokens.put("h" + h, ts);
      }
      TokenRing ring = TokenRing.of(round, tokens);
      for (int q = 0; q < 50; q++) {
        long token = round % 3 == 0 ? (long) rnd.nextInt(24) - 12 : rnd.nextLong();
        int rf = 1 + rnd.nextInt(4);
        assertThat(ring.replicas(token, rf)).as("round %d token %d rf %d", round, token, rf)
            .isEqualTo(oracle(tokens, token, rf));
      }
    }
  }

  @Test
  void wrapsAroundAndStopsAtTheHostCount() {
    TokenRing ring = TokenRing.of(1, Map.of("a", List.of(0L, 100L), "b", List.of(50L)));
    assertThat(ring.replicas(101, 3)).containsExactly("a", "b");
    assertThat(ring.replicas(Long.MAX_VALUE, 1)).containsExactly("a");
    assertThat(ring.replicas(1, 1)).containsExactly("b");
    assertThat(ring.replicas(50, 2)).containsExactly("b", "a");
  }

  @Test
  void placementRebuildsWhenTheEpochMovesAndSkipsJoiningMembers() {
    AtomicReference<MetadataState> state = new AtomicReference<>(MetadataState.newBuilder()
        .setEpoch(3).addMembers(member("a", MemberState.NORMAL, 10))
        .addMembers(member("b", MemberState.JOINING, 20)).build());
    Placement p = new Placement(state::get);
    assertThat(p.ring().replicas(15, 3)).containsExactly("a");
    TokenRing first = p.ring();
    assertThat(p.ring()).isSameAs(first);
    state.set(state.get().toBuilder().setEpoch(4).setMembers(1,
        member("b", MemberState.NORMAL, 20)).build());
    assertThat(p.ring().epoch()).isEqualTo(4);
    assertThat(p.ring().replicas(15, 3)).containsExactly("b", "a");
    assertThat(p.ring().address("b")).isEqualTo("b:1");
  }

  private static Member member(String id, MemberState st, long token) {
    return Member.newBuilder().setHostId(id).setAddress(id + ":1").setState(st).addTokens(token)
        .build();
  }
}
