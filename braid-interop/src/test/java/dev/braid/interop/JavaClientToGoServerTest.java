package dev.braid.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.testing.EchoService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The braid client calls the real Go server (storj.io/drpc v1.0.0 {@code drpcserver} with
 * {@code drpcmux}) serving {@code braid.test.Echo}, every case on ONE connection: the four
 * call shapes, metadata, errors with codes, an unknown method, soft cancel mid-stream and a
 * deadline (each followed by more calls), 3 MiB messages, 1000 sequential calls and 16
 * threads sharing the connection. After every case the connection must still be open and
 * must not have negotiated multiplexing (upstream DRPC ignores braid's announcement).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaClientToGoServerTest {
  static final int MIB = 1 << 20;

  GoPeer.Server goServer;
  ClientConnection conn;

  @BeforeAll
  void connect() throws Exception {
    goServer = new GoPeer.Server("echoserver", "-listen", "127.0.0.1:0");
    conn = ClientConnection.connect(goServer.address);
  }

  @AfterAll
  void close() throws Exception {
    if (conn != null) {
      conn.closeNow();
    }
    if (goServer != null) {
      goServer.close();
    }
  }

  @AfterEach
  void connectionStaysOpenInUpstreamMode() {
    assertThat(conn.isOpen()).as("the one connection is still open").isTrue();
    // storj.io/drpc ignores braid's announcement: no multiplexing, one stream at a time.
    assertThat(conn.isNegotiated()).as("multiplexing negotiated with upstream Go").isFalse();
  }

  @Test
  @Order(1)
  void unary() throws Exception {
    assertThat(conn.invoke(EchoService.UNARY, bytes("hello"))).isEqualTo(bytes("hello"));
    assertThat(conn.invoke(EchoService.UNARY, new byte[0])).isEmpty();
  }

  @Test
  @Order(2)
  void metadataReachesTheServer() throws Exception {
    byte[] reply = conn.invoke(EchoService.METADATA, new byte[0],
        CallOptions.DEFAULT.withMetadata(Metadata.of("a", "1", "k", "v")));
    assertThat(text(reply)).isEqualTo("a=1\nk=v");
  }

  @Test
  @Order(3)
  void serverStream() throws Exception {
    try (ClientStream<byte[], byte[]> s = conn.newStream(EchoService.SERVER_STREAM,
        CallOptions.DEFAULT.withMetadata(Metadata.of("count", "3")))) {
      s.send(bytes("x"));
      s.closeSend();
      for (int i = 0; i < 3; i++) {
        assertThat(s.receive()).as("reply %s", i).isEqualTo(bytes("x"));
      }
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  @Order(4)
  void clientStream() throws Exception {
    try (ClientStream<byte[], byte[]> s = conn.newStream(EchoService.CLIENT_STREAM)) {
      for (String m : List.of("a", "b", "c")) {
        s.send(bytes(m));
      }
      s.closeSend();
      assertThat(text(s.receive())).isEqualTo("abc");
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  @Order(5)
  void bidi() throws Exception {
    try (ClientStream<byte[], byte[]> s = conn.newStream(EchoService.BIDI)) {
      for (int i = 0; i < 5; i++) {
        s.send(bytes("m" + i));
        assertThat(text(s.receive())).isEqualTo("m" + i);
      }
      s.closeSend();
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  @Order(6)
  void errorWithCode5() {
    assertStatus(() -> conn.invoke(EchoService.FAIL, bytes("boom"),
        CallOptions.DEFAULT.withMetadata(Metadata.of("code", "5"))), 5, "boom");
  }

  @Test
  @Order(7)
  void errorWithCode12() {
    assertStatus(() -> conn.invoke(EchoService.FAIL, bytes("Unimplemented"),
        CallOptions.DEFAULT.withMetadata(Metadata.of("code", "12"))), 12, "Unimplemented");
  }

  @Test
  @Order(8)
  void unknownMethodIsAnErrorWithoutCode() {
    // drpcmux answers with a plain error: code 0, DRPC's text.
    MethodDescriptor<byte[], byte[]> nope =
        MethodDescriptor.raw("/braid.test.Echo/Nope", MethodType.UNARY);
    assertStatus(() -> conn.invoke(nope, bytes("?")), Code.NONE,
        "protocol error: unknown rpc: \"/braid.test.Echo/Nope\"");
  }

  @Test
  @Order(9)
  void softCancelMidStreamLeavesTheConnectionUsable() throws Exception {
    ClientStream<byte[], byte[]> s = conn.newStream(EchoService.BLOCK);
    s.send(bytes("p"));
    assertThat(text(s.receive())).isEqualTo("p");
    s.cancel();
    assertThatThrownBy(s::receive).isInstanceOf(StatusException.class)
        .extracting(e -> ((StatusException) e).code()).isEqualTo(Code.CANCELLED);

    assertThat(conn.invoke(EchoService.UNARY, bytes("after cancel")))
        .isEqualTo(bytes("after cancel"));
    assertThat(awaitCancelledBlocks(1)).isGreaterThanOrEqualTo(1);
  }

  @Test
  @Order(10)
  void deadlineFailsTheStreamWithCode4AndLeavesTheConnectionUsable() throws Exception {
    long before = cancelledBlocks();
    long start = System.nanoTime();
    ClientStream<byte[], byte[]> s = conn.newStream(EchoService.BLOCK,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(100)));
    assertThatThrownBy(s::receive).isInstanceOf(StatusException.class)
        .extracting(e -> ((StatusException) e).code()).isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100)).isLessThan(Duration.ofSeconds(10));

    assertThat(conn.invoke(EchoService.UNARY, bytes("after deadline")))
        .isEqualTo(bytes("after deadline"));
    // The server saw a Cancel, not a broken connection.
    assertThat(awaitCancelledBlocks(before + 1)).isGreaterThan(before);
  }

  @Test
  @Order(11)
  void threeMebibyteUnary() throws Exception {
    byte[] big = random(3 * MIB, 1);
    assertThat(conn.invoke(EchoService.UNARY, big)).isEqualTo(big);
  }

  @Test
  @Order(12)
  void threeTimesThreeMebibyteBidi() throws Exception {
    List<byte[]> sent = List.of(random(3 * MIB, 2), random(3 * MIB, 3), random(3 * MIB, 4));
    try (ClientStream<byte[], byte[]> s = conn.newStream(EchoService.BIDI)) {
      // Send on another thread while receiving here: both directions carry 9 MiB at once.
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        try {
          for (byte[] m : sent) {
            s.send(m);
          }
          s.closeSend();
        } catch (StatusException e) {
          throw new IllegalStateException(e);
        }
      });
      for (int i = 0; i < sent.size(); i++) {
        assertThat(s.receive()).as("echo %s", i).isEqualTo(sent.get(i));
      }
      assertThat(s.receive()).isNull();
      sender.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(13)
  void thousandSequentialCalls() throws Exception {
    for (int i = 0; i < 1000; i++) {
      byte[] m = bytes("call " + i);
      assertThat(conn.invoke(EchoService.UNARY, m)).as("call %s", i).isEqualTo(m);
    }
  }

  @Test
  @Order(14)
  void sixteenThreadsShareTheConnection() throws Exception {
    int threads = 16;
    int callsEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < callsEach; i++) {
            byte[] m = bytes("thread " + thread + " call " + i);
            assertThat(conn.invoke(EchoService.UNARY, m)).isEqualTo(m);
          }
          return callsEach;
        }));
      }
      int total = 0;
      for (Future<Integer> r : results) {
        total += r.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(threads * callsEach);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * With a pool, concurrent callers against the upstream server are spread over up to
   * {@code poolSize} connections instead of queueing on one (drpcpool's approach).
   */
  @Test
  @Order(15)
  void poolSpreadsConcurrentCallersOverConnections() throws Exception {
    int threads = 16;
    try (ClientConnection pooled = ClientConnection.builder(goServer.address).poolSize(4)
        .connect()) {
      ExecutorService workers = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          results.add(workers.submit(() -> {
            for (int i = 0; i < 25; i++) {
              byte[] m = bytes("pooled " + thread + " " + i);
              assertThat(pooled.invoke(EchoService.UNARY, m)).isEqualTo(m);
            }
            return 25;
          }));
        }
        for (Future<Integer> r : results) {
          assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(25);
        }
      } finally {
        workers.shutdownNow();
      }
      assertThat(pooled.connectionCount()).isBetween(2, 4);
      assertThat(pooled.isNegotiated()).isFalse();
    }
  }

  /** Polls the server's count of cancelled Block streams until it reaches {@code n}. */
  private long awaitCancelledBlocks(long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long seen = cancelledBlocks();
    for (long pause = 1; seen < n && System.nanoTime() < deadline; pause = Math.min(pause * 2, 64)) {
      for (long i = 0; i < pause * 1000; i++) {
        Thread.onSpinWait();
      }
      seen = cancelledBlocks();
    }
    assertThat(seen).as("cancelled Block streams on the Go server within 5 s").isGreaterThanOrEqualTo(n);
    return seen;
  }

  private long cancelledBlocks() throws StatusException {
    return Long.parseLong(text(conn.invoke(EchoService.CANCELLED, new byte[0])));
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void assertStatus(Call call, long code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusException.class, e -> {
      assertThat(e.code()).as("code").isEqualTo(code);
      assertThat(e.status().message()).as("message").isEqualTo(message);
    });
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
