package dev.braid.cql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parse errors with their caret, and every rejection of the binder with its message and column. */
class CqlErrorsTest {
  static final TestSchema SCHEMA = new TestSchema().create("ks",
      "CREATE TABLE t (k int, c1 int, c2 text, s int static, v int,"
          + " PRIMARY KEY (k, c1, c2))",
      "CREATE TABLE m (k int, ck1 int, ck2 int, ck3 int, r int, PRIMARY KEY (k, ck1, ck2, ck3))",
      "CREATE TABLE p (k1 int, k2 text, c int, v text, PRIMARY KEY ((k1, k2), c))",
      "CREATE TABLE d (k int, a int, b int, v int, PRIMARY KEY (k, a, b))"
          + " WITH CLUSTERING ORDER BY (a ASC, b DESC)",
      "CREATE TABLE n (k text PRIMARY KEY, v blob)");

  static CqlException error(String stmt) {
    try {
      Cql.prepare(stmt, SCHEMA, "ks");
    } catch (CqlException e) {
      return e;
    }
    throw new AssertionError("accepted: " + stmt);
  }

  @Test
  void syntaxErrorShowsTheCaretUnderTheToken() {
    CqlException e = error("SELECT * FORM t");
    assertThat(e.kind()).isEqualTo(CqlException.Kind.SYNTAX);
    assertThat(e.column()).isEqualTo(10);
    assertThat(e.getMessage()).isEqualTo(
        "expected FROM but found 'FORM' at column 10\n  SELECT * FORM t\n           ^");
  }

  @Test
  void columnsAreCountedInCodePoints() {
    // '😀' is two UTF-16 chars but one code point: the caret must sit under x
    CqlException e = error("SELECT * FROM t WHERE k = 1 AND c2 = '😀é' AND x = 1");
    assertThat(e.reason()).isEqualTo("Undefined column name x in table ks.t");
    assertThat(e.column()).isEqualTo(47);
    String[] lines = e.getMessage().split("\n");
    assertThat(lines[2].codePointCount(0, lines[2].length())).isEqualTo(2 + 47);
    assertThat(lines[2]).endsWith("^");
  }

  @Test
  void multiLineStatementsNameTheLine() {
    CqlException e = error("SELECT *\nFROM t\nWHERE k = 'x'");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(11);
    assertThat(e.getMessage()).startsWith(
        "Invalid STRING constant ('x') for \"k\" of type int at line 3, column 11\n  WHERE k = 'x'\n"
            + "            ^");
  }

  @Test
  void endOfInputPointsAfterTheLastCharacter() {
    CqlException e = error("SELECT * FROM");
    assertThat(e.reason()).isEqualTo("expected a table name but the statement ended");
    assertThat(e.column()).isEqualTo(14);
  }

