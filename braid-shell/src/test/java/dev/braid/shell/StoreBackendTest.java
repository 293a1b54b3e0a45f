package dev.braid.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shell on {@link StoreBackend} against a real braid-store node in this JVM (loopback):
 * the ScyllaDB #21604 and #8157 shapes, reversed reads, mixed ASC/DESC, range deletes with
 * multi-column bounds, timestamps, TTL expiry, static rows, Cassandra's token, paging.
 */
class StoreBackendTest {
  static Path dir;
  static ReplicaServer server;
  static StoreBackend backend;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("braid-shell-store");
    server = ReplicaServer.start(dir, new InetSocketAddress("127.0.0.1", 0),
        StoreOptions.defaults(), Duration.ofSeconds(2));
    backend = StoreBackend.connect("127.0.0.1:" + server.address().getPort());
    StringBuilder s = new StringBuilder(ShellScriptTest.SETUP);
    for (int a = 4; a <= 6; a++) {
      for (int b = 5; b <= 7; b++) {
        for (int c = 6; c <= 8; c++) {
          s.append("INSERT INTO mc (id, ck1, ck2, ck3, r) VALUES (0, ").append(a).append(", ")
              .append(b).append(", ").append(c).append(", ").append(a * 100 + b * 10 + c)
              .append(");");
        }
      }
    }
    Run r = run(OutputFormat.TABLE, s.toString());
    assertThat(r.rc).as(r.err).isZero();
  }

  @AfterAll
  static void stop() throws IOException {
    backend.close();
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  record Run(int rc, String out, String err) {
  }

  static Run run(OutputFormat f, String script) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = new Shell(backend, f, new PrintWriter(out), new PrintWriter(err)).runScript(script);
    return new Run(rc, out.toString(), err.toString());
  }

  @Test
  void scylla21604And8157ShapesAndReversal() {
    Run r = run(OutputFormat.JSON, "USE ks; SELECT ck3, r FROM mc WHERE id = 0 and"
        + " (ck1, ck2, ck3) >= (5, 6, 7) and (ck1, ck2) <= (5, 6);");
    assertThat(r.out).as(r.err).isEqualTo("{\"ck3\": 7, \"r\": 567}\n{\"ck3\": 8, \"r\": 568}\n");
    r = run(OutputFormat.JSON, "USE ks; SELECT r FROM mc WHERE id = 0 AND (ck1, ck2) >= (5, 6)"
        + " AND (ck1) <= (5) ORDER BY ck1 DESC LIMIT 4;");
    assertThat(r.out).as(r.err).isEqualTo(
        "{\"r\": 578}\n{\"r\": 577}\n{\"r\": 576}\n{\"r\": 568}\n");
  }

  @Test
  void mixedOrderStaticsTokensTimestampsAndRangeDeletes() {
    Run r = run(OutputFormat.JSON, """
        USE ks;
        INSERT INTO mixed (k, a, b, v) VALUES (1, 1, 'z', 1.5) USING TIMESTAMP 10;
        INSERT INTO mixed (k, a, b, v) VALUES (1, 2, 'a', 2.5);
        INSERT INTO mixed (k, a, b, v) VALUES (1, 2, 'q', 3.0);
        INSERT INTO mixed (k, a, b, v) VALUES (1, 3, 'a', null);
        INSERT INTO mixed (k, s) VALUES (2, 'static only');
        DELETE FROM mixed USING TIMESTAMP 5 WHERE k = 1 AND a = 1;
        SELECT token(k), a, b, v FROM mixed WHERE k = 1 AND (a, b) < (2, 'm');
        SELECT k, a, s FROM mixed WHERE k = 2;
        SELECT k, a FROM mixed WHERE k = 2 AND a = 1;
        DELETE FROM mixed WHERE k = 1 AND (a, b) >= (2, 'q') AND (a) <= (2);
        SELECT a, b FROM mixed WHERE k = 1;
        """);
    assertThat(r.rc).as(r.err).isZero();
    assertThat(r.out).isEqualTo("""
        {"token(k)": -4069959284402364209, "a": 1, "b": "z", "v": 1.5}
        {"token(k)": -4069959284402364209, "a": 2, "b": "a", "v": 2.5}
        {"k": 2, "a": null, "s": "static only"}
        {"a": 1, "b": "z"}
        {"a": 2, "b": "a"}
        {"a": 3, "b": "a"}
        """);
  }

  @Test
  void pagingByPosition() {
    Run r = run(OutputFormat.TABLE, "USE ks; PAGING 4; SELECT r FROM mc WHERE id = 0;"
        + " SELECT r FROM mc;");
    assertThat(r.rc).as(r.err).isZero();
    assertThat(r.out.split("\\(27 rows\\)", -1)).hasSize(3);
  }

  @Test
  void ttlExpires() throws Exception {
    // a row with TTL 1 s expires; rows with a long TTL and without TTL stay
    Run r = run(OutputFormat.JSON, "USE ks;"
        + " INSERT INTO mixed (k, a, b, v) VALUES (7, 1, 'x', 1.0) USING TTL 1;"
        + " INSERT INTO mixed (k, a, b, v) VALUES (7, 2, 'x', 2.0) USING TTL 3600;"
        + " INSERT INTO mixed (k, a, b, v) VALUES (7, 3, 'x', 3.0);");
    assertThat(r.rc).as(r.err).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String now;
    do {
      now = run(OutputFormat.JSON, "SELECT a FROM ks.mixed WHERE k = 7;").out;
      if (now.equals("{\"a\": 2}\n{\"a\": 3}\n")) {
        break;
      }
      Thread.sleep(50); // polling the condition (expiry) with a deadline
    } while (System.nanoTime() < deadline);
    assertThat(now).isEqualTo("{\"a\": 2}\n{\"a\": 3}\n");
  }

  @Test
  void errorsFromTheBinderAndDescribe() {
    Run r = run(OutputFormat.TABLE, "USE ks; SELECT * FROM mc WHERE id = 0 AND ck2 = 1;"
        + " SELECT * FROM mc;");
    assertThat(r.rc).isEqualTo(1);
    assertThat(r.err).isEqualTo("InvalidRequest: PRIMARY KEY column \"ck2\" cannot be restricted"
        + " as preceding column \"ck1\" is not restricted at column 35\n"
        + "  SELECT * FROM mc WHERE id = 0 AND ck2 = 1\n"
        + "                                    ^\n");
    r = run(OutputFormat.TABLE, "TRACING ON; SELECT r FROM ks.mc WHERE id = 0 LIMIT 1;");
    assertThat(r.out).containsPattern("Tracing:\n  consistency ONE \\(one node:"
        + " 127\\.0\\.0\\.1:\\d+\\)\n  ReadDataV2 -> 127\\.0\\.0\\.1:\\d+ \\d+ us\n");
    r = run(OutputFormat.TABLE, "DESCRIBE TABLE ks.mixed; SHOW CLUSTER;");
    assertThat(r.out).contains("WITH CLUSTERING ORDER BY (a ASC, b DESC)", "braid-store node");
  }
}
