package dev.braid.rpc.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.testing.EchoService;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite once braid client and server have negotiated multiplexing: streams
 * run concurrently, with flow control and frame interleaving.
 */
class MultiplexedModeConformanceTest extends AbstractConformanceTest {
  @Override
  protected BraidServer.Builder serverBuilder() {
    return BraidServer.builder().listen("127.0.0.1", 0);
  }

  @Override
  protected ClientConnection.Builder clientBuilder(String hostPort) {
    return ClientConnection.builder(hostPort);
  }

  @Override
  protected void afterConnect() throws Exception {
    // the first call carries the announcement; its answer switches multiplexing on
    assertThat(client.invoke(EchoService.UNARY, bytes("hello"))).isEqualTo(bytes("hello"));
    assertThat(client.isNegotiated()).isTrue();
  }

  @Test
  void negotiated() {
    assertThat(client.isNegotiated()).isTrue();
  }
}
