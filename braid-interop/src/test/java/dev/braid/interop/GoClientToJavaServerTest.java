package dev.braid.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.testing.EchoService;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real Go client (storj.io/drpc v1.0.0, soft cancel on) calls a braid server: the four
 * call shapes, metadata, errors with codes 5 and 12, an unknown method, soft cancel
 * mid-stream followed by more calls on the same connection, 3 MiB messages and 1000
 * sequential calls. The Go program asserts what it receives; this test asserts that every
 * case passed and that the server saw the cancel.
 */
class GoClientToJavaServerTest {
  static final List<String> CASES = List.of("unary", "metadata", "server_stream",
      "client_stream", "bidi", "error5", "error12", "unknown", "cancel", "large",
      "sequential");

  @Test
  void goClientPassesEveryCaseAgainstBraidServer() throws Exception {
    EchoService echo = new EchoService();
    try (BraidServer server = BraidServer.builder().listen("127.0.0.1", 0)
        .addService(echo.definition()).build().start()) {
      GoPeer.Result r = GoPeer.run(180, GoPeer.bin("echoclient").toString(),
          "-addr", "127.0.0.1:" + server.port(), "-case", "all");
      for (String c : CASES) {
        assertThat(r.lines()).as("output").contains("PASS " + c);
      }
      assertThat(r.lines()).contains(CASES.size() + " passed, 0 failed");
      assertThat(r.lines()).anySatisfy(l -> assertThat(l)
          .contains("INFO unknown: code=12"));
      assertThat(r.exitCode()).isZero();
      assertThat(echo.cancelledBlocks()).isGreaterThanOrEqualTo(1);
    }
  }
}
