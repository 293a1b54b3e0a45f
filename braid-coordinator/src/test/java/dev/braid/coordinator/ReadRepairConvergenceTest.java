package dev.braid.coordinator;

import static dev.braid.coordinator.TestCluster.insert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cluster.FeatureSnapshot;
import dev.braid.cluster.Features;
import dev.braid.rpc.ClientConnection;
import dev.braid.store.Murmur3Token;
import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreOptions;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.KeyspaceDef;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three real StoreEngines, each behind a braid-store {@link ReplicaServer} on loopback, reached
 * through {@link RpcReplicaClient}: a write at ONE while two replicas are down, then the two
 * come back, and a QUORUM read returns the write and leaves the replicas it read from equal.
 */
class ReadRepairConvergenceTest {
  @ParameterizedTest(name = "position ranges enabled: {0}")
  @ValueSource(booleans = {true, false})
  void quorumReadRepairsTheReplicaThatMissedTheWrite(boolean v2) throws Exception {
    Path dir = Files.createTempDirectory("braid-coord-conv");
    List<ReplicaServer> servers = new ArrayList<>();
    List<ClientConnection> conns = new ArrayList<>();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      Map<String, ReplicaClient> clients = new LinkedHashMap<>();
      Map<String, ReplicaServer> byHost = new LinkedHashMap<>();
      Map<String, List<Long>> tokens = new LinkedHashMap<>();
      TableSchema table = null;
      for (int i = 0; i < 3; i++) {
        String host = "n" + i;
        ReplicaServer s = ReplicaServer.start(dir.resolve(host),
            new InetSocketAddress("127.0.0.1", 0), StoreOptions.defaults(), Duration.ofSeconds(1));
        servers.add(s);
        s.engine().createKeyspace(KeyspaceDef.newBuilder().setName("ks")
            .setReplicationClass("SimpleStrategy").setReplicationFactor(3).build(), false);
        table = s.engine().createTable(TestCluster.tableDef(), false);
        ClientConnection c = ClientConnection.connect("127.0.0.1:" + s.address().getPort());
        conns.add(c);
        clients.put(host, new RpcReplicaClient(c));
        byHost.put(host, s);
        tokens.put(host, List.of(Long.MIN_VALUE / 2 + i * (Long.MAX_VALUE / 3)));
      }
      TokenRing ring = TokenRing.of(1, tokens);
      Set<String> down = new HashSet<>();
      FeatureSnapshot snap = new FeatureSnapshot(5, v2 ? Set.of(Features.POSITION_RANGE.name())
          : Set.of());
      Coordinator co = new Coordinator(() -> ring, ks -> 3, clients::get,
          h -> !down.contains(h), () -> RequestScope.of(snap), Scheduler.of(timers),
          new Coordinator.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), null, 3));
      int k = 42;
      List<String> rs = co.replicas("ks", Murmur3Token.token(TestCluster.key(k)));
      // the write reaches only the primary; the other two are down
      down.add(rs.get(1));
      down.add(rs.get(2));
      co.write("ks", List.of(insert(k, 1, "only-on-one", 100)), ConsistencyLevel.ONE)
          .get(10, TimeUnit.SECONDS);
      ReplicaRead all = TestCluster.select(table, k, dev.braid.query.ReadCommand.NO_ROW_LIMIT,
          false);
      byte[] d0 = digest(byHost.get(rs.get(0)), all);
      byte[] d1 = digest(byHost.get(rs.get(1)), all);
      assertThat(d1).as("the second replica missed the write").isNotEqualTo(d0);
      // both come back
      down.clear();
      ReadPage p = co.read("ks", all, ConsistencyLevel.QUORUM).get(10, TimeUnit.SECONDS);
      assertThat(ResolverTest.vs(p.result())).containsExactly("only-on-one");
      assertThat(p.trace()).contains("digest mismatch");
      assertThat(p.trace()).anyMatch(s -> s.startsWith("read repair to " + rs.get(1)));
      // the replicas read from now hold equal data (digests compared on the engines directly)
      assertThat(digest(byHost.get(rs.get(1)), all)).isEqualTo(digest(byHost.get(rs.get(0)),
          all));
      // and the next QUORUM read matches without repair
      ReadPage again = co.read("ks", all, ConsistencyLevel.QUORUM).get(10, TimeUnit.SECONDS);
      assertThat(again.trace()).contains("digest match");
      assertThat(ResolverTest.vs(again.result())).containsExactly("only-on-one");
    } finally {
      timers.shutdownNow();
      conns.forEach(ClientConnection::close);
      for (ReplicaServer s : servers) {
        s.close();
      }
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }

  static byte[] digest(ReplicaServer s, ReplicaRead r) throws Exception {
    return s.engine().readDigest(r.command(), r.range(), 0, Long.MAX_VALUE).digest();
  }
}
