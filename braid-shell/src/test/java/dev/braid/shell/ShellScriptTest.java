package dev.braid.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid shell -e}: scripts against the fake backend, both output formats, errors. */
class ShellScriptTest {
  static final String SETUP = """
      CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
      USE ks;
      CREATE TABLE mc (id int, ck1 int, ck2 int, ck3 int, r int, PRIMARY KEY (id, ck1, ck2, ck3));
      CREATE TABLE mixed (k int, a int, b text, s text static, v double,
          PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (a ASC, b DESC);
      """;

  final FakeBackend backend = new FakeBackend();
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(OutputFormat f, String script) {
    Shell shell = new Shell(backend, f, new PrintWriter(out), new PrintWriter(err));
    return shell.runScript(script);
  }

  void setup() {
    assertThat(run(OutputFormat.TABLE, SETUP)).as(err.toString()).isZero();
    StringBuilder ins = new StringBuilder("USE ks;");
    for (int a = 4; a <= 6; a++) {
      for (int b = 5; b <= 7; b++) {
        for (int c = 6; c <= 8; c++) {
          ins.append("INSERT INTO mc (id, ck1, ck2, ck3, r) VALUES (0, ").append(a).append(", ")
              .append(b).append(", ").append(c).append(", ").append(a * 100 + b * 10 + c)
              .append(");");
        }
      }
    }
    assertThat(run(OutputFormat.TABLE, ins.toString())).as(err.toString()).isZero();
    out.getBuffer().setLength(0);
  }

  @Test
  void scylla21604ShapeReturnsTheRightRows() {
    setup();
    int rc = run(OutputFormat.JSON, "USE ks; SELECT ck3, r FROM mc WHERE id = 0 and"
        + " (ck1, ck2, ck3) >= (5, 6, 7) and (ck1, ck2) <= (5, 6);");
    assertThat(rc).isZero();
    assertThat(out.toString()).isEqualTo("{\"ck3\": 7, \"r\": 567}\n{\"ck3\": 8, \"r\": 568}\n");
  }

  @Test
  void scylla8157ShapeReversedAndLimited() {
    setup();
    int rc = run(OutputFormat.JSON, "USE ks; SELECT r FROM mc WHERE id = 0 AND (ck1, ck2) >= (5, 6)"
        + " AND (ck1) <= (5) ORDER BY ck1 DESC LIMIT 4;");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(
        "{\"r\": 578}\n{\"r\": 577}\n{\"r\": 576}\n{\"r\": 568}\n");
  }

  @Test
  void tableFormatLikeCqlsh() {
    setup();
    run(OutputFormat.TABLE, "USE ks; SELECT ck1, ck2, ck3, r FROM mc WHERE id = 0 AND ck1 = 4"
        + " AND ck2 = 5 AND ck3 IN (8, 6);");
    assertThat(out.toString()).isEqualTo("""

         ck1 | ck2 | ck3 | r
        -----+-----+-----+-----
           4 |   5 |   6 | 456
           4 |   5 |   8 | 458

        (2 rows)
        """);
    out.getBuffer().setLength(0);
    run(OutputFormat.TABLE, "USE ks; SELECT * FROM mc WHERE id = 7;");
    assertThat(out.toString()).isEqualTo(
        "\n id | ck1 | ck2 | ck3 | r\n----+-----+-----+-----+---\n\n(0 rows)\n");
  }

  @Test
  void rangeDeleteWithMultiColumnBoundsAndMixedOrder() {
    setup();
    assertThat(run(OutputFormat.JSON, "USE ks; DELETE FROM mc WHERE id = 0 AND (ck1, ck2) >= (4, 6)"
        + " AND (ck1) < (6); SELECT count_me FROM mc WHERE id = 1;")).isEqualTo(1);
    assertThat(err.toString()).contains("Undefined column name count_me in table ks.mc");
    out.getBuffer().setLength(0);
    run(OutputFormat.JSON, "SELECT ck1, ck2 FROM ks.mc WHERE id = 0 AND (ck1, ck2, ck3) <= (6, 5, 6);");
    // (4,5,6) survives, (4,6..7,*) and (5,*,*) are gone, (6,5,6) remains
    assertThat(out.toString()).isEqualTo("{\"ck1\": 4, \"ck2\": 5}\n{\"ck1\": 4, \"ck2\": 5}\n"
        + "{\"ck1\": 4, \"ck2\": 5}\n{\"ck1\": 6, \"ck2\": 5}\n");
    out.getBuffer().setLength(0);
    // mixed ASC/DESC: (a, b) < (2, 'm') = a < 2 OR (a = 2 AND b < 'm'); rows come in storage order
    assertThat(run(OutputFormat.JSON, """
        USE ks;
        INSERT INTO mixed (k, a, b, v) VALUES (1, 1, 'z', 1.5);
        INSERT INTO mixed (k, a, b, v) VALUES (1, 2, 'a', 2.5);
        INSERT INTO mixed (k, a, b, v) VALUES (1, 2, 'q', 3.0);
        INSERT INTO mixed (k, a, b, v) VALUES (1, 3, 'a', null);
        INSERT INTO mixed (k, s) VALUES (2, 'static only');
        SELECT a, b, v FROM mixed WHERE k = 1 AND (a, b) < (2, 'm');
        SELECT k, a, s FROM mixed WHERE k = 2;
        SELECT k, a FROM mixed WHERE k = 2 AND a = 1;
        """)).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("""
        {"a": 1, "b": "z", "v": 1.5}
        {"a": 2, "b": "a", "v": 2.5}
        {"k": 2, "a": null, "s": "static only"}
        """);
  }

