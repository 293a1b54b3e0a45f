package dev.braid.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** Closing a server releases its port before {@code close} returns. */
class ServerCloseTest {
  /**
   * The JDK frees a socket registered with a selector only after the selector drops it, a
   * step after Netty's close future completes; a connection right after close must still be
   * refused. Repeated, because the window is short.
   */
  @Test
  void thePortIsFreeWhenCloseReturns() throws Exception {
    for (int i = 0; i < 300; i++) {
      BraidServer server = BraidServer.builder().listen("127.0.0.1", 0).build().start();
      int port = server.port();
      if (i % 2 == 0) {
        server.close();
      } else {
        server.closeNow();
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        // a socket may connect to itself when the kernel picks the port as its source
        assertThat(probe.getLocalPort()).as("round %d: connected to a closed server", i)
            .isEqualTo(port);
      } catch (ConnectException refused) {
        assertThat(refused).hasMessageContaining("refused");
      }
    }
  }
}
