package dev.braid.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Regression tests of issue 15 that need real sockets: a client that survives its
 * connection's close, and a server that stops loudly after an {@link Error} on an engine
 * thread. Both failed against commit {@code 4d9c09a}.
 */
class EngineLifecycleRegressionTest {
  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.raw("/t.T/Echo", MethodType.UNARY);

  /** Defect 5: a connection closed by its idle timeout is redialled by the next call. */
  @Test
  void aClientConnectionClosedByItsIdleTimeoutRedials() throws Exception {
    try (BraidServer server = BraidServer.builder().addUnary(ECHO, (r, c) -> r).build()
        .start();
        ClientConnection conn = ClientConnection.builder("127.0.0.1:" + server.port())
            .idleTimeout(Duration.ofMillis(200)).connect()) {
      assertThat(conn.invoke(ECHO, new byte[] {1})).containsExactly(1);
      conn.onClose().get(10, TimeUnit.SECONDS); // closed by the idle timeout
      assertThat(conn.invoke(ECHO, new byte[] {2})).containsExactly(2);
    }
  }

  /**
   * Defect 4: an {@link Error} on an engine thread (here thrown by the handler executor,
   * which the event loop calls) stops the server: the listening socket closes.
   */
  @Test
  void anErrorOnAnEngineThreadStopsTheServer() throws Exception {
    BraidServer server = BraidServer.builder()
        .addUnary(ECHO, (r, c) -> r)
        .executor(task -> {
          throw new OutOfMemoryError("injected by the test");
        })
        .build()
        .start();
    int port = server.port();
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      byte[] name = ECHO.fullName().getBytes(StandardCharsets.US_ASCII);
      out.write(dev.braid.wire.Frames.encode(dev.braid.wire.Packet.of(dev.braid.wire.Kind.INVOKE,
          1, 1, name), 1 << 16));
      out.write(dev.braid.wire.Frames.encode(dev.braid.wire.Packet.of(
          dev.braid.wire.Kind.MESSAGE, 1, 2, new byte[] {1}), 1 << 16));
      out.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      boolean listening = true;
      while (listening && System.nanoTime() < deadline) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          Thread.onSpinWait();
        } catch (ConnectException e) {
          listening = false;
        } catch (IOException e) {
          // keep probing
        }
      }
      assertThat(listening).as("the server still listens after an Error").isFalse();
    } finally {
      server.closeNow();
    }
  }
}
