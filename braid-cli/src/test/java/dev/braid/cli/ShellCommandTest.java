package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code braid shell HOST:PORT -e ...} against a braid-store node served in this JVM. */
class ShellCommandTest {
  static Path dir;
  static ReplicaServer server;
  static String address;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("braid-cli-shell");
    server = ReplicaServer.start(dir, new InetSocketAddress("127.0.0.1", 0),
        StoreOptions.defaults(), Duration.ofSeconds(2));
    address = "127.0.0.1:" + server.address().getPort();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void scriptsInBothFormatsAndAFailingStatement() {
    Cli.Result setup = Cli.run("shell", address, "-e", """
        CREATE KEYSPACE IF NOT EXISTS demo WITH replication =
          {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE TABLE IF NOT EXISTS demo.mc (id int, ck1 int, ck2 int, ck3 int, r int,
          PRIMARY KEY (id, ck1, ck2, ck3));
        INSERT INTO demo.mc (id, ck1, ck2, ck3, r) VALUES (0, 5, 6, 6, 566);
        INSERT INTO demo.mc (id, ck1, ck2, ck3, r) VALUES (0, 5, 6, 7, 567);
        INSERT INTO demo.mc (id, ck1, ck2, ck3, r) VALUES (0, 5, 6, 8, 568);
        INSERT INTO demo.mc (id, ck1, ck2, ck3, r) VALUES (0, 5, 7, 1, 571);
        """);
    assertThat(setup.exitCode()).as(setup.err()).isZero();
    Cli.Result json = Cli.run("shell", address, "-k", "demo", "--format", "json", "-e",
        "SELECT ck3, r FROM mc WHERE id = 0 AND (ck1, ck2, ck3) >= (5, 6, 7)"
            + " AND (ck1, ck2) <= (5, 6) ORDER BY ck1 DESC");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).isEqualTo("{\"ck3\": 8, \"r\": 568}\n{\"ck3\": 7, \"r\": 567}\n");
    Cli.Result table = Cli.run("shell", address, "-e", "SELECT token(id), r FROM demo.mc"
        + " WHERE id = 0 AND ck1 = 5 AND ck2 = 7");
    assertThat(table.out()).isEqualTo(
        "\n token(id)            | r\n----------------------+-----\n"
            + " -3485513579396041028 | 571\n\n(1 rows)\n");
    Cli.Result bad = Cli.run("shell", address, "-e", "USE demo; SELECT * FROM mc WHERE"
        + " id = 0 AND ck2 = 1; DROP TABLE mc;");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).isEqualTo("InvalidRequest: PRIMARY KEY column \"ck2\" cannot be"
        + " restricted as preceding column \"ck1\" is not restricted at column 35\n"
        + "  SELECT * FROM mc WHERE id = 0 AND ck2 = 1\n"
        + "                                    ^\n");
    assertThat(Cli.run("shell", address, "-e", "SELECT r FROM demo.mc").out())
        .contains("(4 rows)"); // the DROP after the failure did not run
  }

  @Test
  void badArguments() {
    Cli.Result fmt = Cli.run("shell", address, "--format", "xml", "-e", "HELP");
    assertThat(fmt.exitCode()).isEqualTo(2);
    assertThat(fmt.err()).contains("--format must be 'table' or 'json'");
    Cli.Result down = Cli.run("shell", "127.0.0.1:1", "-e", "HELP");
    assertThat(down.exitCode()).isEqualTo(1);
    assertThat(down.err()).startsWith("braid shell: cannot connect to 127.0.0.1:1");
  }
}
