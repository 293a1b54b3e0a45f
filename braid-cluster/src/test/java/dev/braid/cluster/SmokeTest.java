package dev.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path tmp;

  @Test
  void bootstrapAndJoin() throws Exception {
    try (TestNodes t = new TestNodes(tmp)) {
      ClusterNode a = t.start(t.builder(t.newDir()).release(1));
      ClusterNode b = t.start(t.builder(t.newDir()).release(2)
          .seeds(List.of(a.address())));
      assertThat(b.metadata().getMembersCount()).isEqualTo(2);
      ClusterNode c = t.start(t.builder(t.newDir()).seeds(List.of(a.address())));
      ClusterNode d = t.start(t.builder(t.newDir()).seeds(List.of(a.address())));
      assertThat(d.metadata().getMembersCount()).isEqualTo(4);
      assertThat(a.status().reply().getNodesList()).allMatch(n -> n.getUp());
    }
  }
}
