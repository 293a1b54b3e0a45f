package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.StatusException;
import dev.braid.store.proto.ReadDataRequest;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReplicaBraid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the multi-process upgrade tests check, through {@code braid cluster} and the verbs. */
final class UpgradeAssertions {
  static final String FEATURE = "POSITION_RANGE";

  private UpgradeAssertions() {}

  /**
   * Waits until {@code braid cluster status --format json} on every node shows POSITION_RANGE
   * in {@code state}, lacking exactly {@code lacking} (host ids).
   */
  static void onEveryNode(List<NodeProcesses.Proc> nodes, String state, String... lacking) {
    List<String> want = Arrays.stream(lacking).sorted().toList();
    String[] last = {""};
    try {
      NodeProcesses.await(FEATURE + " " + state + " lacking " + want + " on every node", 45,
          () -> {
            for (NodeProcesses.Proc p : nodes) {
              Struct f = NodeProcesses.feature(NodeProcesses.status(p), FEATURE);
              last[0] = p.name + ": " + f;
              if (!NodeProcesses.state(f).equals(state)
                  || (!state.equals("enabled") && !NodeProcesses.lacking(f).equals(want))) {
                return false;
              }
            }
            return true;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last seen " + last[0], e);
    }
  }

  /** The node's entry in a status, by host id. */
  static Struct member(Struct status, String hostId) {
    for (Value v : status.getFieldsOrThrow("nodes").getListValue().getValuesList()) {
      if (v.getStructValue().getFieldsOrThrow("host_id").getStringValue().equals(hostId)) {
        return v.getStructValue();
      }
    }
    return null;
  }

  /** The code a v1 and a v2 ReadData get from the node (0: served). */
  static long[] readCodes(NodeProcesses.Proc p) throws IOException {
    try (ClientConnection c = ClientConnection.connect(p.address())) {
      ReplicaBraid.Client client = ReplicaBraid.newClient(c);
      long v1 = 0;
      long v2 = 0;
      try {
        assertThat(client.readData(ReadDataRequest.getDefaultInstance()).getException()
            .hasUnknownTable()).isTrue();
      } catch (StatusException e) {
        v1 = e.code();
      }
      try {
        assertThat(client.readDataV2(ReadDataV2Request.getDefaultInstance()).getException()
            .hasUnknownTable()).isTrue();
      } catch (StatusException e) {
        v2 = e.code();
      }
      return new long[] {v1, v2};
    }
  }

  /** Asserts the node serves exactly its release's read verbs. */
  static void servesItsRelease(NodeProcesses.Proc p, int release) throws IOException {
    long[] codes = readCodes(p);
    assertThat(codes[0]).as(p.name + " ReadData").isEqualTo(release == 3 ? Code.UNIMPLEMENTED : 0);
    assertThat(codes[1]).as(p.name + " ReadDataV2")
        .isEqualTo(release == 1 ? Code.UNIMPLEMENTED : 0);
  }

  /** Every "enabled it N time(s)" figure in every node log under {@code root}. */
  static List<Integer> enablementCounts(Path root) throws IOException {
    List<Integer> out = new ArrayList<>();
    Pattern p = Pattern.compile("feature " + FEATURE + " is enabled on this node; the"
        + " cluster's log enabled it (\\d+) time");
    try (Stream<Path> logs = Files.list(root)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        Matcher m = p.matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (m.find()) {
          out.add(Integer.parseInt(m.group(1)));
        }
      }
    }
    return out;
  }
}
