package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.internal.Cells.CellV;
import dev.braid.store.internal.Cells.Marker;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ResultRow;
import dev.braid.store.proto.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference's semantic rules, one example each, through the engine. */
class SemanticsTest {
  Path dir;
  StoreEngine e;
  TableSchema t;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("braid-store-sem");
    e = StoreEngine.open(dir, StoreOptions.defaults());
    e.createKeyspace(Fixtures.keyspace("ks"), false);
    t = e.createTable(Fixtures.table("ks", "t"), false);
  }

  @AfterEach
  void close() throws Exception {
    e.close();
    TestFiles.deleteRecursively(dir);
  }

  Mutation.Builder m(int k) {
    return Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id())).setKey(QueryCodec.encode(Fixtures.key(k)));
  }

  void apply(Mutation.Builder b) throws Exception {
    e.apply(List.of(b.build()), 1000, 0);
  }

  QueryResult read(List<PositionRange> ranges, long now) throws Exception {
    return e.readData(Fixtures.select(t, ranges, false, now),
        PartitionRanges.singlePartition(Fixtures.key(1)),
        false, 0, Long.MAX_VALUE).result();
  }

  QueryResult readAll() throws Exception {
    return read(List.of(PositionRange.allClusteredRows()), 1000);
  }

  static String v(ResultRow r) {
    return r.getCells(0).getPresent() ? r.getCells(0).getValue().toStringUtf8() : "null";
  }

  Row.Builder row(int c) {
    return Row.newBuilder().addClustering(Fixtures.i(c));
  }

  Cell.Builder cell(long ts, String v) {
    return Cell.newBuilder().setColumn(0).setTimestamp(ts).setValue(Fixtures.s(v));
  }

  @Test
  void tieBreaksFollowCassandra4() {
    CellV live = new CellV(5, false, 0, Integer.MAX_VALUE, new byte[] {1});
    CellV expiring = new CellV(5, false, 10, 2000, new byte[] {0});
    CellV tomb = new CellV(5, true, 0, 1000, new byte[0]);
    CellV newer = new CellV(6, false, 0, Integer.MAX_VALUE, new byte[] {0});
    assertThat(CellV.reconcile(live, newer)).isEqualTo(newer);
    assertThat(CellV.reconcile(live, expiring)).isEqualTo(expiring); // no clock consulted
    assertThat(CellV.reconcile(expiring, tomb)).isEqualTo(tomb);
    assertThat(CellV.reconcile(tomb, expiring)).isEqualTo(tomb);
    CellV later = new CellV(5, false, 10, 3000, new byte[] {0});
    assertThat(CellV.reconcile(expiring, later)).isEqualTo(later);
    // value tie-break on raw unsigned bytes: int -1 (ff ff ff ff) beats 1
    CellV minus1 = new CellV(5, false, 0, Integer.MAX_VALUE, new byte[] {-1, -1, -1, -1});
    CellV one = new CellV(5, false, 0, Integer.MAX_VALUE, new byte[] {0, 0, 0, 1});
    assertThat(CellV.reconcile(one, minus1)).isEqualTo(minus1);
    assertThat(CellV.reconcile(minus1, one)).isEqualTo(minus1);
    assertThat(Marker.reconcile(new Marker(5, 0, 0), new Marker(5, 10,
        2000))).isEqualTo(new Marker(5, 10, 2000));
  }

  @Test
  void aTombstoneWinsItsTimestampTie() throws Exception {
    apply(m(1).addRows(row(1).addCells(cell(5, "a"))));
    apply(m(1).addRows(row(1).setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(5))));
    assertThat(readAll().getRowCount()).isZero();
    apply(m(1).addRows(row(1).addCells(cell(6, "b"))));
    assertThat(v(readAll().getPartitions(0).getRows(0))).isEqualTo("b");
  }

  @Test
  void insertWritesARowMarkerUpdateDoesNot() throws Exception {
    // INSERT (k, c, v) VALUES (1, 1, 'a') then DELETE v: the row stays with v = null
    apply(m(1).addRows(row(1).setMarker(dev.braid.store.proto.LivenessInfo.newBuilder().setTimestamp(1))
        .addCells(cell(1, "a"))));
    apply(m(1).addRows(row(1).addCells(Cell.newBuilder().setColumn(0).setTimestamp(2).setTombstone(true))));
    assertThat(readAll().getRowCount()).isEqualTo(1);
    assertThat(v(readAll().getPartitions(0).getRows(0))).isEqualTo("null");
    // UPDATE ... SET v = 'b' WHERE k = 1 AND c = 2, then DELETE v: the row disappears
    apply(m(1).addRows(row(2).addCells(cell(1, "b"))));
    apply(m(1).addRows(row(2).addCells(Cell.newBuilder().setColumn(0).setTimestamp(2).setTombstone(true))));
    assertThat(readAll().getRowCount()).isEqualTo(1);
  }

  @Test
  void staticOnlyPartitionsAppearOnlyForUnrestrictedQueries() throws Exception {
    apply(m(1).addStaticCells(Cell.newBuilder().setColumn(0).setTimestamp(1).setValue(Fixtures.s("x"))));
    QueryResult all = readAll();
    assertThat(all.getRowCount()).isEqualTo(1);
    assertThat(all.getPartitions(0).getRowsCount()).isZero();
    assertThat(all.getPartitions(0).getStaticCells(0).getValue().toStringUtf8()).isEqualTo("x");
    PositionRange c5 = PositionRange.of(PositionInPartition.beforeKey(ClusteringPrefix.of(5)),
        PositionInPartition.afterAllPrefixed(ClusteringPrefix.of(5)));
    assertThat(read(List.of(c5), 1000).getRowCount()).isZero();
    // a range tombstone over every row never covers the static row
    apply(m(1).addRangeTombstones(RangeTombstone.newBuilder()
        .setRange(QueryCodec.forSchema(t.clusteringSchema()).encode(PositionRange.allClusteredRows()))
        .setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(10))));
    assertThat(readAll().getRowCount()).isEqualTo(1);
    // a partition tombstone does
    apply(m(1).setPartitionDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(10)));
    assertThat(readAll().getRowCount()).isZero();
  }

  @Test
  void rangeTombstonesHideOnlyOlderOrEqualData() throws Exception {
    apply(m(1).addRows(row(1).addCells(cell(5, "a"))).addRows(row(2).addCells(cell(20, "b")))
        .addRows(row(3).addCells(cell(5, "c"))));
    PositionRange upTo2 = PositionRange.of(PositionInPartition.beforeAllClusteredRows(),
        PositionInPartition.afterAllPrefixed(ClusteringPrefix.of(2)));
    apply(m(1).addRangeTombstones(RangeTombstone.newBuilder()
        .setRange(QueryCodec.forSchema(t.clusteringSchema()).encode(upTo2))
        .setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(10))));
    // a later write with an older timestamp stays hidden
    apply(m(1).addRows(row(1).addCells(cell(9, "late"))));
    assertThat(readAll().getPartitions(0).getRowsList()).extracting(SemanticsTest::v).containsExactly("b", "c");
  }

  @Test
  void ttlIsEvaluatedAtTheCommandsTimestamp() throws Exception {
    apply(m(1).addRows(row(1).addCells(cell(1, "a").setTtl(10).setLocalDeletionTime(1010))));
    assertThat(read(List.of(PositionRange.allClusteredRows()), 1009).getRowCount()).isEqualTo(1);
    assertThat(read(List.of(PositionRange.allClusteredRows()),
        1010).getRowCount()).isZero(); // dead at expiry
  }

  @Test
  void tombstoneLimitEndsThePageEarlyWithItsLastPosition() throws Exception {
    for (int c = 0; c < 10; c++) {
      apply(m(1).addRows(row(c).setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(5))));
    }
    apply(m(1).addRows(row(20).addCells(cell(1, "x"))));
    ReadCommandV2 cmd = Fixtures.select(t, List.of(PositionRange.allClusteredRows()), false,
        1000).toBuilder()
        .tombstoneLimit(3).build();
    QueryResult r = e.readData(cmd, PartitionRanges.singlePartition(Fixtures.key(1)), false, 0,
        Long.MAX_VALUE)
        .result();
    assertThat(r.getRowCount()).isZero();
    assertThat(r.getShortRead()).isTrue();
    assertThat(r.getLastPosition().getPosition().getKey().getComponents(0)).isEqualTo(Fixtures.i(2));
  }

  @Test
  void tooManyTombstonesIsATypedOverload() throws Exception {
    e.close();
    e = StoreEngine.open(dir, StoreOptions.defaults().withTombstoneFailureThreshold(5));
    for (int c = 0; c < 10; c++) {
      apply(m(1).addRows(row(c).setDeletion(DeletionTime.newBuilder().setMarkedForDeleteAt(5))));
    }
    assertThatThrownBy(this::readAll).isInstanceOfSatisfying(ReplicaFailure.class,
        f -> assertThat(f.variant().hasTombstoneOverload()).isTrue());
  }

  @Test
  void schemaPersistsAndVersionsAreContentDerived() throws Exception {
    TableSchema again = TableSchema.create(Fixtures.table("ks",
        "t").toBuilder().setId(t.def().getId()).build());
    assertThat(again.version()).isEqualTo(t.version());
    assertThat(TableSchema.create(Fixtures.table("ks", "t").toBuilder().setId(t.def().getId())
        .setMaxReadsPerSecond(5).build()).version()).isNotEqualTo(t.version());
    apply(m(1).addRows(row(1).addCells(cell(1, "a"))));
    e.close();
    e = StoreEngine.open(dir, StoreOptions.defaults());
    assertThat(e.table("ks", "t").def()).isEqualTo(t.def());
    assertThat(e.describe().getKeyspaces(0).getReplicationFactor()).isEqualTo(1);
    assertThat(readAll().getRowCount()).isEqualTo(1);
  }

  @Test
  void refusesALockedOrNewerDirectory() throws Exception {
    assertThatThrownBy(() -> StoreEngine.open(dir,
        StoreOptions.defaults())).isInstanceOf(IOException.class)
        .hasMessageContaining("is locked by another braid node");
    e.close();
    Files.writeString(dir.resolve("FORMAT"), "braid-store format 2\n");
    assertThatThrownBy(() -> StoreEngine.open(dir,
        StoreOptions.defaults())).isInstanceOf(IOException.class)
        .hasMessageContaining("was written by braid-store format 2");
    Files.writeString(dir.resolve("FORMAT"), "braid-store format 1\n");
    e = StoreEngine.open(dir, StoreOptions.defaults());
  }

  @Test
  void badValuesAndSchemasGetClearErrors() {
    assertThatThrownBy(() -> apply(m(1).addRows(row(1).addCells(Cell.newBuilder().setColumn(1).setTimestamp(1)
        .setValue(ByteString.copyFromUtf8("abc")))))).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("invalid value for column w of type int");
    assertThatThrownBy(() -> apply(m(1).addRows(row(1).addCells(cell(1, "a").setTtl(-1)))))
        .hasMessageContaining("A TTL must be greater or equal to 0, but was -1");
    assertThatThrownBy(() -> apply(Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id()))
        .setKey(dev.braid.query.proto.PartitionKey.newBuilder().addComponents(ByteString.EMPTY))))
        .hasMessageContaining("Key may not be empty");
    assertThatThrownBy(() -> e.createTable(Fixtures.table("nope", "t"), false))
        .hasMessageContaining("Keyspace 'nope' does not exist");
    assertThatThrownBy(() -> e.createTable(Fixtures.table("ks", "t"),
        false)).hasMessageContaining("already exists");
  }

  @Test
  void cacheTemperatureComesFromTheBlockCache() throws Exception {
    apply(m(1).addRows(row(1).addCells(cell(1, "a"))));
    e.flush();
    for (int i = 0; i < 5; i++) {
      readAll();
    }
    assertThat(e.cacheTemperature()).isBetween(1, 255);
  }
}
