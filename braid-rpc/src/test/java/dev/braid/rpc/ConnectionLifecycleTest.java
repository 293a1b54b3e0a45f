package dev.braid.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.internal.Resources;
import dev.braid.rpc.testing.EchoService;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.lang.reflect.Field;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Connections opened and closed in bulk leave nothing behind, and a client survives its
 * server's restart.
 */
class ConnectionLifecycleTest {
  static final MethodDescriptor<byte[], byte[]> ECHO = EchoService.UNARY;

  /** Scheduled tasks pending on the shared event loops (read on each loop's thread). */
  static int scheduledTasks() throws Exception {
    Field f = AbstractScheduledEventExecutor.class.getDeclaredField("scheduledTaskQueue");
    f.setAccessible(true);
    int n = 0;
    for (EventExecutor e : Resources.eventLoops()) {
      EventLoop loop = (EventLoop) e;
      n += loop.submit(() -> {
        Object q = f.get(loop);
        return q == null ? 0 : ((Collection<?>) q).size();
      }).get(10, TimeUnit.SECONDS);
    }
    return n;
  }

  static void awaitTrue(java.util.function.BooleanSupplier c, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  static int settledTasks(int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int n;
    while ((n = scheduledTasks()) > expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return n;
  }

  /**
   * 10,000 connections opened and closed against a server with idle timeout and every
   * timeout-based protection on, plus 200 braid clients with keepalive and idle timeout:
   * no scheduled task, thread or direct buffer is left behind.
   */
  @Test
  void tenThousandConnectionsLeaveNothingBehind() throws Exception {
    try (BraidServer server = BraidServer.builder()
        .addService(new EchoService().definition())
        .idleTimeout(Duration.ofSeconds(30))
        .firstInvokeTimeout(Duration.ofSeconds(30))
        .halfFrameTimeout(Duration.ofSeconds(30))
        .writeStallTimeout(Duration.ofSeconds(30))
        .build().start()) {
      // warm up: the loops, the pools and the handler threads exist before counting
      try (ClientConnection c = ClientConnection.builder("127.0.0.1:" + server.port())
          .keepalive(Duration.ofSeconds(30)).idleTimeout(Duration.ofSeconds(30)).connect()) {
        c.invoke(ECHO, new byte[] {1});
      }
      awaitTrue(() -> server.connectionCount() == 0, "the warm-up connection is gone");
      int tasksBefore = settledTasks(0);
      long directBefore = PlatformDependent.usedDirectMemory();
      int threadsBefore = Thread.activeCount();

      for (int i = 0; i < 10_000; i++) {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
          s.setSoLinger(true, 0); // no TIME_WAIT pile-up on the loopback
          if (i % 2 == 0) {
            s.getOutputStream().write(new byte[] {0x03, 0x01}); // half a frame header
          }
        }
      }
      for (int i = 0; i < 200; i++) {
        try (ClientConnection c = ClientConnection.builder("127.0.0.1:" + server.port())
            .keepalive(Duration.ofSeconds(30)).idleTimeout(Duration.ofSeconds(30))
            .connect()) {
          c.invoke(ECHO, new byte[] {(byte) i});
        }
      }
      awaitTrue(() -> server.connectionCount() == 0, "every connection is closed");
      int tasksAfter = settledTasks(tasksBefore);
      assertThat(tasksAfter).as("scheduled tasks left").isLessThanOrEqualTo(tasksBefore);
      assertThat(PlatformDependent.usedDirectMemory() - directBefore)
          .as("direct memory left").isLessThan(16L << 20);
      // the handler pool may keep a few idle threads for a while; no thread per connection
      assertThat(Thread.activeCount() - threadsBefore).as("threads left").isLessThan(64);
    }
  }

  /**
   * The client keeps calling while its server is stopped and restarted on the same port:
   * calls during the outage fail fast with UNAVAILABLE, and calls succeed again within the
   * backoff, on the same {@link ClientConnection}.
   */
  @Test
  void aClientSurvivesItsServerRestarting() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    BraidServer server = BraidServer.builder().listen("127.0.0.1", port)
        .addService(new EchoService().definition()).build().start();
    try (ClientConnection client = ClientConnection.builder("127.0.0.1:" + port)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400)).connect()) {
      assertThat(client.invoke(ECHO, new byte[] {1})).containsExactly(1);
      server.closeNow();
      awaitTrue(() -> !client.isOpen(), "the client saw the server go");
      int failed = 0;
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        try {
          client.invoke(ECHO, new byte[] {2}, CallOptions.DEFAULT
              .withTimeout(Duration.ofSeconds(30)));
          throw new AssertionError("a call succeeded while the server was down");
        } catch (StatusException e) {
          assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
          failed++;
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .as("fails fast").isLessThan(2_000);
      }
      assertThat(failed).isEqualTo(20);
      server = BraidServer.builder().listen("127.0.0.1", port)
          .addService(new EchoService().definition()).build().start();
      long restarted = System.nanoTime();
      byte[] reply = null;
      while (reply == null) {
        try {
          reply = client.invoke(ECHO, new byte[] {3});
        } catch (StatusException e) {
          assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
          assertThat(System.nanoTime() - restarted).as("back within the backoff")
              .isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
      }
      assertThat(reply).containsExactly(3);
      assertThat(client.invoke(ECHO, new byte[] {4})).containsExactly(4);
    } finally {
      server.closeNow();
    }
  }
}
