package dev.braid.cql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cql.plan.CreateKeyspacePlan;
import dev.braid.cql.plan.CreateTablePlan;
import dev.braid.cql.plan.DeletePlan;
import dev.braid.cql.plan.Plan;
import dev.braid.cql.plan.SelectPlan;
import dev.braid.cql.plan.ShellPlan;
import dev.braid.cql.plan.WritePlan;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.Notation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The plans of known statements: the range shapes Cassandra and ScyllaDB build, writes, deletes. */
class PlanShapesTest {
  static final TestSchema SCHEMA = CqlErrorsTest.SCHEMA;

  static Plan plan(String s) {
    return Cql.prepare(s, SCHEMA, "ks");
  }

  static List<String> legacy(String s) {
    return ((SelectPlan) plan(s)).clusteringRanges().stream().map(Object::toString).toList();
  }

  static List<String> positions(String s) {
    return ((SelectPlan) plan(s)).positionRanges().stream().map(Object::toString).toList();
  }

  @Test
  void scylla21604MultiColumnShapeIsTheNonEmptyInvertedRange() {
    String q = "SELECT * FROM m WHERE k = 0 and (ck1, ck2, ck3) >= (5, 6, 7) and (ck1, ck2) <= (5, 6)";
    assertThat(legacy(q)).containsExactly("[(5,6,7), (5,6)]");
    assertThat(positions(q)).containsExactly("[before(5,6,7), after(5,6))");
  }

  @Test
  void scylla8157IntersectionOfPrefixBoundsIsNotEmpty() {
    String q = "SELECT * FROM m WHERE k = 0 AND (ck1, ck2, ck3) >= (1, 1, 1) AND (ck1, ck2) <= (1, 1)";
    assertThat(positions(q)).containsExactly("[before(1,1,1), after(1,1))");
    // and the empty ones stay empty
    assertThat(positions("SELECT * FROM m WHERE k = 0 AND (ck1, ck2, ck3) >= (1, 2, 3)"
        + " AND (ck1, ck2) < (1, 2)")).isEmpty();
    assertThat(positions("SELECT * FROM m WHERE k = 0 AND (ck1, ck2) > (1, 2)"
        + " AND (ck1, ck2, ck3) <= (1, 2, 3)")).isEmpty();
  }

  @Test
  void referenceExamplesOfSingleAndMultiColumnRanges() {
    assertThat(legacy("SELECT * FROM t WHERE k = 1 AND c1 = 123 AND c2 > '321'"))
        .containsExactly("((123,'321'), (123)]");
    assertThat(legacy("SELECT * FROM t WHERE k = 1 AND c1 >= 123")).containsExactly("[(123), +inf)");
    assertThat(legacy("SELECT * FROM t WHERE k = 1 AND c1 IN (3, 1, 2, 1)"))
        .containsExactly("{(1)}", "{(2)}", "{(3)}");
    assertThat(legacy("SELECT * FROM m WHERE k = 1 AND (ck1, ck2) >= (1, 2) AND (ck1) < (9)"))
        .containsExactly("[(1,2), (9))");
    assertThat(legacy("SELECT * FROM m WHERE k = 1 AND (ck1, ck2, ck3) > (1, 2, 3)"
        + " AND (ck1, ck2) < (10, 20)")).containsExactly("((1,2,3), (10,20))");
    assertThat(legacy("SELECT * FROM m WHERE k = 1 AND (ck1, ck2) IN ((10, 20), (1, 2))"))
        .containsExactly("{(1,2)}", "{(10,20)}");
    assertThat(legacy("SELECT * FROM t WHERE k = 1 AND c1 > 5 AND c1 < 3")).isEmpty();
    assertThat(legacy("SELECT * FROM t WHERE k = 1")).containsExactly("(-inf, +inf)");
  }

  @Test
  void descColumnsSwapSlicesAndMixedOrderTuplesSplit() {
    // d: a ASC, b DESC
    assertThat(legacy("SELECT * FROM d WHERE k = 1 AND a = 1 AND b > 3"))
        .containsExactly("[(1), (1,3))");
    // (a,b) < (5,5) = a < 5 OR (a = 5 AND b < 5): two storage ranges
    assertThat(legacy("SELECT * FROM d WHERE k = 1 AND (a, b) < (5, 5)"))
        .containsExactly("(-inf, (5))", "((5,5), (5)]");
    SelectPlan rev = (SelectPlan) plan("SELECT * FROM d WHERE k = 1 AND (a, b) < (5, 5)"
        + " ORDER BY a DESC, b ASC");
    assertThat(rev.reversed()).isTrue();
    assertThat(rev.nativeReversedRanges().stream().map(Object::toString))
        .containsExactly("[before(5), before(5,5))", "[after(5), after_all)");
  }

  @Test
  void orderByMaySkipColumnsRestrictedByEquality() {
    SelectPlan p = (SelectPlan) plan("SELECT * FROM t WHERE k = 1 AND c1 = 2 ORDER BY c2 DESC");
    assertThat(p.reversed()).isTrue();
    assertThat(p.orderBy()).isTrue();
  }

