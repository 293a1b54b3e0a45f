package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.braid.cluster.ClusterNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid cluster ...} against a one-node cluster at release 1, in process. */
class ClusterCommandTest {
  @TempDir static Path dir;
  static ClusterNode node;

  @BeforeAll
  static void start() throws Exception {
    int raftPort;
    try (ServerSocket s = new ServerSocket(0)) {
      raftPort = s.getLocalPort();
    }
    node = ClusterNode.builder().dataDir(dir).listen("127.0.0.1", 0)
        .raftAddress("127.0.0.1", raftPort).release(1).start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void statusJsonIsOneLineInTheDocumentedShape() throws IOException {
    Cli.Result r = Cli.run("cluster", "status", node.address(), "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String line = r.out().strip();
    assertThat(line).doesNotContain("\n");
    String id = Pattern.quote(node.hostId());
    assertThat(line).matches("\\{\"epoch\": \\d+, \"nodes\": \\[\\{\"host_id\": \"" + id
        + "\", \"address\": \"" + Pattern.quote(node.address()) + "\", \"state\": \"normal\","
        + " \"up\": true, \"release\": 1, \"supported_features\": \\[\\]\\}\\],"
        + " \"features\": \\[\\{\"name\": \"POSITION_RANGE\", \"state\": \"waiting\","
        + " \"reason\": \"not supported by " + id + "\", \"lacking\": \\[\"" + id + "\"\\]\\}\\],"
        + " \"verbs\": \\{\"" + id + "\": \\{\"ReadData\": \\{\"sent\": 0, \"received\": 0\\}.*"
        + "\\}\\}\\}");
    Struct.Builder parsed = Struct.newBuilder();
    JsonFormat.parser().merge(line, parsed);
    assertThat(parsed.getFieldsMap()).containsKeys("epoch", "nodes", "features", "verbs");
  }

  @Test
  void holdUnholdAndErrors() {
    Cli.Result hold = Cli.run("cluster", "hold", node.address(), "POSITION_RANGE");
    assertThat(hold.exitCode()).as(hold.err()).isZero();
    assertThat(hold.out()).startsWith("POSITION_RANGE: held (epoch ");
    Cli.Result text = Cli.run("cluster", "status", node.address());
    assertThat(text.out()).contains("POSITION_RANGE  held  (held by an operator; not supported by");
    Cli.Result unhold = Cli.run("cluster", "unhold", node.address(), "POSITION_RANGE",
        "--format", "json");
    assertThat(unhold.out().strip()).matches(
        "\\{\"feature\": \"POSITION_RANGE\", \"state\": \"waiting\", \"epoch\": \\d+\\}");

    Cli.Result unknown = Cli.run("cluster", "hold", node.address(), "NOPE");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown feature 'NOPE'");
    Cli.Result notEnabled = Cli.run("cluster", "disable", node.address(), "POSITION_RANGE");
    assertThat(notEnabled.exitCode()).isEqualTo(1);
    assertThat(notEnabled.err()).contains("POSITION_RANGE is not enabled");
    Cli.Result remove = Cli.run("cluster", "remove", node.address(),
        "00000000-0000-0000-0000-000000000000");
    assertThat(remove.exitCode()).isEqualTo(1);
    assertThat(remove.err()).contains("no member with host id");
    Cli.Result badFormat = Cli.run("cluster", "status", node.address(), "--format", "xml");
    assertThat(badFormat.exitCode()).isEqualTo(2);
    Cli.Result nobody = Cli.run("cluster", "status", "127.0.0.1:1", "--timeout", "2");
    assertThat(nobody.exitCode()).isEqualTo(1);
    assertThat(nobody.err()).contains("cannot connect to 127.0.0.1:1");
  }
}
