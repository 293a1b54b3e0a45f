package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.braid.node.Node;
import dev.braid.rpc.BraidServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid node}'s refusals, in process: each exits non-zero with one line on standard
 * error naming the cause, and leaves the data directory usable.
 */
class NodeRefusalTest {
  @TempDir
  Path tmp;

  private Cli.Result node(String... extra) {
    String[] args = new String[5 + extra.length];
    args[0] = "node";
    args[1] = "--data";
    args[2] = tmp.resolve("n").toString();
    args[3] = "--listen";
    args[4] = "127.0.0.1:" + NodeProcesses.freePort();
    System.arraycopy(extra, 0, args, 5, extra.length);
    return Cli.run(args);
  }

  private static String oneLine(Cli.Result r, int exit) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).startsWith("braid node: ");
    return r.err().strip();
  }

  @Test
  void refusesBadFlagsWithOneLine() {
    assertThat(oneLine(node("--disable-features", "POSITION_RANGE,NOPE"), 1)).isEqualTo(
        "braid node: unknown feature NOPE in --disable-features; known features: POSITION_RANGE");
    assertThat(oneLine(node("--release", "4"), 1)).contains("unknown release 4");
    Cli.Result wildcard = Cli.run("node", "--data", tmp.resolve("w").toString(), "--listen",
        "0.0.0.0:" + NodeProcesses.freePort());
    assertThat(oneLine(wildcard, 1)).contains("not 0.0.0.0");
    assertThat(oneLine(node("--raft-port", "70000"), 2)).contains("--raft-port");
    assertThat(oneLine(node("--format", "xml"), 2)).contains("--format");
  }

  @Test
  void refusesSeedsThatAreNothingOrNoBraidNodeAndTheDirectoryStaysUsable() throws Exception {
    String nothing = "127.0.0.1:" + NodeProcesses.freePort();
    assertThat(oneLine(node("--seed", nothing), 1)).contains("cannot join through any seed")
        .contains(nothing);

    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      byte[] body = "not braid".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(400, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
    try {
      String seed = "127.0.0.1:" + http.getAddress().getPort();
      assertThat(oneLine(node("--seed", seed), 1)).contains("cannot join through any seed")
          .contains(seed);
    } finally {
      http.stop(0);
    }

    BraidServer plain = BraidServer.builder().listen("127.0.0.1", 0).build().start();
    try {
      String seed = "127.0.0.1:" + plain.port();
      assertThat(oneLine(node("--seed", seed), 1)).contains("not a braid cluster node");
    } finally {
      plain.closeNow();
    }

    // nothing was left behind: the directory bootstraps a cluster of its own
    try (Node n = Node.builder().dataDir(tmp.resolve("n")).listen("127.0.0.1", 0).start()) {
      assertThat(n.cluster().metadata().getMembersCount()).isEqualTo(1);
    }
  }
}