  @Test
  void lexicalErrors() {
    assertThat(error("SELECT * FROM t WHERE k = 'abc").reason())
        .isEqualTo("unterminated string literal");
    assertThat(error("SELECT * FROM t WHERE k = 0x1g").reason())
        .isEqualTo("invalid hexadecimal literal");
    assertThat(error("SELECT * FROM t WHERE k = 12ab").reason()).isEqualTo("invalid number '12ab'");
    assertThat(error("SELECT * FROM t WHERE k = 1 # 2").reason())
        .isEqualTo("unexpected character '#'");
    assertThat(error("SELECT * FROM t WHERE k = 1 ALLOW FILTERING").reason())
        .isEqualTo("ALLOW FILTERING is not supported by braid");
    assertThat(error("SELEC * FROM t").reason()).startsWith("unknown statement 'SELEC'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT * FROM t WHERE x = 1 | Undefined column name x in table ks.t | 23
      SELECT * FROM nope | unconfigured table nope (no table ks.nope) | 15
      SELECT * FROM zz.t | Keyspace zz does not exist | 15
      SELECT * FROM t WHERE k = 'a' | Invalid STRING constant ('a') for "k" of type int | 27
      SELECT * FROM t WHERE k = 99999999999 | Invalid INTEGER constant (99999999999) for "k" of type int: out of range for int | 27
      INSERT INTO n (k, v) VALUES ('a', 'b') | Invalid STRING constant ('b') for "v" of type blob | 35
      INSERT INTO n (k, v) VALUES ('', 0x01) | Key may not be empty | 30
      SELECT * FROM t WHERE k > 1 | Only EQ and IN relation are supported on the partition key (unless you use the token() function or ALLOW FILTERING) | 23
      SELECT * FROM p WHERE k1 = 1 | Partition key parts: k2 must be restricted as other parts are | 23
      SELECT * FROM t WHERE k = 1 AND c2 = 'a' | PRIMARY KEY column "c2" cannot be restricted as preceding column "c1" is not restricted | 33
      SELECT * FROM t WHERE k = 1 AND c1 > 1 AND c2 = 'a' | Clustering column "c2" cannot be restricted (preceding column "c1" is restricted by a non-EQ relation) | 44
      SELECT * FROM t WHERE k = 1 AND c1 = 1 AND c1 = 2 | c1 cannot be restricted by more than one relation if it includes an Equal | 44
      SELECT * FROM t WHERE k = 1 AND c1 IN (1) AND c1 > 2 | c1 cannot be restricted by more than one relation if it includes a IN | 47
      SELECT * FROM t WHERE k = 1 AND c1 > 1 AND c1 = 2 | Column "c1" cannot be restricted by both an equality and an inequality relation | 44
      SELECT * FROM t WHERE k = 1 AND c1 > 1 AND c1 >= 2 | More than one restriction was found for the start bound on c1 | 44
      SELECT * FROM t WHERE k = 1 AND c1 < 1 AND c1 <= 2 | More than one restriction was found for the end bound on c1 | 44
      SELECT * FROM m WHERE k = 1 AND (ck1, ck2) > (1, 2) AND ck1 < 3 | Mixing single column relations and multi column relations on clustering columns is not allowed | 57
      SELECT * FROM m WHERE k = 1 AND ck1 > 1 AND (ck1, ck2) < (3, 1) | Mixing single column relations and multi column relations on clustering columns is not allowed | 45
      SELECT * FROM m WHERE k = 1 AND (k, ck1) > (1, 2) | Multi-column relations can only be applied to clustering columns but was applied to: k | 34
      SELECT * FROM m WHERE k = 1 AND (ck1, ck1) > (1, 2) | Column "ck1" appeared twice in a relation: (ck1, ck1) > (1, 2) | 39
      SELECT * FROM m WHERE k = 1 AND (ck2, ck3) > (1, 2) | Clustering columns may not be skipped in multi-column relations. They should appear in the PRIMARY KEY order. Got (ck2, ck3) > (1, 2) | 34
      SELECT * FROM m WHERE k = 1 AND (ck1, ck3) > (1, 2) | Clustering columns must appear in the PRIMARY KEY order in multi-column relations: (ck1, ck3) > (1, 2) | 39
      SELECT * FROM m WHERE k = 1 AND (ck1, ck2) > (1, 2, 3) | Expected 2 elements in value tuple, but got 3: (1, 2, 3) | 46
      SELECT * FROM m WHERE k = 1 AND (ck1, ck2) = (1, 2) AND (ck1) > (0) | ck1 cannot be restricted by more than one relation if it includes an Equal | 57
      SELECT * FROM m WHERE k = 1 AND (ck1) IN ((1)) AND (ck1) > (0) | ck1 cannot be restricted by more than one relation if it includes a IN | 52
      SELECT * FROM m WHERE k = 1 AND (ck1) > (0) AND (ck1) = (1) | Column "ck1" cannot be restricted by both an equality and an inequality relation | 49
      SELECT * FROM m WHERE k = 1 AND (ck1) > (0) AND (ck1, ck2) > (1, 1) | More than one restriction was found for the start bound on ck1 | 49
      SELECT * FROM m WHERE k = 1 AND (ck1) < (0) AND (ck1, ck2) <= (1, 1) | More than one restriction was found for the end bound on ck1 | 49
      SELECT * FROM t WHERE k = 1 AND v = 1 | Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING (braid does not filter: restrict primary key columns only) | 33
      SELECT * FROM t WHERE c1 = 1 | Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING (braid does not filter: restrict the partition key with = or IN) | 23
      SELECT s FROM t WHERE k = 1 AND c1 = 1 | Cannot restrict clustering columns when selecting only static columns | 23
      SELECT * FROM t ORDER BY c1 DESC | ORDER BY is only supported when the partition key is restricted by an EQ or an IN. | 17
      SELECT * FROM t WHERE k = 1 ORDER BY v DESC | Order by is currently only supported on the clustered columns of the PRIMARY KEY, got v | 38
      SELECT * FROM t WHERE k = 1 ORDER BY c2 DESC | Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY | 38
      SELECT * FROM t WHERE k = 1 ORDER BY c1 DESC, c2 ASC | Unsupported order by relation | 47
      SELECT * FROM d WHERE k = 1 ORDER BY a ASC, b ASC | Unsupported order by relation | 45
      SELECT * FROM t WHERE k = 1 LIMIT 0 | LIMIT must be strictly positive | 35
      SELECT * FROM t WHERE k = 1 PER PARTITION LIMIT -1 | PER PARTITION LIMIT must be strictly positive | 49
      SELECT token(c1) FROM t | token() must be applied to the partition key columns in order: token(k) | 8
      SELECT token(k2, k1) FROM p | token() must be applied to the partition key columns in order: token(k1, k2) | 8
      SELECT * FROM t WHERE token(k) > 0 | token() restrictions in WHERE are not supported by braid (a query without a partition key restriction scans in token order) | 23
      INSERT INTO t (k, c1) VALUES (1) | Unmatched column names/values | 23
      INSERT INTO t (k, k, c1) VALUES (1, 1, 1) | The column names contains duplicates | 19
      INSERT INTO t (c1, c2, v) VALUES (1, 'a', 1) | Some partition key parts are missing: k | 13
      INSERT INTO t (k, c1, v) VALUES (1, 1, 1) | Some clustering keys are missing: c2 | 13
      INSERT INTO t (k, c1, c2) VALUES (1, null, 'a') | Invalid null value for clustering key part c1 | 38
      INSERT INTO t (k, c1, c2) VALUES (1, 1, 'a') USING TTL -1 | A TTL must be greater or equal to 0, but was -1 | 56
      INSERT INTO t (k, c1, c2) VALUES (1, 1, 'a') USING TTL 630720001 | ttl is too large. requested (630720001) maximum (630720000) | 56
      INSERT INTO t (k, c1, c2) VALUES (1, 1, 'a') USING TIMESTAMP 'x' | Invalid STRING constant (x) for "[timestamp]" of type bigint | 62
      UPDATE t SET c1 = 1 WHERE k = 1 | PRIMARY KEY part c1 found in SET part | 14
      UPDATE t SET v = 1, v = 2 WHERE k = 1 AND c1 = 1 AND c2 = 'a' | Multiple incompatible setting of column v | 21
      UPDATE t SET v = 1 WHERE k = 1 AND c1 = 1 | Some clustering keys are missing: c2 | 20
      UPDATE t SET v = 1 WHERE k = 1 AND c1 = 1 AND c2 > 'a' | Slice restrictions are not supported on the clustering columns in UPDATE statements | 20
      UPDATE t SET s = 1 WHERE k = 1 AND c1 = 1 | Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns | 20
      UPDATE t SET v = 1 WHERE c1 = 1 AND c2 = 'a' | Some partition key parts are missing: k | 20
      UPDATE t SET v = 1 WHERE k = 1 AND c1 = 1 AND c2 = 'a' AND v = 2 | Non PRIMARY KEY columns found in where clause: v | 60
      DELETE k FROM t WHERE k = 1 | Invalid identifier k for deletion (should not be a PRIMARY KEY part) | 8
      DELETE v FROM t WHERE k = 1 AND c1 > 1 | Range deletions are not supported for specific columns | 17
      DELETE v FROM t WHERE k = 1 | Range deletions are not supported for specific columns | 17
      DELETE s FROM t WHERE k = 1 AND c1 = 1 | Invalid restrictions on clustering columns since the DELETE statement modifies only static columns | 17
      DELETE FROM t WHERE c1 = 1 | Some partition key parts are missing: k | 15
      DELETE FROM t USING TTL 5 WHERE k = 1 | TTL is not allowed in DELETE statements | 21
      CREATE TABLE x (k int, v int) | no PRIMARY KEY specified (exactly one required) | 30
      CREATE TABLE x (k int PRIMARY KEY, v foo) | Unknown type foo (braid supports int, bigint, text, varchar, blob, boolean, double, uuid, timestamp) | 38
      CREATE TABLE x (k int PRIMARY KEY, k text) | Multiple definition of identifier k | 36
      CREATE TABLE x (k int, v int, PRIMARY KEY (k, z)) | Unknown definition z referenced in PRIMARY KEY | 47
      CREATE TABLE x (k int, s int static, PRIMARY KEY (k)) | Static columns are only useful (and thus allowed) if the table has at least one clustering column | 24
      CREATE TABLE x (k int, c int static, PRIMARY KEY (k, c)) | Static column c cannot be part of the PRIMARY KEY | 24
      CREATE TABLE x (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (b DESC, a ASC) | The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key (expected a here) | 87
      CREATE TABLE x (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (a DESC) | Clustering key columns must exactly match columns in CLUSTERING ORDER BY directive | 87
      CREATE TABLE x (k int, a int, v int, PRIMARY KEY (k, a)) WITH CLUSTERING ORDER BY (v DESC) | Only clustering key columns can be defined in CLUSTERING ORDER directive (v is not one) | 84
      CREATE TABLE t (k int PRIMARY KEY) | Table ks.t already exists | 14
      CREATE TABLE zz.x (k int PRIMARY KEY) | Keyspace 'zz' does not exist | 14
      CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} | Keyspace ks already exists | 17
      CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy'} | Unsupported replication strategy 'NetworkTopologyStrategy' (braid supports SimpleStrategy) | 49
      CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy'} | SimpleStrategy requires a replication_factor strategy option. | 25
      CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 0} | Replication factor must be at least 1; found 0 | 89
      CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'foo': 1} | Unrecognized strategy option {foo} passed to SimpleStrategy for keyspace k2 | 74
      DROP KEYSPACE zz | Cannot drop non existing keyspace 'zz'. | 15
      DROP TABLE zz | Table 'ks.zz' doesn't exist | 12
      USE zz | Keyspace 'zz' does not exist | 5
      CONSISTENCY TWO | Improper CONSISTENCY command: unknown level two (supported: ONE, QUORUM, ALL) | 13
      PAGING 0 | PAGING needs a positive page size, ON or OFF | 8
      """)
  void rejects(String stmt, String message, int column) {
    CqlException e = error(stmt);
    assertThat(e.reason()).isEqualTo(message);
    assertThat(e.column()).as(e.getMessage()).isEqualTo(column);
    assertThat(e.getMessage()).contains("\n  " + stmt + "\n  " + " ".repeat(column - 1) + "^");
  }

  @Test
  void noKeyspace() {
    assertThatThrownBy(() -> Cql.prepare("SELECT * FROM t", SCHEMA, null))
        .isInstanceOf(CqlException.class).hasMessageStartingWith(
            "No keyspace has been specified. USE a keyspace, or explicitly specify"
                + " keyspace.tablename at column 15");
  }
}
