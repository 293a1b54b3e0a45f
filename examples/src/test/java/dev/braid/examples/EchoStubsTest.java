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
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.StatusException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call shape through the generated stubs, against a BraidServer. */
class EchoStubsTest {
  static BraidServer server;
  static ClientConnection conn;
  static EchoBraid.Client echo;

  @BeforeAll
  static void start() throws Exception {
    server = BraidServer.builder().addService(EchoBraid.bindService(new EchoServiceImpl()))
        .build().start();
    conn = ClientConnection.connect("127.0.0.1:" + server.port());
    echo = EchoBraid.newClient(conn);
  }

  @AfterAll
  static void stop() {
    conn.close();
    server.close();
  }

  static EchoRequest req(String text) {
    return EchoRequest.newBuilder().setText(text).build();
  }

  @Test
  void descriptorsCarryTheDrpcNames() {
    assertThat(EchoBraid.SERVICE_NAME).isEqualTo("braid.examples.echo.Echo");
    assertThat(EchoBraid.UNARY_METHOD.fullName()).isEqualTo("/braid.examples.echo.Echo/Unary");
    assertThat(EchoBraid.UNARY_METHOD.type()).isEqualTo(MethodType.UNARY);
    assertThat(EchoBraid.SERVER_STREAM_METHOD.type()).isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(EchoBraid.CLIENT_STREAM_METHOD.type()).isEqualTo(MethodType.CLIENT_STREAMING);
    assertThat(EchoBraid.BIDI_METHOD.type()).isEqualTo(MethodType.BIDI_STREAMING);
    assertThat(EchoBraid.bindService(new EchoServiceImpl()).entries()).hasSize(5);
  }

  @Test
  void unaryBlockingAndAsync() throws Exception {
    ByteString big = ByteString.copyFrom(new byte[200_000]);
    EchoResponse r = echo.unary(req("hi").toBuilder().setPayload(big).build());
    assertThat(r.getText()).isEqualTo("hi");
    assertThat(r.getPayload()).isEqualTo(big);
    CompletableFuture<EchoResponse> f = echo.unaryAsync(req("async"));
    assertThat(f.get(10, TimeUnit.SECONDS).getText()).isEqualTo("async");
  }

  @Test
  void callOptionsCarryMetadata() throws Exception {
    EchoBraid.Client withSuffix = echo.withOptions(CallOptions.DEFAULT
        .withMetadata(Metadata.of("suffix", "!")).withTimeout(Duration.ofSeconds(5)));
    assertThat(withSuffix.unary(req("hey")).getText()).isEqualTo("hey!");
    assertThat(withSuffix.options().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(echo.unary(req("hey")).getText()).isEqualTo("hey");
  }

  @Test
  void serverStreamingBothWays() throws Exception {
    List<EchoResponse> got = new ArrayList<>();
    echo.serverStream(req("s").toBuilder().setCount(5).build(), got::add);
    assertThat(got).extracting(EchoResponse::getIndex).containsExactly(0, 1, 2, 3, 4);
    try (ClientStream<EchoRequest, EchoResponse> s =
        echo.serverStream(req("t").toBuilder().setCount(3).build())) {
      assertThat(s.receive().getIndex()).isZero();
      assertThat(s.receive().getIndex()).isEqualTo(1);
      assertThat(s.receive().getIndex()).isEqualTo(2);
      assertThat(s.receive()).isNull();
    }
    List<EchoResponse> none = new ArrayList<>();
    echo.serverStream(req("none"), none::add);
    assertThat(none).isEmpty();
  }

  @Test
  void clientStreamingBothWays() throws Exception {
    EchoResponse r = echo.clientStream(List.of(req("a"), req("b"), req("c")));
    assertThat(r.getText()).isEqualTo("a,b,c");
    assertThat(r.getIndex()).isEqualTo(3);
    try (ClientStream<EchoRequest, EchoResponse> s = echo.clientStream()) {
      s.send(req("x"));
      s.send(req("y"));
      s.closeSend();
      assertThat(s.receive().getText()).isEqualTo("x,y");
    }
    assertThat(echo.clientStream(List.of()).getIndex()).isZero();
  }

  @Test
  void bidiStreaming() throws Exception {
    try (ClientStream<EchoRequest, EchoResponse> s = echo.bidi()) {
      for (int i = 0; i < 50; i++) {
        s.send(req("m" + i));
        EchoResponse r = s.receive();
        assertThat(r.getText()).isEqualTo("m" + i);
        assertThat(r.getIndex()).isEqualTo(i);
      }
      s.closeSend();
      assertThat(s.receive()).isNull();
    }
  }

  @Test
  void errorCodesReachTheClient() {
    assertThatThrownBy(() -> echo.unary(req("not here").toBuilder().setFailCode(5).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
          assertThat(e.status().message()).isEqualTo("not here");
        });
    assertThatThrownBy(() -> echo.unaryAsync(req("async fail").toBuilder().setFailCode(9)
        .build()).get()).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(9));
    assertThatThrownBy(() -> echo.serverStream(req("s").toBuilder().setFailCode(7).build(),
        r -> { })).isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(7));
    assertThatThrownBy(() -> echo.clientStream(List.of(req("ok"), req("bad").toBuilder()
        .setFailCode(3).build()))).isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(3));
    // a code braid's Code class does not name travels unchanged
    assertThatThrownBy(() -> echo.unary(req("custom").toBuilder().setFailCode(4242).build()))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(4242));
  }

  @Test
  void unimplementedMethodAnswersCode12() throws Exception {
    assertThatThrownBy(() -> echo.notImplemented(req("?")))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED).isEqualTo(12);
          assertThat(e.status().message()).isEqualTo("Unimplemented");
        });
    // an implementation of nothing answers 12 for every shape
    try (BraidServer empty = BraidServer.builder()
        .addService(EchoBraid.bindService(new EchoBraid.Service() { })).build().start();
        ClientConnection c = ClientConnection.connect("127.0.0.1:" + empty.port())) {
      EchoBraid.Client client = EchoBraid.newClient(c);
      for (ThrowingCall call : List.<ThrowingCall>of(
          () -> client.unary(req("u")),
          () -> client.serverStream(req("s"), r -> { }),
          () -> client.clientStream(List.of(req("c"))),
          () -> {
            try (ClientStream<EchoRequest, EchoResponse> s = client.bidi()) {
              s.send(req("b"));
              s.closeSend();
              s.receive();
            }
          })) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.code()).isEqualTo(12));
      }
    }
  }

  @Test
  void unknownMethodOnTheServerIsCode12Too() throws Exception {
    try (BraidServer other = BraidServer.builder().build().start();
        ClientConnection c = ClientConnection.connect("127.0.0.1:" + other.port())) {
      assertThatThrownBy(() -> EchoBraid.newClient(c).unary(req("x")))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED));
    }
  }

  @Test
  void implBaseBindsItself() throws Exception {
    class Impl extends EchoBraid.ImplBase {
      @Override
      public void serverStream(EchoRequest request,
          ServerStream<EchoRequest, EchoResponse> responses) throws StatusException {
        responses.send(EchoResponse.newBuilder().setText("base").build());
      }
    }
    try (BraidServer s = BraidServer.builder().addService(new Impl().bindService()).build()
        .start(); ClientConnection c = ClientConnection.connect("127.0.0.1:" + s.port())) {
      List<EchoResponse> got = new ArrayList<>();
      EchoBraid.newClient(c).serverStream(req("x"), got::add);
      assertThat(got).extracting(EchoResponse::getText).containsExactly("base");
    }
  }

  interface ThrowingCall {
    void run() throws Exception;
  }
}
