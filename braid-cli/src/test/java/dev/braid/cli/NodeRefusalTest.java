package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.node.Node;
import dev.braid.rpc.BraidServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    System.out.println(r.err().strip());
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

    // an HTTP server: answers the first bytes it reads with a 400 and closes, as one does
    // on a request line it cannot parse
    try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        while (!http.isClosed()) {
          try (Socket s = http.accept()) {
            s.getInputStream().read(new byte[1024]);
            s.getOutputStream().write(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          } catch (IOException e) {
            // closed
          }
        }
      }, "fake-http");
      t.setDaemon(true);
      t.start();
      String seed = "127.0.0.1:" + http.getLocalPort();
      assertThat(oneLine(node("--seed", seed), 1)).contains("cannot join through any seed")
          .contains(seed);
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
