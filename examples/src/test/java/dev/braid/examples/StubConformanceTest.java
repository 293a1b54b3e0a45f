package dev.braid.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.braid.examples.echo.EchoBraid;
import dev.braid.examples.echo.EchoRequest;
import dev.braid.examples.echo.EchoResponse;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.StatusException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The foundation's conformance cases that EchoStubsTest does not already cover, run through
 * the code protoc-gen-braid generates: cancellation, deadlines, messages at and over the
 * size limit, handler exceptions, 1000 sequential calls and a peer closing mid-stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StubConformanceTest {
  static final int MAX = 4 << 20;

  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch slowStarted = new CountDownLatch(1);
  final CompletableFuture<Boolean> sawCancel = new CompletableFuture<>();
  BraidServer server;
  ClientConnection conn;
  EchoBraid.Client echo;

  /** Echo, with behaviour keyed on the request text for the cases below. */
  class Impl extends EchoServiceImpl {
    @Override
    public EchoResponse unary(EchoRequest request, ServerContext context)
        throws StatusException {
      if (request.getText().equals("slow")) {
        context.onCancel(() -> sawCancel.complete(true));
        slowStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (request.getText().equals("throw")) {
        throw new IllegalStateException("boom from a generated handler");
      }
      return super.unary(request, context);
    }

    @Override
    public void bidi(ServerStream<EchoRequest, EchoResponse> stream) throws StatusException {
      stream.onCancel(() -> sawCancel.complete(true));
      super.bidi(stream);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = BraidServer.builder().addService(EchoBraid.bindService(new Impl())).build()
        .start();
    conn = ClientConnection.connect("127.0.0.1:" + server.port());
    echo = EchoBraid.newClient(conn);
  }

  @AfterEach
  void stop() {
    release.countDown();
    conn.closeNow();
    server.closeNow();
  }

  static EchoRequest req(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  @Test
  void cancelMidStreamReachesTheServerAndKeepsTheConnection() throws Exception {
    ClientStream<EchoRequest, EchoResponse> s = echo.bidi();
    s.send(req("a"));
    assertThat(s.receive().getText()).isEqualTo("a");
    s.cancel();
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.CANCELLED));
    assertThat(sawCancel.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(echo.unary(req("after")).getText()).isEqualTo("after");
  }

  @Test
  void cancellingTheAsyncFutureCancelsTheCall() throws Exception {
    CompletableFuture<EchoResponse> f = echo.unaryAsync(req("slow"));
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    f.cancel(true);
    assertThat(sawCancel.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(echo.unary(req("ok")).getText()).isEqualTo("ok");
  }

  @Test
  void deadlineFailsTheCallAndReachesTheServer() throws Exception {
    EchoBraid.Client withDeadline =
        echo.withOptions(CallOptions.DEFAULT.withTimeout(Duration.ofMillis(200)));
    assertThatThrownBy(() -> withDeadline.unary(req("slow")))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat(sawCancel.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(echo.unary(req("ok")).getText()).isEqualTo("ok");
  }

  @Test
  void messagesUpToTheLimitAndOneByteOver() throws Exception {
    // the largest payload whose encoded request still fits in MAX
    byte[] payload = new byte[MAX - 16];
    new Random(3).nextBytes(payload);
    EchoRequest big = req("big").toBuilder().setPayload(ByteString.copyFrom(payload)).build();
    assertThat(big.getSerializedSize()).isLessThanOrEqualTo(MAX);
    assertThat(echo.unary(big).getPayload()).isEqualTo(big.getPayload());
    EchoRequest over = req("").toBuilder().setPayload(ByteString.copyFrom(new byte[MAX]))
        .build();
    assertThatThrownBy(() -> echo.unary(over)).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    assertThat(echo.unary(req("ok")).getText()).isEqualTo("ok");
  }

  @Test
  void handlerExceptionFailsOnlyThatCall() throws Exception {
    assertThatThrownBy(() -> echo.unary(req("throw")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNKNOWN);
          // the cause stays on the server (logged there); the peer gets a generic message
          assertThat(e.status().message()).isEqualTo("handler failed")
              .doesNotContain("boom from a generated handler");
        });
    assertThat(echo.unary(req("ok")).getText()).isEqualTo("ok");
  }

  @Test
  void thousandSequentialCalls() throws Exception {
    for (int i = 0; i < 1000; i++) {
      assertThat(echo.unary(req("n" + i)).getText()).isEqualTo("n" + i);
    }
  }

  @Test
  void peerClosingMidStreamFailsPromptly() throws Exception {
    ClientStream<EchoRequest, EchoResponse> s = echo.bidi();
    s.send(req("a"));
    assertThat(s.receive().getText()).isEqualTo("a");
    server.closeNow();
    assertThatThrownBy(s::receive).isInstanceOfSatisfying(StatusException.class,
        e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    assertThatThrownBy(() -> echo.unary(req("x"))).isInstanceOf(StatusException.class);
  }
}
