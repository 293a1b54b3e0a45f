package dev.braid.bench.store;

import com.google.protobuf.ByteString;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.Bytes;
import dev.braid.query.codec.QueryCodec;
import dev.braid.rpc.ClientConnection;
import dev.braid.store.Murmur3Token;
import dev.braid.store.PartitionRanges;
import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreEngine;
import dev.braid.store.StoreOptions;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.ReadDataRequest;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReplicaBraid;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.TableDef;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The braid-store benchmark of issue 16 (not a test; run it on a quiet machine):
 *
 * <ol>
 *   <li>write throughput under the default sync policy (periodic), batches of 100 rows;</li>
 *   <li>single-partition slice reads of 100 rows and point reads over braid on loopback, v1
 *       verbs ({@code ReadData}) against v2 verbs ({@code ReadDataV2}), in alternating rounds;</li>
 *   <li>the engine's scan of one partition against raw RocksDB iteration over the same keys;</li>
 *   <li>the share of a v1 read spent converting the command ({@code StoreEngine#toV2}).</li>
 * </ol>
 *
 * <p>Run: {@code ./mvnw -q -pl braid-bench -am package -DskipTests} then {@code java -cp
 * braid-bench/target/benchmarks.jar dev.braid.bench.store.StoreBench [seconds-per-round]}
 * (default 5). Prints one line per measurement and a JSON summary line.
 */
public final class StoreBench {
  static final int PARTITIONS = 100;
  static final int ROWS = 1000;

  private StoreBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path dir = Files.createTempDirectory("braid-store-bench");
    try (ReplicaServer node = ReplicaServer.start(dir, new InetSocketAddress("127.0.0.1", 0),
        StoreOptions.defaults(), Duration.ofSeconds(2))) {
      StoreEngine e = node.engine();
      e.createKeyspace(KeyspaceDef.newBuilder().setName("bench").setReplicationClass("SimpleStrategy")
          .setReplicationFactor(1).build(), true);
      TableSchema t = e.createTable(TableDef.newBuilder().setKeyspace("bench").setName("t")
          .addColumns(ColumnDef.newBuilder().setName("k").setType("int").setKind(ColumnKind.PARTITION_KEY))
          .addColumns(ColumnDef.newBuilder().setName("c").setType("int").setKind(ColumnKind.CLUSTERING))
          .addColumns(ColumnDef.newBuilder().setName("v").setType("text").setKind(ColumnKind.REGULAR))
          .build(), false);

      // 1. writes
      long t0 = System.nanoTime();
      ByteString value = ByteString.copyFromUtf8("x".repeat(64));
      for (int k = 0; k < PARTITIONS; k++) {
        for (int c0 = 0; c0 < ROWS; c0 += 100) {
          Mutation.Builder m = Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id()))
              .setKey(QueryCodec.encode(key(k)));
          for (int c = c0; c < c0 + 100; c++) {
            m.addRows(Row.newBuilder().addClustering(ByteString.copyFrom(ClusteringType.INT.encode(c)))
                .setMarker(LivenessInfo.newBuilder().setTimestamp(1))
                .addCells(Cell.newBuilder().setColumn(0).setTimestamp(1).setValue(value)));
          }
          e.apply(List.of(m.build()), 1, 0);
        }
      }
      double writeSecs = (System.nanoTime() - t0) / 1e9;
      double writeRate = PARTITIONS * ROWS / writeSecs;
      System.out.printf(Locale.ROOT, "write: %.0f rows/s (periodic sync, batches of 100 rows)%n",
          writeRate);
      e.flush();

      try (ClientConnection conn = ClientConnection.connect("127.0.0.1:"
          + node.address().getPort())) {
        ReplicaBraid.Client client = ReplicaBraid.newClient(conn);
        QueryCodec qc = QueryCodec.forSchema(t.clusteringSchema());
        // 2. slice (100 rows) and point reads, v1 vs v2
        ReadCommandV2 slice = command(t, 400, 500);
        ReadCommandV2 point = command(t, 700, 701);
        double[] sliceRates = compare(client, qc, t, slice, seconds);
        double[] pointRates = compare(client, qc, t, point, seconds);
        System.out.printf(Locale.ROOT, "slice 100 rows: v1 %.0f/s, v2 %.0f/s, v2/v1 %.2f%n",
            sliceRates[0], sliceRates[1], sliceRates[1] / sliceRates[0]);
        System.out.printf(Locale.ROOT, "point: v1 %.0f/s, v2 %.0f/s, v2/v1 %.2f%n",
            pointRates[0], pointRates[1], pointRates[1] / pointRates[0]);

        // 3. engine scan vs raw RocksDB iteration, one partition of 1000 rows
        ReadCommandV2 whole = command(t, -1, -1);
        PartitionRange pr = PartitionRanges.singlePartition(key(7));
        double engineRate = rate(seconds, () -> (int) e.readData(whole, pr, false, 0,
            Long.MAX_VALUE)
            .result().getRowCount());
        byte[] prefix = dev.braid.store.internal.KeyCodec.partitionPrefix(t.id(),
            Murmur3Token.token(key(7)), Murmur3Token.serialize(key(7)));
        double rawRate = rate(seconds, () -> {
          int n = 0;
          try (org.rocksdb.ReadOptions ro = new org.rocksdb.ReadOptions();
               org.rocksdb.Slice ub =
                   new org.rocksdb.Slice(dev.braid.store.internal.KeyCodec.partitionEnd(prefix))) {
            ro.setIterateUpperBound(ub);
            try (org.rocksdb.RocksIterator it = e.rawDb().newIterator(e.rawDataFamily(), ro)) {
              for (it.seek(prefix); it.isValid(); it.next()) {
                n += it.value().length > 0 ? 1 : 0;
              }
            }
          }
          return n;
        });
        System.out.printf(Locale.ROOT,
            "scan: engine %.0f rows/s, raw RocksDB %.0f rows/s, engine/raw %.2f%n",
            engineRate, rawRate, engineRate / rawRate);

        // 4. share of v1 spent converting
        ReadCommand v1 = slice.toLegacy(t.clusteringSchema());
        double convPerSec = rate(seconds, () -> {
          e.toV2(v1);
          return 1;
        });
        double share = sliceRates[0] / convPerSec;
        System.out.printf(Locale.ROOT, "v1 conversion: %.0f/s, share of a v1 slice read %.4f%n",
            convPerSec, share);
        System.out.printf(Locale.ROOT,
            "{\"write_rows_per_s\":%.0f,\"slice_v1\":%.0f,\"slice_v2\":%.0f,"
            + "\"point_v1\":%.0f,\"point_v2\":%.0f,\"scan_engine_rows_per_s\":%.0f,\"scan_raw_rows_per_s\":%.0f,"
            + "\"v1_conversion_share\":%.5f}%n", writeRate, sliceRates[0], sliceRates[1],
                pointRates[0],
            pointRates[1], engineRate, rawRate, share);
      }
    } finally {
      try (var s = Files.walk(dir)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static PartitionKey key(int k) {
    return PartitionKey.of(Bytes.of(ClusteringType.INT.encode(k)));
  }

  /** Rows c in [from, to) of partition 7 (-1: all). */
  static ReadCommandV2 command(TableSchema t, int from, int to) {
    PositionRange r = from < 0 ? PositionRange.allClusteredRows()
        : PositionRange.of(PositionInPartition.beforeKey(ClusteringPrefix.of(from)),
            PositionInPartition.beforeKey(ClusteringPrefix.of(to)));
    return ReadCommandV2.builder().tableId(t.id()).schemaVersion(t.version())
        .slice(PartitionSliceV2.builder().defaultRowRanges(r).regularColumns(List.of(0))
            .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY)).build())
        .timestamp(Instant.ofEpochSecond(1000)).build();
  }

  /** Ops/s of v1 and v2 over braid, in 4 alternating rounds each. */
  static double[] compare(ReplicaBraid.Client client, QueryCodec qc, TableSchema t,
      ReadCommandV2 cmd,
      double seconds) throws Exception {
    ReadDataV2Request v2 = ReadDataV2Request.newBuilder().setCommand(qc.encode(cmd))
        .setRange(PartitionRanges.singlePartition(key(7))).build();
    ReadDataRequest v1 =
        ReadDataRequest.newBuilder().setCommand(qc.encode(cmd.toLegacy(t.clusteringSchema())))
        .setRange(PartitionRanges.singlePartition(key(7))).build();
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    rate(seconds / 2, () -> client.readData(v1).getResult().getRowCount() > 0 ? 1 : 0); // warm-up
    rate(seconds / 2, () -> client.readDataV2(v2).getResult().getRowCount() > 0 ? 1 : 0);
    for (int round = 0; round < 4; round++) {
      a.add(rate(seconds / 4, () -> client.readData(v1).getResult().getRowCount() > 0 ? 1 : 0));
      b.add(rate(seconds / 4, () -> client.readDataV2(v2).getResult().getRowCount() > 0 ? 1 : 0));
    }
    return new double[] {a.stream().mapToDouble(x -> x).average().orElse(0),
        b.stream().mapToDouble(x -> x).average().orElse(0)};
  }

  /** Units per second of {@code op} (it returns how many units it did) over {@code seconds}. */
  static double rate(double seconds, Callable<Integer> op) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long units = 0;
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      units += op.call();
    }
    return units / ((System.nanoTime() - start) / 1e9);
  }
}