  @Test
  void selectionLimitsAndScans() {
    SelectPlan p = (SelectPlan) plan("SELECT token(k), v, c1 FROM t PER PARTITION LIMIT 2 LIMIT 10");
    assertThat(p.scan()).isTrue();
    assertThat(p.partitionKeys()).isEmpty();
    assertThat(p.selection()).extracting(SelectPlan.Selected::name)
        .containsExactly("token(k)", "v", "c1");
    assertThat(p.selectedColumns()).containsExactly("v", "c1");
    assertThat(p.perPartitionLimit()).hasValue(2);
    assertThat(p.limit()).hasValue(10);
    assertThat(p.hasClusteringRestriction()).isFalse();
    SelectPlan in = (SelectPlan) plan("select * from p where k1 in (1, 2) and k2 in ('a', 'b', 'a')");
    assertThat(in.partitionKeys()).containsExactly(List.of(1, "a"), List.of(1, "b"),
        List.of(2, "a"), List.of(2, "b"));
    assertThat(in.selection()).extracting(SelectPlan.Selected::name)
        .containsExactly("k1", "k2", "c", "v");
  }

  @Test
  void insertWithTimestampAndTtl() {
    WritePlan w = (WritePlan) plan("INSERT INTO t (k, c1, c2, v, s) VALUES (1, 2, 'x', null, 7)"
        + " USING TTL 60 AND TIMESTAMP 1234");
    assertThat(w.insert()).isTrue();
    assertThat(w.rowMarker()).isTrue();
    assertThat(w.partitionKeys()).containsExactly(List.of(1));
    assertThat(w.clusterings()).containsExactly(ClusteringPrefix.of(2, "x"));
    assertThat(w.cells()).containsExactly(new WritePlan.Cell("v", null), new WritePlan.Cell("s", 7));
    assertThat(w.timestamp()).hasValue(1234);
    assertThat(w.ttl()).hasValue(60);
    WritePlan ts = (WritePlan) plan("INSERT INTO t (k, c1, c2) VALUES (1, 2, 'x') USING TIMESTAMP 9");
    assertThat(ts.ttl()).isEmpty();
    assertThat(ts.timestamp()).hasValue(9);
    WritePlan st = (WritePlan) plan("INSERT INTO t (k, s) VALUES (1, 3)");
    assertThat(st.staticOnly()).isTrue();
    assertThat(st.rowMarker()).isFalse();
  }

  @Test
  void updateWritesNoMarkerAndAcceptsIn() {
    WritePlan w = (WritePlan) plan("UPDATE t USING TTL 5 SET v = 3 WHERE k IN (1, 2) AND c1 = 1"
        + " AND c2 IN ('b', 'a')");
    assertThat(w.insert()).isFalse();
    assertThat(w.rowMarker()).isFalse();
    assertThat(w.partitionKeys()).containsExactly(List.of(1), List.of(2));
    assertThat(w.clusterings()).containsExactly(ClusteringPrefix.of(1, "a"),
        ClusteringPrefix.of(1, "b"));
    WritePlan st = (WritePlan) plan("UPDATE t SET s = 1 WHERE k = 1");
    assertThat(st.staticOnly()).isTrue();
  }

  @Test
  void deleteKinds() {
    DeletePlan part = (DeletePlan) plan("DELETE FROM t WHERE k = 1");
    assertThat(part.kind()).isEqualTo(DeletePlan.Kind.PARTITION);
    DeletePlan row = (DeletePlan) plan("DELETE FROM t USING TIMESTAMP 3 WHERE k = 1 AND c1 = 1"
        + " AND c2 = 'a'");
    assertThat(row.kind()).isEqualTo(DeletePlan.Kind.ROWS);
    assertThat(row.rows()).containsExactly(ClusteringPrefix.of(1, "a"));
    assertThat(row.timestamp()).hasValue(3);
    DeletePlan cells = (DeletePlan) plan("DELETE v, s FROM t WHERE k = 1 AND c1 = 1 AND c2 = 'a'");
    assertThat(cells.kind()).isEqualTo(DeletePlan.Kind.CELLS);
    assertThat(cells.columns()).containsExactly("v", "s");
    DeletePlan st = (DeletePlan) plan("DELETE s FROM t WHERE k = 1");
    assertThat(st.kind()).isEqualTo(DeletePlan.Kind.STATIC_CELLS);
    DeletePlan r1 = (DeletePlan) plan("DELETE FROM t WHERE k = 1 AND c1 > 1 AND c1 <= 5");
    assertThat(r1.kind()).isEqualTo(DeletePlan.Kind.RANGES);
    assertThat(r1.clusteringRanges().toString()).isEqualTo("[((1), (5)]]");
    DeletePlan r2 = (DeletePlan) plan("DELETE FROM t WHERE k = 1 AND c1 = 1 AND c2 < 'm'");
    assertThat(r2.ranges().toString()).isEqualTo("[[before(1), before(1,'m'))]");
    DeletePlan r3 = (DeletePlan) plan("DELETE FROM m WHERE k = 1 AND (ck1, ck2) >= (1, 2)"
        + " AND (ck1) < (3)");
    assertThat(r3.clusteringRanges().toString()).isEqualTo("[[(1,2), (3))]");
    DeletePlan r4 = (DeletePlan) plan("DELETE FROM t WHERE k = 1 AND c1 = 1");
    assertThat(r4.ranges().toString()).isEqualTo("[[before(1), after(1))]");
  }

