package dev.braid.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.Metadata;
import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreOptions;
import dev.braid.store.proto.KeyspaceDef;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Connections by host id: a host that cannot be reached counts as down until the retry time. */
class RpcReplicasTest {
  @Test
  void anUnreachableHostIsDownUntilItsRetryTime() throws Exception {
    Path dir = Files.createTempDirectory("braid-coord-rpc");
    AtomicLong clock = new AtomicLong();
    try (ReplicaServer s = ReplicaServer.start(dir, new InetSocketAddress("127.0.0.1", 0),
        StoreOptions.defaults(), Duration.ofSeconds(1))) {
      s.engine().createKeyspace(KeyspaceDef.newBuilder().setName("ks")
          .setReplicationClass("SimpleStrategy").setReplicationFactor(1).build(), false);
      s.engine().createTable(TestCluster.tableDef(), false);
      Map<String, String> addresses = Map.of("up", "127.0.0.1:" + s.address().getPort(),
          "gone", "127.0.0.1:1");
      try (RpcReplicas rs = new RpcReplicas(addresses::get, Duration.ofSeconds(2),
          Duration.ofSeconds(5), clock::get)) {
        ReplicaClient.Call call = new ReplicaClient.Call(Duration.ofSeconds(5), Metadata.EMPTY);
        var m = List.of(TestCluster.insert(1, 1, "x", 1));
        assertThat(rs.isAlive("gone")).isTrue();
        assertThatThrownBy(() -> rs.client("gone").mutate(m, call).get(10, TimeUnit.SECONDS))
            .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(rs.isAlive("gone")).isFalse();
        assertThat(rs.client("up").mutate(m, call).get(10, TimeUnit.SECONDS).hasException())
            .isFalse();
        assertThat(rs.isAlive("up")).isTrue();
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(rs.isAlive("gone")).as("tried again after the retry time").isTrue();
        assertThatThrownBy(() -> rs.client("nobody").mutate(m, call).get())
            .hasMessageContaining("no address known for host nobody");
      }
    } finally {
      try (Stream<Path> st = Files.walk(dir)) {
        st.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }
}
