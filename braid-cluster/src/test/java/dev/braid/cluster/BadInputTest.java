package dev.braid.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.cluster.proto.ClusterBraid;
import dev.braid.cluster.proto.FeatureRequest;
import dev.braid.cluster.proto.JoinRequest;
import dev.braid.cluster.proto.Member;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input from users and peers: a clear error in bounded time, nothing corrupted. */
class BadInputTest {
  @TempDir Path tmp;

  private static void assertNoRaftState(Path dir) throws IOException {
    Path raft = dir.resolve("raft");
    if (Files.exists(raft)) {
      try (var s = Files.list(raft)) {
        assertThat(s.filter(Files::isDirectory).toList()).isEmpty();
      }
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingStarts() {
    try (TestNodes t = new TestNodes(tmp)) {
      assertThatThrownBy(() -> t.builder(t.newDir()).disabledFeatures(List.of("NOPE")).start())
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining("unknown feature 'NOPE'").hasMessageContaining("POSITION_RANGE");
      assertThatThrownBy(() -> t.builder(t.newDir()).release(9).start())
          .isInstanceOf(ClusterException.class).hasMessageContaining("unknown release 9");
      assertThatThrownBy(() -> t.builder(t.newDir()).seeds(List.of("no-port")).start())
          .isInstanceOf(ClusterException.class).hasMessageContaining("bad seed address");
    }
  }

  @Test
  void seedsThatAreNotClusterNodesFailInBoundedTime() throws Exception {
    try (TestNodes t = new TestNodes(tmp)) {
      // Nothing listening.
      int closed = TestNodes.freePort();
      Path d1 = t.newDir();
      long start = System.nanoTime();
      assertThatThrownBy(() -> t.start(t.builder(d1).joinTimeout(Duration.ofSeconds(3))
          .seeds(List.of("127.0.0.1:" + closed)))).isInstanceOf(ClusterException.class)
          .hasMessageContaining("cannot join through any seed")
          .hasMessageContaining("cannot connect");
      assertNoRaftState(d1);

      // An HTTP-ish server: answers garbage and hangs up.
      try (ServerSocket http = new ServerSocket(0)) {
        Thread th = new Thread(() -> serveGarbage(http));
        th.setDaemon(true);
        th.start();
        Path d2 = t.newDir();
        assertThatThrownBy(() -> t.start(t.builder(d2).joinTimeout(Duration.ofSeconds(3))
            .seeds(List.of("127.0.0.1:" + http.getLocalPort()))))
            .isInstanceOf(ClusterException.class)
            .hasMessageContaining("cannot join through any seed");
        assertNoRaftState(d2);
      }

      // A server that accepts and never answers.
      try (ServerSocket silent = new ServerSocket(0)) {
        Thread th = new Thread(() -> serveSilence(silent));
        th.setDaemon(true);
        th.start();
        Path d3 = t.newDir();
        assertThatThrownBy(() -> t.start(t.builder(d3).joinTimeout(Duration.ofSeconds(3))
            .seeds(List.of("127.0.0.1:" + silent.getLocalPort()))))
            .isInstanceOf(ClusterException.class)
            .hasMessageContaining("cannot join through any seed");
        assertNoRaftState(d3);
      }

      // A braid server without the cluster service.
      try (BraidServer plain = BraidServer.builder().listen("127.0.0.1", 0).build().start()) {
        Path d4 = t.newDir();
        assertThatThrownBy(() -> t.start(t.builder(d4).joinTimeout(Duration.ofSeconds(3))
            .seeds(List.of("127.0.0.1:" + plain.port())))).isInstanceOf(ClusterException.class)
            .hasMessageContaining("not a braid cluster node");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(40));
    }
  }

  private static void serveGarbage(ServerSocket s) {
    while (!s.isClosed()) {
      try (Socket c = s.accept()) {
        OutputStream out = c.getOutputStream();
        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serveSilence(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket c = s.accept();
        Thread r = new Thread(() -> {
          try (c; InputStream in = c.getInputStream()) {
            in.transferTo(OutputStream.nullOutputStream());
          } catch (IOException ignored) {
            // closed
          }
        });
        r.setDaemon(true);
        r.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  @Test
  void sameDataDirectoryConflictingHostIdsAndBadRequests() throws Exception {
    try (TestNodes t = new TestNodes(tmp)) {
      Path d1 = t.newDir();
      ClusterNode a = t.start(t.builder(d1));
      assertThatThrownBy(() -> ClusterNode.builder().dataDir(d1).listen("127.0.0.1", 0)
          .raftAddress("127.0.0.1", TestNodes.freePort()).start())
          .isInstanceOf(ClusterException.class).hasMessageContaining("is in use by another");

      Path d2 = t.newDir();
      Files.createDirectories(d2);
      Files.writeString(d2.resolve("host-id"), a.hostId() + "\n");
      assertThatThrownBy(() -> t.start(t.builder(d2).seeds(List.of(a.address()))))
          .isInstanceOf(ClusterException.class).hasMessageContaining("conflicting host ids");
      assertNoRaftState(d2);

      Path d3 = t.newDir();
      Files.createDirectories(d3);
      Files.writeString(d3.resolve("host-id"), "not-a-uuid\n");
      assertThatThrownBy(() -> t.start(t.builder(d3))).isInstanceOf(ClusterException.class)
          .hasMessageContaining("does not hold a host id");

      try (ClientConnection c = ClientConnection.connect(a.address())) {
        ClusterBraid.Client cl = ClusterBraid.newClient(c);
        assertThatThrownBy(() -> cl.hold(FeatureRequest.newBuilder().setFeature("NOPE").build()))
            .isInstanceOf(StatusException.class).hasMessageContaining("unknown feature 'NOPE'")
            .satisfies(e -> assertThat(((StatusException) e).code())
                .isEqualTo(Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> cl.join(JoinRequest.newBuilder().setMember(Member.newBuilder()
            .setHostId("x").setAddress("127.0.0.1:1").setRaftAddress("127.0.0.1:2")
            .setRelease(2)).build())).isInstanceOf(StatusException.class)
            .hasMessageContaining("bad host id");
      }
      assertThat(a.metadata().getMembersCount()).isEqualTo(1);
    }
  }

  @Test
  void aNonReversibleFeatureCannotBeDisabledAndBlocksDowngrade() throws Exception {
    Feature stored = new Feature("TEST_STORED_FORMAT", false, 2, 0);
    Features catalogue = Features.of(Features.POSITION_RANGE, stored);
    try (TestNodes t = new TestNodes(tmp)) {
      Path d = t.newDir();
      ClusterNode a = t.start(t.builder(d).features(catalogue));
      assertThat(a.snapshot().isEnabled(stored)).isTrue();
      assertThatThrownBy(() -> a.disable(stored.name())).isInstanceOf(ClusterException.class)
          .hasMessageContaining("TEST_STORED_FORMAT is not reversible");
      assertThatThrownBy(() -> a.hold(stored.name())).isInstanceOf(ClusterException.class)
          .hasMessageContaining("not reversible");
      t.stop(a);
      assertThatThrownBy(() -> t.start(t.builder(d).features(catalogue).release(1)))
          .isInstanceOf(ClusterException.class).hasMessageContaining("refusing to boot")
          .hasMessageContaining("TEST_STORED_FORMAT");
      assertNoRaftStateChanged(d);
      ClusterNode again = t.start(t.builder(d).features(catalogue));
      assertThat(again.snapshot().isEnabled(stored)).isTrue();
      assertThat(again.hostId()).isEqualTo(a.hostId());
    }
  }

  private static void assertNoRaftStateChanged(Path d) {
    assertThat(Files.isDirectory(d.resolve("raft"))).isTrue();
  }
}
