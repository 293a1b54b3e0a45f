package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.braid.query.BoundWeight;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionRegion;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.Oracle.FlatRow;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ResultCell;
import dev.braid.store.proto.ResultPartition;
import dev.braid.store.proto.ResultRow;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.TableDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The model-based proof: random schemas (1-3 clustering columns, mixed ASC/DESC, static columns
 * or not), random mutation sequences (inserts, updates, TTLs, cell/row/range/partition deletes,
 * equal timestamps, DESC bounds) applied to the engine and to {@link Oracle}, then random reads
 * (v1 and v2, forward and reversed, limits, paging to the end): the engine's rows and digests
 * equal the oracle's, and v1 equals v2 on every read.
 */
class ModelProperties {
  static final int BASE = 1_000_000;
  static StoreEngine engine;
  static Path dir;
  static final AtomicInteger tables = new AtomicInteger();

  @BeforeContainer
  static void open() throws Exception {
    dir = Files.createTempDirectory("braid-store-model");
    engine = StoreEngine.open(dir, StoreOptions.defaults());
    engine.createKeyspace(KeyspaceDef.newBuilder().setName("ks").setReplicationClass("SimpleStrategy")
        .setReplicationFactor(1).build(), true);
  }

  @AfterContainer
  static void close() throws Exception {
    engine.close();
    TestFiles.deleteRecursively(dir);
  }

  static TableSchema randomTable(Random r) throws Exception {
    TableDef.Builder t = TableDef.newBuilder().setKeyspace("ks").setName("t" + tables.incrementAndGet());
    t.addColumns(ColumnDef.newBuilder().setName("p0").setType("int").setKind(ColumnKind.PARTITION_KEY));
    if (r.nextInt(3) == 0) {
      t.addColumns(ColumnDef.newBuilder().setName("p1").setType("text").setKind(ColumnKind.PARTITION_KEY));
    }
    int nc = 1 + r.nextInt(3);
    for (int i = 0; i < nc; i++) {
      t.addColumns(ColumnDef.newBuilder().setName("c" + i).setType(Gen.type(r).cqlName())
          .setKind(ColumnKind.CLUSTERING).setDescending(r.nextBoolean()));
    }
    int ns = r.nextInt(3) == 0 ? 0 : r.nextInt(3);
    for (int i = 0; i < ns; i++) {
      t.addColumns(ColumnDef.newBuilder().setName("s" + i).setType(Gen.type(r).cqlName()).setKind(ColumnKind.STATIC));
    }
    int nr = 1 + r.nextInt(3);
    for (int i = 0; i < nr; i++) {
      t.addColumns(ColumnDef.newBuilder().setName("r" + i).setType(Gen.type(r).cqlName()).setKind(ColumnKind.REGULAR));
    }
    return engine.createTable(t.build(), false);
  }

  static PartitionKey randomKey(Random r, TableSchema t) {
    Bytes p0 = Bytes.of(ClusteringType.INT.encode(r.nextInt(4)));
    if (t.partitionKeyColumns().size() == 1) {
      return PartitionKey.of(p0);
    }
    return PartitionKey.of(p0, Bytes.of(ClusteringType.TEXT.encode(r.nextBoolean() ? "x" : "y\0")));
  }

  static ByteString value(Random r, ClusteringType t) {
    return ByteString.copyFrom(t.encode(Gen.value(r, t, false)));
  }

  static Cell randomCell(Random r, int col, ClusteringType type, long ts, int now, boolean allowTomb) {
    Cell.Builder c = Cell.newBuilder().setColumn(col).setTimestamp(ts);
    if (allowTomb && r.nextInt(5) == 0) {
      return c.setTombstone(true).setLocalDeletionTime(now).build();
    }
    c.setValue(value(r, type));
    if (r.nextInt(3) == 0) {
      int ttl = 1 + r.nextInt(4);
      c.setTtl(ttl).setLocalDeletionTime(now + ttl);
    }
    return c.build();
  }

  static ClusteringPrefix randomKeyPrefix(Random r, ClusteringSchema s, int len) {
    return Gen.prefix(r, s, len, r.nextInt(8) == 0);
  }

  static List<ByteString> encodeKey(ClusteringSchema s, ClusteringPrefix k) {
    return QueryCodec.forSchema(s).encode(k).getComponentsList();
  }

