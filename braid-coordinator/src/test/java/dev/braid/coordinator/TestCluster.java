package dev.braid.coordinator;

import com.google.protobuf.ByteString;
import dev.braid.cluster.FeatureSnapshot;
import dev.braid.cluster.Features;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.PartitionRanges;
import dev.braid.store.StoreEngine;
import dev.braid.store.StoreOptions;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.TableDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Three in-JVM replicas (real StoreEngines in temp dirs, behind {@link EngineReplica}) on one
 * ring, table {@code ks.t (k int, c int, v text, PRIMARY KEY (k, c))}, RF 3, a coordinator on a
 * manual scheduler.
 */
final class TestCluster implements AutoCloseable {
  static final UUID TABLE_ID = UUID.fromString("00000000-0000-0000-0000-00000000007a");

  final Path dir;
  final Map<String, EngineReplica> replicas = new LinkedHashMap<>();
  final Set<String> down = new HashSet<>();
  final ManualScheduler scheduler = new ManualScheduler();
  final TableSchema table;
  FeatureSnapshot snapshot = new FeatureSnapshot(7, Set.of(Features.POSITION_RANGE.name()));
  int snapshotsTaken;
  final Coordinator coordinator;

  TestCluster(Coordinator.Options options) throws IOException {
    dir = Files.createTempDirectory("braid-coord");
    TableSchema t = null;
    Map<String, List<Long>> tokens = new LinkedHashMap<>();
    long[][] vnodes = {{-6_000_000_000_000_000_000L, 1_000}, {-2_000_000_000_000_000_000L,
        3_000_000_000_000_000_000L}, {500_000_000_000_000_000L, 7_000_000_000_000_000_000L}};
    String[] hosts = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
      StoreEngine e = StoreEngine.open(dir.resolve(hosts[i]), StoreOptions.defaults());
      e.createKeyspace(KeyspaceDef.newBuilder().setName("ks").setReplicationClass("SimpleStrategy")
          .setReplicationFactor(3).build(), false);
      t = e.createTable(tableDef(), false);
      replicas.put(hosts[i], new EngineReplica(hosts[i], e));
      tokens.put(hosts[i], List.of(vnodes[i][0], vnodes[i][1]));
    }
    table = t;
    TokenRing ring = TokenRing.of(1, tokens);
    coordinator = new Coordinator(() -> ring, ks -> 3, replicas::get, h -> !down.contains(h),
        () -> {
          snapshotsTaken++;
          return RequestScope.of(snapshot);
        }, scheduler, options);
  }

  static Coordinator.Options options() {
    return new Coordinator.Options(Duration.ofSeconds(2), Duration.ofSeconds(2),
        Duration.ofMillis(50), 3);
  }

  static TableDef tableDef() {
    return TableDef.newBuilder().setKeyspace("ks").setName("t")
        .setId(TableSchema.Uuids.toProto(TABLE_ID))
        .addColumns(ColumnDef.newBuilder().setName("k").setType("int")
            .setKind(ColumnKind.PARTITION_KEY))
        .addColumns(ColumnDef.newBuilder().setName("c").setType("int")
            .setKind(ColumnKind.CLUSTERING))
        .addColumns(ColumnDef.newBuilder().setName("v").setType("text")
            .setKind(ColumnKind.REGULAR))
        .build();
  }

  EngineReplica replica(String host) {
    return replicas.get(host);
  }

  /** The replicas of partition {@code k}, primary first. */
  List<String> replicasOf(int k) {
    return coordinator.replicas("ks", dev.braid.store.Murmur3Token.token(key(k)));
  }

  static PartitionKey key(int k) {
    return PartitionKey.of(Bytes.of(ClusteringType.INT.encode(k)));
  }

  static ByteString i(int v) {
    return ByteString.copyFrom(ClusteringType.INT.encode(v));
  }

  static ByteString s(String v) {
    return ByteString.copyFrom(ClusteringType.TEXT.encode(v));
  }

  /** INSERT INTO t (k, c, v) VALUES (...) USING TIMESTAMP ts. */
  static Mutation insert(int k, int c, String v, long ts) {
    return Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(TABLE_ID))
        .setKey(QueryCodec.encode(key(k)))
        .addRows(Row.newBuilder().addClustering(i(c))
            .setMarker(LivenessInfo.newBuilder().setTimestamp(ts))
            .addCells(Cell.newBuilder().setColumn(0).setTimestamp(ts).setValue(s(v))))
        .build();
  }

  /** DELETE FROM t WHERE k = ? AND c = ? USING TIMESTAMP ts. */
  static Mutation deleteRow(int k, int c, long ts) {
    return Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(TABLE_ID))
        .setKey(QueryCodec.encode(key(k)))
        .addRows(Row.newBuilder().addClustering(i(c)).setDeletion(DeletionTime.newBuilder()
            .setMarkedForDeleteAt(ts).setLocalDeletionTime(EngineReplica.NOW)))
        .build();
  }

  /** Writes straight into one replica (bypassing the coordinator). */
  void direct(String host, Mutation... ms) throws Exception {
    replica(host).engine.apply(List.of(ms), EngineReplica.NOW, 0);
  }

  /** SELECT c, v FROM t WHERE k = ? [ORDER BY c DESC] LIMIT limit. */
  ReplicaRead select(int k, long limit, boolean reversed) {
    return select(table, k, limit, reversed);
  }

  /** The same over any replica's copy of the table. */
  static ReplicaRead select(TableSchema table, int k, long limit, boolean reversed) {
    PartitionSliceV2 slice = PartitionSliceV2.builder()
        .defaultRowRanges(List.of(PositionRange.allClusteredRows())).regularColumns(List.of(0))
        .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY, SliceOption.SEND_PARTITION_KEY))
        .build();
    if (reversed) {
      slice = slice.reversed();
    }
    ReadCommandV2 cmd = ReadCommandV2.builder().tableId(table.id())
        .schemaVersion(reversed ? table.reversedVersion() : table.version()).slice(slice)
        .rowLimit(limit).timestamp(Instant.ofEpochSecond(EngineReplica.NOW)).build();
    return new ReplicaRead(table, cmd, PartitionRanges.singlePartition(key(k)));
  }

  /** The digest replica {@code host} holds for a whole-partition read of {@code k}. */
  byte[] digest(String host, int k) throws Exception {
    ReplicaRead r = select(k, dev.braid.query.ReadCommand.NO_ROW_LIMIT, false);
    return replica(host).engine.readDigest(r.command(), r.range(), 0, Long.MAX_VALUE).digest();
  }

  void clearCalls() {
    replicas.values().forEach(r -> {
      r.calls.clear();
      r.reads.clear();
      r.mutations.clear();
    });
  }

  @Override
  public void close() throws IOException {
    replicas.values().forEach(r -> r.engine.close());
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