  @Test
  void failingStatementStopsTheScriptWithItsCaret() {
    int rc = run(OutputFormat.TABLE, SETUP + "SELECT * FROM mc WHERE id = 'x';"
        + " INSERT INTO mc (id, ck1, ck2, ck3) VALUES (1, 1, 1, 1);");
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("InvalidRequest: Invalid STRING constant ('x') for \"id\""
        + " of type int at column 29\n  SELECT * FROM mc WHERE id = 'x'\n"
        + "                              ^\n");
    assertThat(backend.executed).noneMatch(p -> p instanceof dev.braid.cql.plan.WritePlan);
  }

  @Test
  void syntaxErrorInAMultiLineStatement() {
    int rc = run(OutputFormat.TABLE, SETUP + "SELECT *\n  FROM mc\n  WHERE id = = 1;");
    assertThat(rc).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("SyntaxException: expected a value (a number, 'text', 0x..,"
        + " true/false, a uuid or null) but found '=' at line 3, column 14\n  "
        + "  WHERE id = = 1\n               ^\n");
  }

  @Test
  void typesInJson() {
    assertThat(run(OutputFormat.JSON, """
        CREATE KEYSPACE t WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE TABLE t.all (k uuid, c timestamp, b blob, bo boolean, d double, bi bigint,
          tx text, i int, PRIMARY KEY (k, c));
        INSERT INTO t.all (k, c, b, bo, d, bi, tx, i) VALUES
          (123e4567-e89b-12d3-a456-426614174000, '2024-01-02 03:04:05.678+0000', 0xcafe, true,
           NaN, -9000000000, 'say "hi"\t', -7);
        INSERT INTO t.all (k, c) VALUES (123e4567-e89b-12d3-a456-426614174000, 0);
        SELECT * FROM t.all WHERE k = 123e4567-e89b-12d3-a456-426614174000;
        """)).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(
        "{\"k\": \"123e4567-e89b-12d3-a456-426614174000\", \"c\": \"1970-01-01T00:00:00Z\","
            + " \"b\": null, \"bo\": null, \"d\": null, \"bi\": null, \"tx\": null, \"i\": null}\n"
            + "{\"k\": \"123e4567-e89b-12d3-a456-426614174000\", \"c\": \"2024-01-02T03:04:05.678Z\","
            + " \"b\": \"0xcafe\", \"bo\": true, \"d\": \"NaN\", \"bi\": -9000000000,"
            + " \"tx\": \"say \\\"hi\\\"\\t\", \"i\": -7}\n");
  }

  @Test
  void pagingTracingConsistencyAndTokens() {
    setup();
    int rc = run(OutputFormat.TABLE, "USE ks; PAGING 4; TRACING ON; CONSISTENCY ALL;"
        + " SELECT token(id), r FROM mc WHERE id = 0 AND ck1 = 4 AND ck2 = 5;"
        + " SELECT * FROM mc WHERE id IN (0, 1) ORDER BY ck1 DESC;");
    assertThat(rc).isEqualTo(1);
    String o = out.toString();
    assertThat(o).contains("Page size: 4", "Now Tracing is enabled",
        "Consistency level set to ALL.", "(3 rows)", "token(id) | r\n", "Tracing:",
        "fake SelectPlan at ALL");
    assertThat(err.toString()).contains("Cannot page queries with both ORDER BY and a IN"
        + " restriction on the partition key");
    // paged: 3 rows with page size 4 is one request; the 27-row scan needs 7
    long before = backend.executed.size();
    out.getBuffer().setLength(0);
    assertThat(run(OutputFormat.TABLE, "USE ks; PAGING 4; SELECT r FROM mc;")).isZero();
    assertThat(out.toString()).contains("(27 rows)");
    assertThat(backend.executed.size() - before).isEqualTo(7);
  }

  @Test
  void describeShowSourceHelp(@TempDir Path dir) throws Exception {
    setup();
    Path file = dir.resolve("more.cql");
    Files.writeString(file, "USE ks;\nINSERT INTO mixed (k, a, b) VALUES (9, 1, 'x');\n"
        + "SELECT k, a, b FROM mixed WHERE k = 9;\n");
    int rc = run(OutputFormat.TABLE, "DESCRIBE KEYSPACES; DESCRIBE TABLES; DESCRIBE TABLE ks.mixed;"
        + " SHOW CLUSTER; SOURCE '" + file + "'; HELP;");
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ks", "Keyspace ks", "mc  mixed",
        "CREATE TABLE ks.mixed (\n    k int,\n    a int,\n    b text,\n    s text static,\n"
            + "    v double,\n    PRIMARY KEY (k, a, b)\n) WITH CLUSTERING ORDER BY (a ASC, b DESC);",
        "fake: 1 node", "(1 rows)", "braid shell: a CQL subset");
    assertThat(run(OutputFormat.TABLE, "SOURCE '" + dir.resolve("missing.cql") + "';")).isEqualTo(1);
    assertThat(err.toString()).contains("ShellError: Could not open");
  }

  @Test
  void exitStopsTheScript() {
    assertThat(run(OutputFormat.TABLE, "HELP; EXIT; SELECT * FROM nowhere;")).isZero();
    assertThat(err.toString()).isEmpty();
  }
}
