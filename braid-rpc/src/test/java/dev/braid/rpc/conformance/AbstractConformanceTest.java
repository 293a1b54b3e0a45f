package dev.braid.rpc.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.testing.EchoService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport conformance suite: every connection mode braid offers must pass it, in the
 * spirit of gRPC-Java's AbstractTransportTest. Subclasses say how to build the server and
 * the client for their mode.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AbstractConformanceTest {
  static final int MAX = 4 << 20;

  /** Test-only methods next to the Echo service. */
  static final MethodDescriptor<byte[], byte[]> SLOW = MethodDescriptor.raw(
      "/braid.test.Conformance/Slow", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> THROW = MethodDescriptor.raw(
      "/braid.test.Conformance/Throw", MethodType.UNARY);
  static final MethodDescriptor<byte[], byte[]> EARLY_END = MethodDescriptor.raw(
      "/braid.test.Conformance/EarlyEnd", MethodType.BIDI_STREAMING);
  static final MethodDescriptor<byte[], byte[]> NOPE = MethodDescriptor.raw(
      "/braid.test.Echo/Nope", MethodType.UNARY);

  protected EchoService echo;
  protected BraidServer server;
  protected ClientConnection client;
  /** Released to let Slow handlers return. */
  protected final CountDownLatch release = new CountDownLatch(1);
  protected final CompletableFuture<Boolean> slowSawCancel = new CompletableFuture<>();
  /** Counted down when a Slow handler has started. */
  protected final CountDownLatch slowStarted = new CountDownLatch(1);

  /** A server builder for this mode, listening on loopback. */
  protected abstract BraidServer.Builder serverBuilder();

  /** A client builder for this mode. */
  protected abstract ClientConnection.Builder clientBuilder(String hostPort);

  @BeforeEach
  void start() throws Exception {
    echo = new EchoService();
    ServiceDefinition extra = ServiceDefinition.builder("braid.test.Conformance")
        .unary(SLOW, (req, ctx) -> {
          ctx.onCancel(() -> slowSawCancel.complete(true));
          slowStarted.countDown();
          release.await();
          return req;
        })
        .unary(THROW, (req, ctx) -> {
          throw new IllegalStateException("boom from handler");
        })
        .stream(EARLY_END, s -> s.send("bye".getBytes(UTF_8)))
        .build();
    server = serverBuilder().addService(echo.definition()).addService(extra).build().start();
    client = clientBuilder("127.0.0.1:" + server.port()).connect();
    afterConnect();
  }

  /** A hook for modes that need a first call, e.g. to negotiate. */
  protected void afterConnect() throws Exception {}

  @AfterEach
  void stop() {
    release.countDown();
    if (client != null) {
      client.closeNow();
    }
    if (server != null) {
      server.closeNow();
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  // ---------------------------------------------------------- call shapes

  @Test
  void unary() throws Exception {
    assertThat(client.invoke(EchoService.UNARY, bytes("hello"))).isEqualTo(bytes("hello"));
    assertThat(client.invoke(EchoService.UNARY, new byte[0])).isEmpty();
  }

  @Test
  void unaryAsync() throws Exception {
    CompletableFuture<byte[]> f = client.invokeAsync(EchoService.UNARY, bytes("async"));
    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(bytes("async"));
  }

  @Test
  void serverStreaming() throws Exception {
    try (ClientStream<byte[], byte[]> s = client.newStream(EchoService.SERVER_STREAM,
        CallOptions.DEFAULT.withMetadata(Metadata.of("count", "3")))) {
      s.send(bytes("x"));
      s.closeSend();
      for (int i = 0; i < 3; i++) {
        assertThat(s.receive()).isEqualTo(bytes("x"));
      }
      assertThat(s.receive()).isNull();
      assertThat(s.receive()).as("end is sticky").isNull();
    }
  }

  @Test
  void clientStreaming() throws Exception {
    try (ClientStream<byte[], byte[]> s = client.newStream(EchoService.CLIENT_STREAM)) {
      for (String m : List.of("a", "b", "c")) {
        s.send(bytes(m));
      }
      s.closeSend();
      assertThat(s.receive()).isEqualTo(bytes("abc"));
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  void bidiStreaming() throws Exception {
    try (ClientStream<byte[], byte[]> s = client.newStream(EchoService.BIDI)) {
      for (int i = 0; i < 5; i++) {
        s.send(bytes("m" + i));
        assertThat(s.receive()).isEqualTo(bytes("m" + i));
      }
      s.closeSend();
      assertThat(s.receive()).isNull();
    }
  }

  // ------------------------------------------------------------- metadata

  @Test
  void metadataReachesTheServer() throws Exception {
    Metadata md = Metadata.of("a", "1", "k", "v", "empty", "", "ünï", "çødé ✓");
    byte[] got = client.invoke(EchoService.METADATA, new byte[0],
        CallOptions.DEFAULT.withMetadata(md));
    assertThat(new String(got, UTF_8)).isEqualTo("a=1\nempty=\nk=v\nünï=çødé ✓");
  }

  @Test
  void noMetadataMeansEmpty() throws Exception {
    assertThat(client.invoke(EchoService.METADATA, new byte[0])).isEmpty();
  }

  // --------------------------------------------------------------- errors

  @Test
  void errorCodesAndTextsArrive() throws Exception {
    for (String code : List.of("5", "12", "2", "19", Long.toUnsignedString(-1L))) {
      assertThatThrownBy(() -> client.invoke(EchoService.FAIL, bytes("boom " + code),
          CallOptions.DEFAULT.withMetadata(Metadata.of("code", code))))
          .isInstanceOfSatisfying(StatusException.class, e -> {
            assertThat(Long.toUnsignedString(e.code())).isEqualTo(code);
            assertThat(e.status().message()).isEqualTo("boom " + code);
          });
    }
    assertThat(client.invoke(EchoService.UNARY, bytes("still ok"))).isEqualTo(bytes("still ok"));
  }

  @Test
  void unknownMethodIsUnimplemented() throws Exception {
    assertThatThrownBy(() -> client.invoke(NOPE, bytes("x")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED);
          assertThat(e.status().message())
              .isEqualTo("protocol error: unknown rpc: \"/braid.test.Echo/Nope\"");
        });
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  @Test
  void handlerExceptionFailsOnlyThatCall() throws Exception {
    assertThatThrownBy(() -> client.invoke(THROW, bytes("x")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNKNOWN);
          // the cause stays on the server (logged there); the peer gets a generic text
          assertThat(e.status().message()).isEqualTo("handler failed")
              .doesNotContain("boom from handler");
        });
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  // --------------------------------------------------------- cancellation

  @Test
  void cancelBeforeStartSendsNothingAndFails() throws Exception {
    assertThatThrownBy(() -> client.invoke(EchoService.UNARY, bytes("x"),
        CallOptions.DEFAULT.withTimeout(Duration.ZERO)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BIDI);
    s.cancel();
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.CANCELLED));
    assertThatThrownBy(() -> s.send(bytes("late"))).isInstanceOf(StatusException.class);
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  @Test
  void cancelMidStreamReachesTheServerAndKeepsTheConnection() throws Exception {
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BLOCK);
    s.send(bytes("p"));
    assertThat(s.receive()).isEqualTo(bytes("p"));
    s.cancel();
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.CANCELLED));
    assertThat(client.invoke(EchoService.UNARY, bytes("after"))).isEqualTo(bytes("after"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (echo.cancelledBlocks() < 1 && System.nanoTime() < deadline) {
      client.invoke(EchoService.CANCELLED, new byte[0]); // a round trip, not a sleep
    }
    assertThat(echo.cancelledBlocks()).isEqualTo(1);
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void cancelAfterCompletionIsANoOp() throws Exception {
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BIDI);
    s.send(bytes("a"));
    assertThat(s.receive()).isEqualTo(bytes("a"));
    s.closeSend();
    assertThat(s.receive()).isNull();
    s.cancel();
    assertThat(s.receive()).as("a finished stream stays finished").isNull();
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
    assertThat(echo.cancelledBlocks()).isZero();
  }

  @Test
  void cancellingTheAsyncFutureCancelsTheCall() throws Exception {
    CompletableFuture<byte[]> f = client.invokeAsync(SLOW, bytes("x"));
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    f.cancel(true);
    assertThat(slowSawCancel.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  // ------------------------------------------------------------ deadlines

  @Test
  void deadlineFailsTheCallAndReachesTheServer() throws Exception {
    assertThatThrownBy(() -> client.invoke(SLOW, bytes("x"),
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200))))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(slowSawCancel.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  @Test
  void deadlineEndsAStream() throws Exception {
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BLOCK,
        CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
    s.send(bytes("p"));
    assertThat(s.receive()).isEqualTo(bytes("p"));
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  // ------------------------------------------------------------ half-close

  @Test
  void serverMayEndBeforeTheClient() throws Exception {
    try (ClientStream<byte[], byte[]> s = client.newStream(EARLY_END)) {
      assertThat(s.receive()).isEqualTo(bytes("bye"));
      assertThat(s.receive()).isNull();
      s.closeSend();
    }
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  @Test
  void clientHalfCloseStillReceives() throws Exception {
    try (ClientStream<byte[], byte[]> s = client.newStream(EchoService.CLIENT_STREAM)) {
      s.send(bytes("only"));
      s.closeSend();
      s.closeSend();
      assertThatThrownBy(() -> s.send(bytes("after close"))).isInstanceOf(StatusException.class);
      assertThat(s.receive()).isEqualTo(bytes("only"));
      assertThat(s.receive()).isNull();
    }
  }

  // ---------------------------------------------------------------- sizes

  @Test
  void multiFrameMessagesUpToTheLimit() throws Exception {
    for (int size : new int[] {64 << 10, (64 << 10) + 1, 3 << 20, MAX}) {
      byte[] m = random(size, size);
      assertThat(client.invoke(EchoService.UNARY, m)).as("size %d", size).isEqualTo(m);
    }
    try (ClientStream<byte[], byte[]> s = client.newStream(EchoService.BIDI)) {
      byte[] m = random(MAX, 7);
      s.send(m);
      assertThat(s.receive()).isEqualTo(m);
      s.closeSend();
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  void oneByteOverTheLimitIsAClearErrorAndHarmsNothing() throws Exception {
    assertThatThrownBy(() -> client.invoke(EchoService.UNARY, new byte[MAX + 1]))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
          assertThat(e.status().message()).contains("exceeds the maximum message size");
        });
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BIDI);
    assertThatThrownBy(() -> s.send(new byte[MAX + 1]))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(client.invoke(EchoService.UNARY, bytes("ok"))).isEqualTo(bytes("ok"));
  }

  // ------------------------------------------------------------ endurance

  @Test
  void thousandSequentialCallsOnOneConnection() throws Exception {
    for (int i = 0; i < 1000; i++) {
      byte[] m = bytes("call " + i);
      assertThat(client.invoke(EchoService.UNARY, m)).isEqualTo(m);
    }
  }

  @Test
  void concurrentCallersAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            byte[] m = bytes(thread + ":" + i);
            if (!Arrays.equals(client.invoke(EchoService.UNARY, m), m)) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------- lifecycle

  @Test
  void peerClosingMidStreamFailsPendingCallsPromptly() throws Exception {
    ClientStream<byte[], byte[]> s = client.newStream(EchoService.BLOCK);
    s.send(bytes("p"));
    assertThat(s.receive()).isEqualTo(bytes("p"));
    // queued behind the stream in upstream mode, in flight on the server otherwise
    CompletableFuture<byte[]> queued = client.invokeAsync(SLOW, bytes("queued"));
    server.closeNow();
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    assertThat(client.onClose()).succeedsWithin(Duration.ofSeconds(10));
    assertThatThrownBy(() -> client.invoke(EchoService.UNARY, bytes("x")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    assertThat(queued).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void gracefulServerCloseLetsCallsFinish() throws Exception {
    CompletableFuture<byte[]> inFlight = client.invokeAsync(SLOW, bytes("finish me"));
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(server::close);
    closer.start();
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(bytes("finish me"));
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(closer.isAlive()).isFalse();
  }

  @Test
  void clientCloseIsGracefulAndIdempotent() throws Exception {
    CompletableFuture<byte[]> inFlight = client.invokeAsync(SLOW, bytes("x"));
    Thread closer = new Thread(client::close);
    closer.start();
    release.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(bytes("x"));
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(client.isOpen()).isFalse();
    client.close();
    assertThatThrownBy(() -> client.invoke(EchoService.UNARY, bytes("x")))
        .isInstanceOf(StatusException.class);
  }
}
