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
 *   <li>write throughput under the default sync policy (periodic), batches of 100 rows, one
 *       run per round over its own partitions;</li>
 *   <li>single-partition slice reads of 100 rows and point reads over braid on loopback, v1
 *       verbs ({@code ReadData}) against v2 verbs ({@code ReadDataV2}), interleaved rounds
 *       (v1 v2 v1 v2 ...) so that both see the same machine;</li>
 *   <li>the engine's scan of one partition against raw RocksDB iteration over the same keys,
 *       interleaved the same way;</li>
 *   <li>the share of a v1 read spent converting the command ({@code StoreEngine#toV2}).</li>
 * </ol>
 *
 * <p>Every figure is printed per round and summarised as median (min..max, n runs).
 *
 * <p>Run: {@code ./mvnw -q -pl braid-bench -am package -DskipTests} then {@code java -cp
 * braid-bench/target/benchmarks.jar dev.braid.bench.store.StoreBench [seconds [rounds]]}
 * (defaults 5 and 4; each round of a comparison measures each side for seconds / 4). Prints one line per measurement and a JSON summary line.
 */
public final class StoreBench {
  static final int PARTITIONS = 100;
  static final int ROWS = 1000;

  private StoreBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
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

      // 1. writes: ROUNDS runs, each over its own PARTITIONS / ROUNDS partitions
      ByteString value = ByteString.copyFromUtf8("x".repeat(64));
      List<Double> writeRates = new ArrayList<>();
      int perRound = PARTITIONS / rounds;
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        for (int k = round * perRound; k < (round + 1) * perRound; k++) {
          for (int c0 = 0; c0 < ROWS; c0 += 100) {
            Mutation.Builder m = Mutation.newBuilder()
                .setTableId(TableSchema.Uuids.toProto(t.id())).setKey(QueryCodec.encode(key(k)));
            for (int c = c0; c < c0 + 100; c++) {
              m.addRows(Row.newBuilder()
                  .addClustering(ByteString.copyFrom(ClusteringType.INT.encode(c)))
                  .setMarker(LivenessInfo.newBuilder().setTimestamp(1))
                  .addCells(Cell.newBuilder().setColumn(0).setTimestamp(1).setValue(value)));
            }
            e.apply(List.of(m.build()), 1, 0);
          }
        }
        double r = perRound * ROWS / ((System.nanoTime() - t0) / 1e9);
        writeRates.add(r);
        System.out.printf(Locale.ROOT, "  write run %d: %.0f rows/s%n", round + 1, r);
      }
      System.out.println("write (default sync policy " + StoreOptions.defaults().syncPolicy()
          + ", batches of 100 rows of 64-byte text, engine apply): " + summary(writeRates)
          + " rows/s");
      e.flush();

      try (ClientConnection conn = ClientConnection.connect("127.0.0.1:"
          + node.address().getPort())) {
        ReplicaBraid.Client client = ReplicaBraid.newClient(conn);
        QueryCodec qc = QueryCodec.forSchema(t.clusteringSchema());
        // 2. slice (100 rows) and point reads, v1 vs v2
        ReadCommandV2 slice = command(t, 400, 500);
        ReadCommandV2 point = command(t, 700, 701);
        List<List<Double>> sliceRates = compare("slice 100 rows", client, qc, t, slice,
            seconds, rounds);
        List<List<Double>> pointRates = compare("point", client, qc, t, point, seconds, rounds);
        System.out.println("slice 100 rows over braid: v1 " + summary(sliceRates.get(0))
            + " reads/s, v2 " + summary(sliceRates.get(1)) + " reads/s, v2/v1 per round "
            + summary(ratios(sliceRates.get(1), sliceRates.get(0))));
        System.out.println("point over braid: v1 " + summary(pointRates.get(0))
            + " reads/s, v2 " + summary(pointRates.get(1)) + " reads/s, v2/v1 per round "
            + summary(ratios(pointRates.get(1), pointRates.get(0))));

        // 3. engine scan vs raw RocksDB iteration, one partition of 1000 rows
        ReadCommandV2 whole = command(t, -1, -1);
        PartitionRange pr = PartitionRanges.singlePartition(key(7));
        Callable<Integer> engineScan = () -> (int) e.readData(whole, pr, false, 0,
            Long.MAX_VALUE).result().getRowCount();
        byte[] prefix = dev.braid.store.internal.KeyCodec.partitionPrefix(t.id(),
            Murmur3Token.token(key(7)), Murmur3Token.serialize(key(7)));
        Callable<Integer> rawScan = () -> {
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
        };
        if (engineScan.call() != ROWS || rawScan.call() != ROWS) {
          throw new IllegalStateException("scan of partition 7 does not see " + ROWS + " rows");
        }
        List<List<Double>> scans = interleave("scan (1000-row partition, in-process)", seconds,
            rounds, engineScan, rawScan);
        System.out.println("scan: engine " + summary(scans.get(0)) + " rows/s, raw RocksDB "
            + summary(scans.get(1)) + " rows/s, engine/raw per round "
            + summary(ratios(scans.get(0), scans.get(1))));

        // 4. share of v1 spent converting
        ReadCommand v1 = slice.toLegacy(t.clusteringSchema());
        List<Double> conv = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          conv.add(rate(seconds / 4, () -> {
            e.toV2(v1);
            return 1;
          }));
        }
        // per round: time of one conversion / time of one v1 slice read over braid
        List<Double> share = ratios(sliceRates.get(0), conv);
        System.out.println("v1 conversion (StoreEngine.toV2 of the 100-row slice command): "
            + summary(conv) + " /s; share of a v1 slice read " + summary4(share));
        System.out.printf(Locale.ROOT,
            "{\"write_rows_per_s\":%.0f,\"slice_v1\":%.0f,\"slice_v2\":%.0f,"
            + "\"point_v1\":%.0f,\"point_v2\":%.0f,\"scan_engine_rows_per_s\":%.0f,"
            + "\"scan_raw_rows_per_s\":%.0f,\"v1_conversion_share\":%.5f,\"rounds\":%d}%n",
            median(writeRates), median(sliceRates.get(0)), median(sliceRates.get(1)),
            median(pointRates.get(0)), median(pointRates.get(1)), median(scans.get(0)),
            median(scans.get(1)), median(share), rounds);
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

  /** Reads/s of v1 ({@code ReadData}) and v2 ({@code ReadDataV2}) over braid, interleaved. */
  static List<List<Double>> compare(String what, ReplicaBraid.Client client, QueryCodec qc,
      TableSchema t, ReadCommandV2 cmd, double seconds, int rounds) throws Exception {
    ReadDataV2Request v2 = ReadDataV2Request.newBuilder().setCommand(qc.encode(cmd))
        .setRange(PartitionRanges.singlePartition(key(7))).build();
    ReadDataRequest v1 =
        ReadDataRequest.newBuilder().setCommand(qc.encode(cmd.toLegacy(t.clusteringSchema())))
        .setRange(PartitionRanges.singlePartition(key(7))).build();
    long rows = client.readData(v1).getResult().getRowCount();
    if (rows == 0 || rows != client.readDataV2(v2).getResult().getRowCount()) {
      throw new IllegalStateException(what + ": v1 and v2 disagree or read nothing");
    }
    System.out.println("  " + what + ": " + rows + " rows per read (v1 and v2 agree)");
    return interleave(what + " v1/v2", seconds, rounds,
        () -> client.readData(v1).getResult().getRowCount() > 0 ? 1 : 0,
        () -> client.readDataV2(v2).getResult().getRowCount() > 0 ? 1 : 0);
  }

  /**
   * A then B, {@code rounds} times (A B A B ...), each for {@code seconds / 4}, after a warm-up
   * of both; prints every round. Returns the per-round rates of A and of B.
   */
  static List<List<Double>> interleave(String what, double seconds, int rounds,
      Callable<Integer> a, Callable<Integer> b) throws Exception {
    rate(seconds / 2, a); // warm-up
    rate(seconds / 2, b);
    List<Double> ra = new ArrayList<>();
    List<Double> rb = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      ra.add(rate(seconds / 4, a));
      rb.add(rate(seconds / 4, b));
      System.out.printf(Locale.ROOT, "  %s round %d: %.0f / %.0f%n", what, round + 1,
          ra.get(round), rb.get(round));
    }
    return List.of(ra, rb);
  }

  static List<Double> ratios(List<Double> num, List<Double> den) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < num.size(); i++) {
      out.add(num.get(i) / den.get(i));
    }
    return out;
  }

  static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** "median (min..max, n runs)". */
  static String summary(List<Double> xs) {
    double min = xs.stream().mapToDouble(x -> x).min().orElse(0);
    double max = xs.stream().mapToDouble(x -> x).max().orElse(0);
    String f = median(xs) < 10 ? "%.2f" : "%.0f";
    return String.format(Locale.ROOT, f + " (" + f + ".." + f + ", %d runs)", median(xs), min,
        max, xs.size());
  }

  static String summary4(List<Double> xs) {
    return String.format(Locale.ROOT, "%.4f (%.4f..%.4f, %d runs)", median(xs),
        xs.stream().mapToDouble(x -> x).min().orElse(0),
        xs.stream().mapToDouble(x -> x).max().orElse(0), xs.size());
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
