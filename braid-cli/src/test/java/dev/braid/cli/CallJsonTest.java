package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DynamicMessage;
import dev.braid.protobuf.tools.JsonCall;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.StatusException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code braid call --proto}: JSON in, JSON out through protobuf's JSON mapping, like
 * grpcurl, against a server built from the same .proto with dynamic messages.
 */
class CallJsonTest {
  static final Path PROTO = Path.of("src/test/resources/proto/greet.proto");

  BraidServer server;

  @BeforeEach
  void start() throws Exception {
    JsonCall schema = JsonCall.fromProtoFiles(List.of(PROTO.toAbsolutePath().getParent()),
        List.of("greet.proto"));
    MethodDescriptor<DynamicMessage, DynamicMessage> hello =
        JsonCall.descriptor(schema.method("/braid.cli.test.Greeter/SayHello"));
    MethodDescriptor<DynamicMessage, DynamicMessage> many =
        JsonCall.descriptor(schema.method("/braid.cli.test.Greeter/SayMany"));
    server = BraidServer.builder().listen("127.0.0.1", 0)
        .addUnary(hello, (req, ctx) -> {
          String name = field(req, "name");
          if (name.isEmpty()) {
            throw new StatusException(3, "name is required");
          }
          return reply(hello, "hello " + name);
        })
        .addStream(many, s -> {
          DynamicMessage req = s.receive();
          int times = (Integer) req.getField(req.getDescriptorForType().findFieldByName("times"));
          for (int i = 0; i < times; i++) {
            s.send(reply(many, field(req, "name") + " #" + i));
          }
        })
        .build().start();
  }

  private static String field(DynamicMessage m, String name) {
    return (String) m.getField(m.getDescriptorForType().findFieldByName(name));
  }

  private static DynamicMessage reply(MethodDescriptor<DynamicMessage, DynamicMessage> m,
      String text) throws Exception {
    DynamicMessage proto = m.responseEncoding().decode(java.nio.ByteBuffer.allocate(0));
    return DynamicMessage.newBuilder(proto.getDescriptorForType())
        .setField(proto.getDescriptorForType().findFieldByName("message"), text).build();
  }

  @AfterEach
  void stop() {
    server.closeNow();
  }

  private String addr() {
    return "127.0.0.1:" + server.port();
  }

  @Test
  void unaryJsonInJsonOut() {
    Cli.Result r = Cli.run("call", addr(), "/braid.cli.test.Greeter/SayHello",
        "--proto", PROTO.toString(), "--data", "{\"name\": \"ada\"}");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("{\"message\":\"hello ada\"}");
  }

  @Test
  void serverStreamingPrintsOneLinePerMessage() {
    Cli.Result r = Cli.run("call", addr(), "braid.cli.test.Greeter/SayMany",
        "--proto", PROTO.toString(), "--data", "{\"name\": \"x\", \"times\": 3}");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip().split("\n")).containsExactly("{\"message\":\"x #0\"}",
        "{\"message\":\"x #1\"}", "{\"message\":\"x #2\"}");
  }

  @Test
  void errorsAndBadInput() {
    Cli.Result fail = Cli.run("call", addr(), "/braid.cli.test.Greeter/SayHello",
        "--proto", PROTO.toString(), "--data", "{}");
    assertThat(fail.exitCode()).isEqualTo(1);
    assertThat(fail.err().strip()).isEqualTo("code 3: name is required");

    Cli.Result badJson = Cli.run("call", addr(), "/braid.cli.test.Greeter/SayHello",
        "--proto", PROTO.toString(), "--data", "{\"nope\": 1}");
    assertThat(badJson.exitCode()).isEqualTo(2);
    assertThat(badJson.err()).contains("bad request");

    Cli.Result unknown = Cli.run("call", addr(), "/braid.cli.test.Greeter/Nope",
        "--proto", PROTO.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown method");

    Cli.Result both = Cli.run("call", addr(), "/braid.cli.test.Greeter/SayHello",
        "--proto", PROTO.toString(), "--data-hex", "00");
    assertThat(both.exitCode()).isEqualTo(2);
  }
}
