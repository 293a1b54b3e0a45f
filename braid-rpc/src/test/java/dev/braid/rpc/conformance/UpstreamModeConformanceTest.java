package dev.braid.rpc.conformance;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;

/** The conformance suite in upstream-compatible mode (one stream at a time per client). */
class UpstreamModeConformanceTest extends AbstractConformanceTest {
  @Override
  protected BraidServer.Builder serverBuilder() {
    return BraidServer.builder().listen("127.0.0.1", 0);
  }

  @Override
  protected ClientConnection.Builder clientBuilder(String hostPort) {
    return ClientConnection.builder(hostPort).multiplexing(dev.braid.rpc.Multiplexing.OFF);
  }
}