  @Test
  void allTypesParseTheirLiterals() {
    TestSchema s = new TestSchema().create("ks", "CREATE TABLE all_types (k uuid, c timestamp,"
        + " b blob, bo boolean, d double, bi bigint, tx varchar, i int, PRIMARY KEY (k, c))"
        + " WITH CLUSTERING ORDER BY (c DESC)");
    WritePlan w = (WritePlan) Cql.prepare("INSERT INTO all_types (k, c, b, bo, d, bi, tx, i)"
        + " VALUES (123e4567-e89b-12d3-a456-426614174000, '2024-01-02 03:04:05.678+0000', 0xCAFE,"
        + " true, -1.5e3, -9000000000, 'it''s', -7)", s, "ks");
    assertThat(w.partitionKeys().get(0)).containsExactly(
        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    assertThat(w.clusterings().get(0).get(0)).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
    assertThat(w.cells()).extracting(WritePlan.Cell::value).containsExactly(
        Bytes.fromHex("cafe"), true, -1500.0, -9_000_000_000L, "it's", -7);
    CreateTablePlan ct = (CreateTablePlan) Cql.prepare("CREATE TABLE IF NOT EXISTS all_types"
        + " (k int PRIMARY KEY)", s, "ks");
    assertThat(ct.ifNotExists()).isTrue();
    assertThat(s.table("ks", "all_types").orElseThrow().clustering().get(0).order())
        .isEqualTo(ClusteringOrder.DESC);
    assertThat(Notation.parseSchema("timestamp desc"))
        .isEqualTo(s.table("ks", "all_types").orElseThrow().clusteringSchema());
    WritePlan ms = (WritePlan) Cql.prepare("INSERT INTO all_types (k, c, d) VALUES"
        + " (123e4567-e89b-12d3-a456-426614174000, 1700000000000, NaN)", s, "ks");
    assertThat(ms.cells().get(0).value()).isEqualTo(Double.NaN);
  }

  @Test
  void schemaAndShellPlans() {
    CreateKeyspacePlan ks = (CreateKeyspacePlan) plan("CREATE KEYSPACE IF NOT EXISTS demo WITH"
        + " replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
    assertThat(ks.keyspace().replicationFactor()).isEqualTo(3);
    assertThat(plan("PAGING 50")).isEqualTo(new ShellPlan.Paging(java.util.OptionalInt.of(50),
        false, false));
    assertThat(plan("paging off;")).isEqualTo(new ShellPlan.Paging(java.util.OptionalInt.empty(),
        true, false));
    assertThat(plan("TRACING ON")).isEqualTo(new ShellPlan.Tracing(true));
    assertThat(plan("CONSISTENCY quorum")).isEqualTo(new ShellPlan.SetConsistency(
        dev.braid.cql.plan.Consistency.QUORUM));
    assertThat(plan("DESCRIBE TABLE t")).isEqualTo(new ShellPlan.Describe(
        ShellPlan.Describe.Kind.TABLE, "ks", "t"));
    assertThat(plan("DESC KEYSPACES")).isInstanceOf(ShellPlan.Describe.class);
    assertThat(plan("SHOW CLUSTER")).isInstanceOf(ShellPlan.ShowCluster.class);
    assertThat(plan("SOURCE 'x.cql'")).isEqualTo(new ShellPlan.Source("x.cql"));
    assertThat(plan("HELP SELECT")).isInstanceOf(ShellPlan.Help.class);
    assertThat(plan("quit")).isInstanceOf(ShellPlan.Exit.class);
  }

  @Test
  void splittingAndCompleteness() {
    assertThat(Cql.split("SELECT 'a;b' FROM t; -- c;\n INSERT x; /* ; */ "))
        .extracting(Cql.Fragment::text)
        .containsExactly("SELECT 'a;b' FROM t", " -- c;\n INSERT x");
    assertThat(Cql.isComplete("SELECT * FROM t")).isFalse();
    assertThat(Cql.isComplete("SELECT * FROM t\nWHERE k = 1;")).isTrue();
    assertThat(Cql.isComplete("INSERT INTO t (k) VALUES (';')")).isFalse();
    assertThat(Cql.isComplete("INSERT INTO t (k) VALUES (';');  -- done")).isTrue();
    assertThat(Cql.isComplete("help")).isTrue();
    assertThat(Cql.isComplete("exit")).isTrue();
    assertThat(Cql.isComplete("DESCRIBE TABLES")).isTrue();
  }
}
