package dev.braid.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.testing.EchoService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, defect 2, against the real Go server (storj.io/drpc v1.0.0): a call with a
 * timeout shows the Go handler exactly the caller's metadata (the deadline travels in a
 * braid control packet, which upstream ignores), in every multiplexing mode.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineToGoServerTest {
  @Test
  void theGoHandlerSeesExactlyTheCallersMetadata() throws Exception {
    try (GoPeer.Server go = new GoPeer.Server("echoserver", "-listen", "127.0.0.1:0")) {
      for (Multiplexing mode : new Multiplexing[] {Multiplexing.NEGOTIATE,
          Multiplexing.OFF}) {
        ClientConnection conn = ClientConnection.builder(go.address).multiplexing(mode)
            .connect();
        try {
          for (int i = 0; i < 3; i++) { // the first call carries the announcement too
            byte[] reply = conn.invoke(EchoService.METADATA, new byte[0], CallOptions.DEFAULT
                .withMetadata(Metadata.of("k", "v"))
                .withTimeout(Duration.ofSeconds(30)));
            assertThat(new String(reply, StandardCharsets.UTF_8)).as(mode + " call " + i)
                .isEqualTo("k=v");
          }
        } finally {
          conn.closeNow();
        }
      }
    }
  }
}