  static PositionInPartition randomBound(Random r, ClusteringSchema s) {
    int len = r.nextInt(s.size() + 1);
    ClusteringPrefix p = randomKeyPrefix(r, s, len);
    return PositionInPartition.of(PartitionRegion.CLUSTERED,
        r.nextBoolean() ? BoundWeight.BEFORE_ALL_PREFIXED : BoundWeight.AFTER_ALL_PREFIXED, p);
  }

  static Mutation randomMutation(Random r, TableSchema t) {
    ClusteringSchema cs = t.clusteringSchema();
    int now = BASE + r.nextInt(4);
    long ts = 1 + r.nextInt(6);
    Mutation.Builder m = Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id()))
        .setKey(QueryCodec.encode(randomKey(r, t)));
    int op = r.nextInt(10);
    if (op == 9 && t.hasStatics()) {
      int n = 1 + r.nextInt(t.staticColumns().size());
      for (int i = 0; i < n; i++) {
        int col = r.nextInt(t.staticColumns().size());
        m.addStaticCells(randomCell(r, col, t.staticType(col), ts, now, true));
      }
      return m.build();
    }
    if (op == 8) {
      return m.setPartitionDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(ts)
          .setLocalDeletionTime(now)).build();
    }
    if (op == 7) {
      PositionInPartition a = randomBound(r, cs);
      PositionInPartition b = randomBound(r, cs);
      PositionRange range = cs.compare(a, b) <= 0 ? PositionRange.of(a, b) : PositionRange.of(b, a);
      return m.addRangeTombstones(RangeTombstone.newBuilder()
          .setRange(QueryCodec.forSchema(cs).encode(range))
          .setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(ts).setLocalDeletionTime(now)))
          .build();
    }
    int rowsN = 1 + r.nextInt(2);
    for (int k = 0; k < rowsN; k++) {
      Row.Builder row = Row.newBuilder().addAllClustering(encodeKey(cs, randomKeyPrefix(r, cs, cs.size())));
      if (op == 6) {
        row.setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(ts).setLocalDeletionTime(now));
      } else {
        if (op <= 2) {
          LivenessInfo.Builder li = LivenessInfo.newBuilder().setTimestamp(ts);
          if (r.nextInt(4) == 0) {
            int ttl = 1 + r.nextInt(4);
            li.setTtl(ttl).setExpiry(now + ttl);
          }
          row.setMarker(li);
        }
        int n = r.nextInt(t.regularColumns().size() + 1);
        for (int i = 0; i < n; i++) {
          int col = r.nextInt(t.regularColumns().size());
          Cell c = randomCell(r, col, t.regularType(col), ts, now, true);
          if (op == 5) {
            c = Cell.newBuilder().setColumn(col).setTimestamp(ts).setTombstone(true)
                .setLocalDeletionTime(now).build();
          }
          row.addCells(c);
        }
        if (op <= 2 && t.hasStatics() && r.nextInt(4) == 0) {
          int col = r.nextInt(t.staticColumns().size());
          m.addStaticCells(randomCell(r, col, t.staticType(col), ts, now, false));
        }
      }
      m.addRows(row);
    }
    return m.build();
  }

  /** Sorted, non-overlapping position ranges in the table's forward order (maybe none, maybe full). */
  static List<PositionRange> randomRanges(Random r, ClusteringSchema cs) {
    int kind = r.nextInt(8);
    if (kind == 0) {
      return List.of(PositionRange.allClusteredRows());
    }
    if (kind == 1) {
      return List.of();
    }
    int n = 1 + r.nextInt(3);
    List<PositionInPartition> ps = new ArrayList<>();
    for (int i = 0; i < 2 * n; i++) {
      ps.add(randomBound(r, cs));
    }
    ps.sort(cs.positionComparator());
    List<PositionRange> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(PositionRange.of(ps.get(2 * i), ps.get(2 * i + 1)));
    }
    return out;
  }

  static List<Integer> randomColumns(Random r, int n) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (r.nextInt(3) > 0) {
        ids.add(i);
      }
    }
    java.util.Collections.shuffle(ids, r);
    return ids;
  }

  static String show(ResultCell c) {
    if (!c.getPresent()) {
      return "null";
    }
    return Bytes.of(c.getValue().toByteArray()).toHex() + "@" + c.getTimestamp() + "/ttl" + c.getTtl()
        + "/exp" + c.getExpiry();
  }

  static List<FlatRow> flatten(QueryResult q) {
    List<FlatRow> out = new ArrayList<>();
    for (ResultPartition p : q.getPartitionsList()) {
      String pk = QueryCodec.decode(p.getKey()).toString();
      List<String> st = p.getStaticCellsList().stream().map(ModelProperties::show).toList();
      if (p.getRowsCount() == 0) {
        out.add(new FlatRow(pk, st, null, List.of()));
      }
      for (ResultRow row : p.getRowsList()) {
        out.add(new FlatRow(pk, st, row.getClusteringList().stream()
            .map(b -> Bytes.of(b.toByteArray()).toHex()).toList(),
            row.getCellsList().stream().map(ModelProperties::show).toList()));
      }
    }
    return out;
  }

  @Property(tries = 100)
  void engineAgreesWithTheOracleAndV1AgreesWithV2(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    TableSchema t = randomTable(r);
    ClusteringSchema cs = t.clusteringSchema();
    Oracle oracle = new Oracle(t);
    int muts = 5 + r.nextInt(40);
    for (int i = 0; i < muts; i++) {
      List<Mutation> batch = new ArrayList<>();
      int b = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
      for (int j = 0; j < b; j++) {
        batch.add(randomMutation(r, t));
      }
      engine.apply(batch, BASE, 0);
      batch.forEach(oracle::apply);
      if (r.nextInt(30) == 0) {
        engine.flush();
      }
    }
    for (int q = 0; q < 12; q++) {
      read(r, t, cs, oracle);
    }
  }

  static void read(Random r, TableSchema t, ClusteringSchema cs, Oracle oracle) throws Exception {
    boolean reversed = r.nextInt(3) == 0;
    ClusteringSchema order = reversed ? cs.reversed() : cs;
    List<PositionRange> fwd = randomRanges(r, cs);
    List<Integer> statics = randomColumns(r, t.staticColumns().size());
    List<Integer> regulars = randomColumns(r, t.regularColumns().size());
    SliceOptions opts = SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY, SliceOption.SEND_PARTITION_KEY,
        SliceOption.SEND_TIMESTAMP, SliceOption.SEND_EXPIRY, SliceOption.SEND_TTL);
    if (r.nextInt(5) == 0) {
      opts = opts.with(SliceOption.ALWAYS_RETURN_STATIC_CONTENT);
    }
    boolean paged = r.nextInt(3) == 0;
    long rowLimit = !paged && r.nextInt(3) == 0 ? 1 + r.nextInt(6) : ReadCommand.NO_ROW_LIMIT;
    long perPartition = !paged && r.nextInt(4) == 0 ? 1 + r.nextInt(3) : -1L;
    long partitionLimit = !paged && r.nextInt(4) == 0 ? 1 + r.nextInt(2) : ReadCommand.NO_PARTITION_LIMIT;
    PartitionKey single = r.nextBoolean() ? randomKey(r, t) : null;
    int now = BASE + r.nextInt(10);
    PartitionSliceV2 slice = PartitionSliceV2.builder().defaultRowRanges(fwd).staticColumns(statics)
        .regularColumns(regulars).options(opts).partitionRowLimit(perPartition).build();
    if (reversed) {
      slice = slice.reversed();
    }
    ReadCommandV2 cmd = ReadCommandV2.builder().tableId(t.id())
        .schemaVersion(reversed ? t.reversedVersion() : t.version()).slice(slice)
        .timestamp(Instant.ofEpochSecond(now)).rowLimit(rowLimit).partitionLimit(partitionLimit).build();
    PartitionRange pr = single != null ? PartitionRanges.singlePartition(single) : PartitionRanges.all();
    java.util.function.LongPredicate tokens = x -> true;
    if (single == null && r.nextInt(3) == 0) {
      // a (start, end] token range between tokens of the key domain (start < end: no wrap)
      long a = Murmur3Token.token(randomKey(r, t)) + r.nextInt(3) - 1;
      long b = Murmur3Token.token(randomKey(r, t)) + r.nextInt(3) - 1;
      long lo = Math.min(a, b);
      long hi = Math.max(a, b);
      pr = PartitionRanges.tokenRange(lo, hi);
      tokens = x -> x > lo && x <= hi;
    }

    boolean restricted = PartitionSliceV2.hasClusteringRestriction(fwd);
    boolean always = opts.contains(SliceOption.ALWAYS_RETURN_STATIC_CONTENT);
    // the v2 oracle: membership in the forward position ranges
    Oracle.Query oq = new Oracle.Query(order, k -> Oracle.inPositionRanges(cs, fwd, k),
        fwd.isEmpty() || fwd.stream().anyMatch(x -> !x.equals(PositionRange.allClusteredRows())),
        always, statics, regulars, rowLimit, perPartition, partitionLimit, single, now, tokens);
    assertThat(oq.restricted()).isEqualTo(restricted);
    Oracle.Answer expected = oracle.read(oq);
    String ctx = "schema " + cs + " cmd " + cmd + " range " + pr;

    if (paged) {
      int page = 1 + r.nextInt(4);
      long tombLimit = r.nextBoolean() ? 1 + r.nextInt(5) : ReadCommand.NO_TOMBSTONE_LIMIT;
      ReadCommandV2 c = cmd.toBuilder().rowLimit(page).tombstoneLimit(tombLimit).build();
      PartitionRange range = pr;
      List<FlatRow> all = new ArrayList<>();
      for (int pages = 0; pages < 1000; pages++) {
        QueryResult res = engine.readData(c, range, false, 0, Long.MAX_VALUE).result();
        all.addAll(flatten(res));
        Optional<Paging.Page> next = Paging.next(t, c, range,
            res.hasLastPosition() ? res.getLastPosition() : null);
        if (next.isEmpty()) {
          break;
        }
        c = next.get().command();
        range = next.get().range();
      }
      assertThat(all).as("paged v2, " + ctx).isEqualTo(expected.rows());
      return;
    }

    // what the service receives: the command through its wire form
    cmd = QueryCodec.forSchema(cs).decode(QueryCodec.forSchema(cs).encode(cmd));
    StoreEngine.DataResult v2 = engine.readData(cmd, pr, true, 0, Long.MAX_VALUE);
    assertThat(flatten(v2.result())).as("v2 vs oracle, " + ctx).isEqualTo(expected.rows());
    assertThat(v2.digest()).as("v2 digest, " + ctx).isEqualTo(expected.digest());
    assertThat(v2.lastModified()).as("last modified, " + ctx).isEqualTo(expected.lastModified());

    // v1: the same command with legacy ranges (in native reversed layout, or the legacy
    // half-reversed one with the table's schema version), read through the v1 entry point
    ReadCommand v1 = cmd.toLegacy(order);
    if (reversed && r.nextBoolean()) {
      v1 = v1.toBuilder().schemaVersion(t.version()).slice(v1.slice().legacyReversedToNative()).build();
    }
    v1 = QueryCodec.forSchema(cs).decode(QueryCodec.forSchema(cs).encode(v1));
    List<ClusteringRange> legacy = cmd.toLegacy(order).slice().defaultRowRanges();
    Oracle.Query oq1 = new Oracle.Query(order, k -> Oracle.inLegacyRanges(order, legacy, k),
        Oracle.legacyRestricted(legacy), always, statics, regulars, rowLimit, perPartition,
        partitionLimit, single, now, tokens);
    Oracle.Answer expected1 = oracle.read(oq1);
    StoreEngine.DataResult v1r = engine.readData(v1, pr, true, 0, Long.MAX_VALUE);
    assertThat(flatten(v1r.result())).as("v1 vs v2, " + ctx).isEqualTo(flatten(v2.result()));
    assertThat(v1r.digest()).as("v1 digest vs v2, " + ctx).isEqualTo(v2.digest());
    assertThat(expected1.rows()).as("v1 oracle (legacy ranges) vs v2 oracle, " + ctx)
        .isEqualTo(expected.rows());
    if (rowLimit == ReadCommand.NO_ROW_LIMIT && perPartition == -1L
        && partitionLimit == ReadCommand.NO_PARTITION_LIMIT) {
      // the reconcilable result carries everything the result depends on: rebuilt from it alone,
      // an oracle gives the same answer (v1 and v2 mutation reads agree too)
      dev.braid.store.proto.ReconcilableResult rec = engine.readMutationData(cmd, pr, Long.MAX_VALUE);
      assertThat(engine.readMutationData(v1, pr, Long.MAX_VALUE)).isEqualTo(rec);
      Oracle rebuilt = new Oracle(t);
      rec.getPartitionsList().forEach(rebuilt::apply);
      assertThat(rebuilt.read(oq).rows()).as("from the reconcilable result, " + ctx).isEqualTo(expected.rows());
      assertThat(rebuilt.read(oq).digest()).isEqualTo(expected.digest());
    }
    StoreEngine.DigestResult d = engine.readDigest(v1, pr, 0, Long.MAX_VALUE);
    assertThat(d.digest()).isEqualTo(v2.digest());
    assertThat(d.lastModified()).isEqualTo(v2.lastModified());
  }

}
