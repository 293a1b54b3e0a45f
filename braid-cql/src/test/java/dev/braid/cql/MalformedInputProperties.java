package dev.braid.cql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Bad input gets a clear error and nothing else: for random token soups and random mutations of
 * valid statements, {@link Cql#prepare} either returns a plan or throws {@link CqlException}
 * whose position lies inside the input (never another exception).
 */
class MalformedInputProperties {
  static final List<String> VALID = List.of(
      "SELECT * FROM t WHERE k = 1 AND c1 IN (1, 2) AND c2 > 'a' ORDER BY c1 DESC LIMIT 3",
      "SELECT token(k), v FROM t WHERE k IN (1, 2) PER PARTITION LIMIT 1",
      "SELECT * FROM m WHERE k = 0 AND (ck1, ck2, ck3) >= (5, 6, 7) AND (ck1, ck2) <= (5, 6)",
      "INSERT INTO t (k, c1, c2, v, s) VALUES (1, 2, 'x', null, 7) USING TTL 60 AND TIMESTAMP 1",
      "UPDATE t USING TIMESTAMP 3 SET v = 1, s = 2 WHERE k = 1 AND c1 = 1 AND c2 IN ('a', 'b')",
      "DELETE v FROM t WHERE k = 1 AND c1 = 1 AND c2 = 'a'",
      "DELETE FROM d USING TIMESTAMP 9 WHERE k = 1 AND (a, b) >= (1, 2) AND (a) < (3)",
      "CREATE TABLE IF NOT EXISTS x (k int, c text, s int static, v blob,"
          + " PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC)",
      "CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}",
      "DROP TABLE IF EXISTS x", "PAGING 10", "CONSISTENCY ALL", "DESCRIBE TABLE t",
      "SOURCE 'f.cql'");

  static final List<String> TOKENS = List.of("SELECT", "*", "FROM", "t", "m", "d", "WHERE", "k",
      "c1", "c2", "v", "s", "=", "<", ">=", "IN", "(", ")", ",", "AND", "1", "-2", "'a'", "0x0f",
      "null", "ORDER", "BY", "DESC", "LIMIT", "token", "INSERT", "INTO", "VALUES", "UPDATE",
      "SET", "DELETE", "USING", "TTL", "TIMESTAMP", "CREATE", "TABLE", "PRIMARY", "KEY", "int",
      "static", ";", ".", "ks", "\"Q\"", "1.5", "true", "123e4567-e89b-12d3-a456-426614174000",
      "'", "\"", "/*", "--", "😀", "PER", "PARTITION", "{", "}", ":", "!=", "#");

  @Provide
  Arbitrary<String> soups() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(25)
        .map(l -> String.join(" ", l));
  }

  @Provide
  Arbitrary<String> mutants() {
    return Arbitraries.of(VALID).flatMap(v -> Arbitraries.integers().between(0, v.length())
        .flatMap(cut -> Arbitraries.integers().between(cut, v.length())
            .flatMap(to -> Arbitraries.of(TOKENS).map(tok ->
                v.substring(0, cut) + " " + tok + " " + v.substring(to)))));
  }

  static void check(String input) {
    try {
      Cql.prepare(input, CqlErrorsTest.SCHEMA, "ks");
    } catch (CqlException e) {
      assertThat(e.reason()).isNotBlank();
      if (e.input() != null) {
        assertThat(e.index()).isBetween(0, e.input().length());
        assertThat(e.column()).isGreaterThanOrEqualTo(1);
        assertThat(e.getMessage()).contains("^");
      }
    }
  }

  @Property(tries = 3000)
  void tokenSoupsFailCleanly(@ForAll("soups") String input) {
    check(input);
  }

  @Property(tries = 3000)
  void mutatedStatementsFailCleanly(@ForAll("mutants") String input) {
    check(input);
  }

  @Property(tries = 200)
  void validStatementsBind(@ForAll("valid") String input) {
    assertThat(Cql.prepare(input, CqlErrorsTest.SCHEMA, "ks")).isNotNull();
  }

  @Provide
  Arbitrary<String> valid() {
    return Arbitraries.of(VALID);
  }
}
