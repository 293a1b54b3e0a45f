package dev.braid.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.ClusteringPrefix;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.StoreEngine;
import dev.braid.store.StoreOptions;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Model test of reconciliation and repair: random writes (inserts, updates, cell, row, range
 * and partition deletions, colliding timestamps) each reach a random subset of the three
 * replicas and always an oracle replica that receives every write. Paging through the partition
 * at ALL must return exactly what the oracle returns, and afterwards every replica's digest
 * equals the oracle's. The oracle is the store itself applying all writes: independent of the
 * coordinator's merge and diff code.
 */
class ReconciliationModelTest {
  @Test
  void pagedAllReadsEqualTheOracleAndConvergeEveryReplica() throws Exception {
    try (TestCluster cl = new TestCluster(TestCluster.options());
        StoreEngine oracle = StoreEngine.open(cl.dir.resolve("oracle"), StoreOptions.defaults())) {
      oracle.createKeyspace(KeyspaceDef.newBuilder().setName("ks")
          .setReplicationClass("SimpleStrategy").setReplicationFactor(1).build(), false);
      oracle.createTable(TestCluster.tableDef(), false);
      Random rnd = new Random(1818);
      List<String> hosts = new ArrayList<>(cl.replicas.keySet());
      int repairedRounds = 0;
      for (int round = 0; round < 40; round++) {
        int k = 1000 + round;
        for (int w = 0; w < 14; w++) {
          Mutation m = randomMutation(rnd, cl.table, k);
          oracle.apply(List.of(m), EngineReplica.NOW, 0);
          int mask = 1 + rnd.nextInt(7);
          for (int h = 0; h < 3; h++) {
            if ((mask & (1 << h)) != 0) {
              cl.direct(hosts.get(h), m);
            }
          }
        }
        boolean reversed = rnd.nextBoolean();
        long limit = switch (rnd.nextInt(3)) {
          case 0 -> 2;
          case 1 -> 3;
          default -> ReadCommand.NO_ROW_LIMIT;
        };
        List<String> got = new ArrayList<>();
        ReplicaRead r = cl.select(k, limit, reversed);
        int pages = 0;
        while (r != null && pages < 50) {
          ReadPage p = cl.coordinator.read("ks", r, ConsistencyLevel.ALL).get();
          if (p.trace().contains("digest mismatch")) {
            repairedRounds++;
          }
          got.addAll(rows(p.result()));
          r = p.next();
          pages++;
        }
        ReplicaRead full = cl.select(k, ReadCommand.NO_ROW_LIMIT, reversed);
        List<String> want = rows(oracle.readData(full.command(), full.range(), false, 0,
            Long.MAX_VALUE).result());
        assertThat(got).as("round %d (limit %d, reversed %s)", round, limit, reversed)
            .isEqualTo(want);
        byte[] od = oracle.readDigest(full.command(), full.range(), 0, Long.MAX_VALUE).digest();
        for (String h : hosts) {
          assertThat(cl.replica(h).engine.readDigest(full.command(), full.range(), 0,
              Long.MAX_VALUE).digest()).as("round %d replica %s", round, h).isEqualTo(od);
        }
      }
      assertThat(repairedRounds).as("the generator produces divergence").isGreaterThan(10);
    }
  }

  static List<String> rows(QueryResult r) {
    List<String> out = new ArrayList<>();
    List<Integer> cs = ResolverTest.cs(r);
    List<String> vs = new ArrayList<>();
    for (var p : r.getPartitionsList()) {
      for (var row : p.getRowsList()) {
        var cell = row.getCells(0);
        vs.add(cell.getPresent() ? cell.getValue().toStringUtf8() : "null");
      }
    }
    for (int i = 0; i < cs.size(); i++) {
      out.add(cs.get(i) + "=" + vs.get(i));
    }
    return out;
  }

  static Mutation randomMutation(Random rnd, TableSchema t, int k) {
    long ts = 1 + rnd.nextInt(12);
    int c = rnd.nextInt(8);
    Mutation.Builder m = Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id()))
        .setKey(QueryCodec.encode(TestCluster.key(k)));
    DeletionTime del = DeletionTime.newBuilder().setMarkedForDeleteAt(ts)
        .setLocalDeletionTime(EngineReplica.NOW).build();
    String v = "v" + rnd.nextInt(5);
    switch (rnd.nextInt(10)) {
      case 0, 1, 2 -> m.addRows(Row.newBuilder().addClustering(TestCluster.i(c))
          .setMarker(LivenessInfo.newBuilder().setTimestamp(ts))
          .addCells(Cell.newBuilder().setColumn(0).setTimestamp(ts).setValue(TestCluster.s(v))));
      case 3, 4 -> m.addRows(Row.newBuilder().addClustering(TestCluster.i(c))
          .addCells(Cell.newBuilder().setColumn(0).setTimestamp(ts).setValue(TestCluster.s(v))));
      case 5 -> m.addRows(Row.newBuilder().addClustering(TestCluster.i(c))
          .addCells(Cell.newBuilder().setColumn(0).setTimestamp(ts).setTombstone(true)
              .setLocalDeletionTime(EngineReplica.NOW)));
      case 6, 7 -> m.addRows(Row.newBuilder().addClustering(TestCluster.i(c)).setDeletion(del));
      case 8 -> {
        int hi = c + rnd.nextInt(3);
        QueryCodec q = QueryCodec.forSchema(t.clusteringSchema());
        m.addRangeTombstones(RangeTombstone.newBuilder().setRange(q.encode(PositionRange.of(
            PositionInPartition.beforeKey(ClusteringPrefix.of(c)),
            PositionInPartition.afterAllPrefixed(ClusteringPrefix.of(hi))))).setDeletion(del));
      }
      default -> m.setPartitionDeletion(DeletionTime.newBuilder()
          .setMarkedForDeleteAt(Math.max(1, ts - 6)).setLocalDeletionTime(EngineReplica.NOW));
    }
    return m.build();
  }
}
