package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid shell} as a user runs it: one real {@code braid node} process, and every
 * {@code braid shell HOST:PORT -e ...} a process of its own (standard output, error and exit
 * status of that process), in both formats. The expected rows of every query are computed here
 * from the inserted data with a direct predicate over the values (CQL tuple comparison in each
 * column's natural order) and the table's clustering order; the shell and the node never see
 * that oracle.
 */
class ShellAsUserTest {
  @TempDir
  static Path root;

  static NodeProcesses nodes;
  static NodeProcesses.Proc node;
  static String addr;

  /** One row of partition 1 of {@code ks.t}: clustering (a ASC, b DESC, c ASC), value v. */
  record R(int a, String b, int c, int v) {
    String json() {
      return "{\"a\": " + a + ", \"b\": \"" + b + "\", \"c\": " + c + ", \"v\": " + v + "}";
    }

    List<String> cells() {
      return List.of(Integer.toString(a), b, Integer.toString(c), Integer.toString(v));
    }
  }

  /** Clustering order of ks.t: a ASC, b DESC, c ASC. */
  static final Comparator<R> CLUSTERING = Comparator.comparingInt(R::a)
      .thenComparing(R::b, Comparator.reverseOrder()).thenComparingInt(R::c);

  static final List<R> DATA = new ArrayList<>();

  static {
    List<String> bs = List.of("x", "y", "z");
    for (int a = 0; a < 3; a++) {
      for (int bi = 0; bi < 3; bi++) {
        for (int c = 0; c < 3; c++) {
          DATA.add(new R(a, bs.get(bi), c, a * 100 + bi * 10 + c));
        }
      }
    }
  }

  /** CQL tuple comparison: lexicographic, each column in its natural order. */
  static int cmp(R r, Object... t) {
    Object[] mine = {r.a, r.b, r.c};
    for (int i = 0; i < t.length; i++) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      int d = ((Comparable) mine[i]).compareTo(t[i]);
      if (d != 0) {
        return Integer.signum(d);
      }
    }
    return 0;
  }

  static List<R> expected(Predicate<R> where, Comparator<R> order, int limit) {
    return DATA.stream().filter(where).sorted(order).limit(limit).toList();
  }

  static String insertsOf(int p, List<R> rows, String extra) {
    StringBuilder sb = new StringBuilder();
    for (R r : rows) {
      sb.append("INSERT INTO ks.t (p, a, b, c, v) VALUES (").append(p).append(", ").append(r.a)
          .append(", '").append(r.b).append("', ").append(r.c).append(", ").append(r.v)
          .append(")").append(extra).append(";\n");
    }
    return sb.toString();
  }

  @BeforeAll
  static void startNodeAndLoad() throws Exception {
    nodes = new NodeProcesses(root);
    node = nodes.node("n1").start(2);
    addr = node.address();
    ok(shell("table", """
        CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE TABLE ks.t (p int, a int, b text, c int, s text static, v int,
          PRIMARY KEY (p, a, b, c)) WITH CLUSTERING ORDER BY (a ASC, b DESC, c ASC);
        INSERT INTO ks.t (p, s) VALUES (1, 'st1');
        """ + insertsOf(1, DATA, "") + insertsOf(2, DATA, "")));
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  static BraidProcess.Result shell(String format, String script, String... more)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("shell", addr, "--format", format, "-e", script));
    args.addAll(List.of(more));
    return BraidProcess.run(null, args.toArray(String[]::new));
  }

  static BraidProcess.Result ok(BraidProcess.Result r) {
    assertThat(r.exitCode()).as("exit status; stderr: %s", r.err()).isZero();
    return r;
  }

  /** The row blocks of table output: per result, its header cells then each row's cells. */
  static List<List<List<String>>> tables(String out) {
    List<List<List<String>>> blocks = new ArrayList<>();
    List<String> lines = out.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (i + 1 < lines.size() && lines.get(i + 1).matches("-+(\\+-+)*")) {
        List<List<String>> block = new ArrayList<>();
        block.add(cellsOf(lines.get(i)));
        int j = i + 2;
        for (; j < lines.size() && !lines.get(j).isEmpty(); j++) {
          block.add(cellsOf(lines.get(j)));
        }
        assertThat(lines.get(j + 1)).isEqualTo("(" + (block.size() - 1) + " rows)");
        blocks.add(block);
        i = j;
      }
    }
    return blocks;
  }

  static List<String> cellsOf(String line) {
    List<String> cells = new ArrayList<>();
    for (String c : line.split("\\|", -1)) {
      cells.add(c.strip());
    }
    return cells;
  }

  static List<List<String>> tableOf(List<R> rows, String... header) {
    List<List<String>> t = new ArrayList<>();
    t.add(List.of(header));
    rows.forEach(r -> t.add(r.cells()));
    return t;
  }

  static String jsonOf(List<R> rows) {
    return rows.stream().map(r -> r.json() + "\n").collect(Collectors.joining());
  }

  // #8157 shape: a multi-column slice over ASC and DESC columns; #21604 shape: bounds of
  // different lengths; a reversed query with LIMIT.
  static final String Q8157 = "SELECT a, b, c, v FROM ks.t WHERE p = 1"
      + " AND (a, b) > (0, 'y') AND (a, b) <= (2, 'x')";
  static final Predicate<R> W8157 = r -> cmp(r, 0, "y") > 0 && cmp(r, 2, "x") <= 0;
  static final String Q21604 = "SELECT a, b, c, v FROM ks.t WHERE p = 1"
      + " AND (a, b, c) >= (1, 'y', 1) AND (a, b) <= (1, 'y')";
  static final Predicate<R> W21604 = r -> cmp(r, 1, "y", 1) >= 0 && cmp(r, 1, "y") <= 0;
  static final String Q21604B = "SELECT a, b, c, v FROM ks.t WHERE p = 1"
      + " AND (a, b, c) >= (0, 'z', 2) AND (a, b) <= (1, 'x')";
  static final Predicate<R> W21604B = r -> cmp(r, 0, "z", 2) >= 0 && cmp(r, 1, "x") <= 0;
  static final String QREV = "SELECT a, b, c, v FROM ks.t WHERE p = 1 AND a >= 1"
      + " ORDER BY a DESC, b ASC, c DESC LIMIT 7";
  static final Predicate<R> WREV = r -> r.a >= 1;

  @Test
  void multiColumnSlicesAndReversedQueriesInBothFormats() throws Exception {
    String script = String.join(";\n", Q8157, Q21604, Q21604B, QREV) + ";";
    List<R> e8157 = expected(W8157, CLUSTERING, 100);
    List<R> e21604 = expected(W21604, CLUSTERING, 100);
    List<R> e21604b = expected(W21604B, CLUSTERING, 100);
    List<R> eRev = expected(WREV, CLUSTERING.reversed(), 7);
    assertThat(e8157).hasSizeGreaterThan(5);
    assertThat(e21604).hasSize(2);
    assertThat(e21604b).hasSizeGreaterThan(1);
    assertThat(eRev).hasSize(7);

    BraidProcess.Result json = ok(shell("json", script));
    assertThat(json.out()).isEqualTo(jsonOf(e8157) + jsonOf(e21604) + jsonOf(e21604b)
        + jsonOf(eRev));

    BraidProcess.Result table = ok(shell("table", script));
    String[] h = {"a", "b", "c", "v"};
    assertThat(tables(table.out())).containsExactly(tableOf(e8157, h), tableOf(e21604, h),
        tableOf(e21604b, h), tableOf(eRev, h));

    // the static column is on every row of its partition, and a static-only row was inserted
    BraidProcess.Result st = ok(shell("table", "SELECT p, a, s FROM ks.t WHERE p = 1 AND a = 2"
        + " AND b = 'z'"));
    List<List<String>> block = tables(st.out()).get(0);
    assertThat(block.get(0)).containsExactly("p", "a", "s");
    assertThat(block.subList(1, block.size())).hasSize(3)
        .allSatisfy(row -> assertThat(row).containsExactly("1", "2", "st1"));
  }

  @Test
  void rangeDeleteWithMultiColumnBoundsRemovesExactlyThoseRows() throws Exception {
    Predicate<R> deleted = r -> cmp(r, 0, "x", 1) > 0 && cmp(r, 1, "y") <= 0;
    List<R> remaining = expected(deleted.negate(), CLUSTERING, 100);
    assertThat(remaining.size()).isBetween(1, DATA.size() - 5);
    BraidProcess.Result r = ok(shell("json", "DELETE FROM ks.t WHERE p = 2"
        + " AND (a, b, c) > (0, 'x', 1) AND (a, b) <= (1, 'y');"
        + " SELECT a, b, c, v FROM ks.t WHERE p = 2;"));
    assertThat(r.out()).isEqualTo(jsonOf(remaining));
    // and reversed, from another process: the same rows backwards
    BraidProcess.Result rev = ok(shell("table",
        "SELECT a, b, c, v FROM ks.t WHERE p = 2 ORDER BY a DESC, b ASC, c DESC"));
    assertThat(tables(rev.out())).containsExactly(
        tableOf(expected(deleted.negate(), CLUSTERING.reversed(), 100), "a", "b", "c", "v"));
  }

  @Test
  void aRowWithTtlExpiresAndTheOtherStays() throws Exception {
    ok(shell("table", "INSERT INTO ks.t (p, a, b, c, v) VALUES (3, 0, 'x', 0, 1) USING TTL 1;"
        + " INSERT INTO ks.t (p, a, b, c, v) VALUES (3, 0, 'x', 1, 2);"));
    String stays = "{\"a\": 0, \"b\": \"x\", \"c\": 1, \"v\": 2}\n";
    String[] last = new String[1];
    NodeProcesses.await("the TTL row of partition 3 to expire", 30, () -> {
      try {
        last[0] = ok(shell("json", "SELECT a, b, c, v FROM ks.t WHERE p = 3")).out();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      assertThat(last[0]).endsWith(stays); // the row without TTL is always there
      return last[0].equals(stays);
    });
  }

  @Test
  void aFailingStatementShowsItsCaretAndStopsTheScript() throws Exception {
    String bad = "SELECT nope FROM ks.t WHERE p = 1";
    BraidProcess.Result r = shell("table", "INSERT INTO ks.t (p, a, b, c, v) VALUES"
        + " (4, 0, 'x', 0, 7); " + bad + "; INSERT INTO ks.t (p, a, b, c, v) VALUES"
        + " (4, 0, 'x', 1, 8);");
    assertThat(r.exitCode()).isEqualTo(1);
    int col = bad.indexOf("nope");
    assertThat(r.err()).isEqualTo("InvalidRequest: Undefined column name nope in table ks.t"
        + " at column " + (col + 1) + "\n  " + bad + "\n  " + " ".repeat(col) + "^\n");
    // the statement before it ran, the one after it did not
    assertThat(ok(shell("json", "SELECT c, v FROM ks.t WHERE p = 4")).out())
        .isEqualTo("{\"c\": 0, \"v\": 7}\n");
  }

  @Test
  void jsonValuesAreTyped() throws Exception {
    BraidProcess.Result r = ok(shell("json", """
        CREATE TABLE ks.types (k int PRIMARY KEY, big bigint, t text, bl blob, bo boolean,
          d double, u uuid, ts timestamp);
        INSERT INTO ks.types (k, big, t, bl, bo, d, u, ts) VALUES (1, 9000000000, 'it''s',
          0xcafe, true, -1.5, 5132b130-ae79-11e4-ab27-0800200c9a66, '2024-01-02 03:04:05.678+0000');
        INSERT INTO ks.types (k, t) VALUES (2, 'only');
        SELECT k, big, t, bl, bo, d, u, ts FROM ks.types WHERE k IN (1, 2);
        """));
    assertThat(r.out()).isEqualTo("{\"k\": 1, \"big\": 9000000000, \"t\": \"it's\", \"bl\":"
        + " \"0xcafe\", \"bo\": true, \"d\": -1.5, \"u\": \"5132b130-ae79-11e4-ab27-0800200c9a66\","
        + " \"ts\": \"2024-01-02T03:04:05.678Z\"}\n"
        + "{\"k\": 2, \"big\": null, \"t\": \"only\", \"bl\": null, \"bo\": null, \"d\": null,"
        + " \"u\": null, \"ts\": null}\n");
  }

  @Test
  void badInputGetsAClearErrorAndTheNodeKeepsServing() throws Exception {
    // each: statement, the start of its error
    String big = "0x" + "ab".repeat((1 << 20) + 1); // one byte over the 1 MiB cell limit
    Path bigScript = root.resolve("big.cql");
    Files.writeString(bigScript, "INSERT INTO ks.t (p, a, b, c, v) VALUES (5, 0, 'x', 0, 1);\n"
        + "CREATE TABLE IF NOT EXISTS ks.blobs (k int PRIMARY KEY, x blob);\n"
        + "INSERT INTO ks.blobs (k, x) VALUES (1, " + big + ");\n"
        + "INSERT INTO ks.t (p, a, b, c, v) VALUES (5, 0, 'x', 1, 2);\n");
    String[][] cases = {
        {"SELEC a FROM ks.t WHERE p = 1", "SyntaxException: "},
        {"SELECT a FROM nosuch.t WHERE p = 1", "InvalidRequest: "},
        {"SELECT a FROM ks.nosuch WHERE p = 1", "InvalidRequest: "},
        {"INSERT INTO ks.t (p, a, b, c, zz) VALUES (1, 0, 'x', 0, 1)", "InvalidRequest: "},
        {"INSERT INTO ks.t (p, a, b, c, v) VALUES (1, 'x', 'x', 0, 1)", "InvalidRequest: "},
        {"SELECT a FROM ks.t WHERE p = 1 AND b = 'x'", "InvalidRequest: "},
        {"SELECT a FROM ks.t WHERE p = 1 AND v = 3", "InvalidRequest: "},
        {"INSERT INTO ks.t (p, a, b, c, v) VALUES (1, 0, '" + "k".repeat(70_000) + "', 0, 1)",
            "InvalidRequest: "},
    };
    String[] mentions = {"SELEC", "nosuch", "nosuch", "zz", "int", "b", "v", "65535"};
    for (int i = 0; i < cases.length; i++) {
      BraidProcess.Result r = shell("table", cases[i][0] + "; SELECT a FROM ks.t WHERE p = 1");
      assertThat(r.exitCode()).as(cases[i][0] + "\n" + r.err()).isEqualTo(1);
      assertThat(r.out()).as(cases[i][0]).doesNotContain("rows)");
      assertThat(r.err()).as(cases[i][0]).startsWith(cases[i][1]).contains(mentions[i]);
      assertThat(node.process.isAlive()).isTrue();
    }
    BraidProcess.Result over = BraidProcess.run(null, "shell", addr, "--format", "json", "-f",
        bigScript.toString());
    assertThat(over.exitCode()).as(over.err()).isEqualTo(1);
    assertThat(over.err()).contains("1048576");
    assertThat(over.err().length()).isLessThan(2000); // names the limit, does not echo 2 MiB
    // the statement before it ran, the one after it did not; the node answers another process
    assertThat(ok(shell("json", "SELECT c, v FROM ks.t WHERE p = 5")).out())
        .isEqualTo("{\"c\": 0, \"v\": 1}\n");
    assertThat(ok(shell("json", Q21604)).out())
        .isEqualTo(jsonOf(expected(W21604, CLUSTERING, 100)));
  }
}
