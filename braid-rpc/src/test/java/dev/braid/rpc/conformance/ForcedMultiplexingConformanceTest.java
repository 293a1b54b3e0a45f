package dev.braid.rpc.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Multiplexing;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite with multiplexing forced on without negotiation, as braid talks to
 * the cockroachdb fork: concurrent streams, each packet's frames contiguous.
 */
class ForcedMultiplexingConformanceTest extends AbstractConformanceTest {
  @Override
  protected BraidServer.Builder serverBuilder() {
    return BraidServer.builder().listen("127.0.0.1", 0);
  }

  @Override
  protected ClientConnection.Builder clientBuilder(String hostPort) {
    return ClientConnection.builder(hostPort).multiplexing(Multiplexing.FORCE);
  }

  @Test
  void notNegotiated() throws Exception {
    client.invoke(dev.braid.rpc.testing.EchoService.UNARY, bytes("x"));
    assertThat(client.isNegotiated()).isFalse();
  }
}
