package dev.braid.protobuf.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.StatusException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCallTest {
  static final Path PROTO_DIR = Path.of("src/test/proto").toAbsolutePath();
  static JsonCall calls;
  static BraidServer server;
  static ClientConnection conn;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty(Protoc.PROPERTY, protoc().toString());
    calls = JsonCall.fromProtoFiles(List.of(PROTO_DIR), List.of("tools/tools_test.proto"));
    server = serverFor(calls).build().start();
    conn = ClientConnection.connect("127.0.0.1:" + server.port());
  }

  @AfterAll
  static void stop() {
    conn.close();
    server.close();
  }

  static Path protoc() {
    Path p = Path.of(System.getProperty("braid.protoc", "target/protoc/protoc.exe"))
        .toAbsolutePath();
    p.toFile().setExecutable(true);
    return p;
  }

  static Object get(DynamicMessage m, String field) {
    return m.getField(m.getDescriptorForType().findFieldByName(field));
  }

  static DynamicMessage resp(Descriptor type, String greeting, int index, long big) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    b.setField(type.findFieldByName("greeting"), greeting);
    b.setField(type.findFieldByName("index"), index);
    b.setField(type.findFieldByName("big"), big);
    return b.build();
  }

  /** A server for tools_test.proto written against DynamicMessage, from the same descriptors. */
  static BraidServer.Builder serverFor(JsonCall c) {
    MethodDescriptor hello = c.method("braid.tools.test.Tools/Hello");
    Descriptor out = hello.getOutputType();
    return BraidServer.builder()
        .addUnary(JsonCall.descriptor(hello), (q, ctx) -> {
          DynamicMessage.Builder b = resp(out, "hello " + get(q, "name"), 0,
              (Long) get(q, "big") + 1).toBuilder();
          Struct extra = Struct.newBuilder().putFields("tags", Value.newBuilder()
              .setStringValue(String.join("+", ((List<?>) get(q, "tags"))
                  .stream().map(String::valueOf).toList())).build())
              .putFields("kind", Value.newBuilder().setStringValue(String.valueOf(
                  get(q, "kind"))).build()).build();
          b.setField(out.findFieldByName("extra"), DynamicMessage.newBuilder(
              out.findFieldByName("extra").getMessageType()).mergeFrom(extra.toByteString())
              .build());
          b.setField(out.findFieldByName("any"), get(q, "any"));
          return b.build();
        })
        .addStream(JsonCall.descriptor(c.method("/braid.tools.test.Tools/Count")), s -> {
          DynamicMessage q = s.receive();
          for (int i = 0; i < (Integer) get(q, "count"); i++) {
            s.send(resp(out, String.valueOf(get(q, "name")), i, 0));
          }
        })
        .addStream(JsonCall.descriptor(c.method("braid.tools.test.Tools.Join")), s -> {
          List<String> names = new ArrayList<>();
          DynamicMessage q;
          while ((q = s.receive()) != null) {
            names.add(String.valueOf(get(q, "name")));
          }
          s.send(resp(out, String.join(",", names), names.size(), 0));
        })
        .addStream(JsonCall.descriptor(c.method("braid.tools.test.Tools/Echo")), s -> {
          DynamicMessage q;
          int i = 0;
          while ((q = s.receive()) != null) {
            s.send(resp(out, String.valueOf(get(q, "name")), i++, 0));
          }
        })
        .addUnary(JsonCall.descriptor(c.method("braid.tools.test.Tools/Fail")), (q, ctx) -> {
          throw new StatusException(5, "no " + get(q, "name"));
        });
  }

  @Test
  void listsAndResolvesMethods() {
    assertThat(calls.methodNames()).containsExactly("/braid.tools.test.Tools/Hello",
        "/braid.tools.test.Tools/Count", "/braid.tools.test.Tools/Join",
        "/braid.tools.test.Tools/Echo", "/braid.tools.test.Tools/Fail");
    assertThat(calls.method("/braid.tools.test.Tools/Hello"))
        .isSameAs(calls.method("braid.tools.test.Tools.Hello"));
    assertThatThrownBy(() -> calls.method("braid.tools.test.Tools/Nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("known:");
  }

  @Test
  void unaryJsonInJsonOut() throws Exception {
    List<String> out = calls.call(conn, "braid.tools.test.Tools/Hello",
        "{\"name\":\"braid\",\"tags\":[\"a\",\"b\"],\"kind\":\"KIND_LOUD\","
        + "\"at\":\"2024-01-02T03:04:05Z\",\"big\":\"9007199254740993\","
        + "\"any\":{\"@type\":\"type.googleapis.com/braid.tools.test.Req\",\"name\":\"inner\"}}",
        CallOptions.DEFAULT);
    assertThat(out).containsExactly("{\"greeting\":\"hello braid\",\"extra\":{\"tags\":\"a+b\","
        + "\"kind\":\"KIND_LOUD\"},\"big\":\"9007199254740994\",\"any\":{\"@type\":"
        + "\"type.googleapis.com/braid.tools.test.Req\",\"name\":\"inner\"}}");
    List<String> pretty = calls.prettyPrinting(true).call(conn,
        "braid.tools.test.Tools/Hello", "{\"name\":\"x\"}", CallOptions.DEFAULT);
    assertThat(pretty.get(0)).contains("\n  \"greeting\": \"hello x\"");
  }

  @Test
  void serverStreamingPrintsEveryResponse() throws Exception {
    List<String> out = new ArrayList<>();
    calls.call(conn, "/braid.tools.test.Tools/Count", "{\"name\":\"n\",\"count\":3}",
        CallOptions.DEFAULT, out::add);
    assertThat(out).containsExactly("{\"greeting\":\"n\"}", "{\"greeting\":\"n\",\"index\":1}",
        "{\"greeting\":\"n\",\"index\":2}");
  }

  @Test
  void clientAndBidiStreamingTakeManyRequests() throws Exception {
    List<String> out = new ArrayList<>();
    calls.call(conn, "braid.tools.test.Tools/Join", List.of("{\"name\":\"a\"}",
        "{\"name\":\"b\"}"), CallOptions.DEFAULT, out::add);
    assertThat(out).containsExactly("{\"greeting\":\"a,b\",\"index\":2}");
    out.clear();
    calls.call(conn, "braid.tools.test.Tools/Echo", List.of("{\"name\":\"x\"}",
        "{\"name\":\"y\"}"), CallOptions.DEFAULT, out::add);
    assertThat(out).containsExactly("{\"greeting\":\"x\"}", "{\"greeting\":\"y\",\"index\":1}");
  }

  @Test
  void errorsAreReported() {
    assertThatThrownBy(() -> calls.call(conn, "braid.tools.test.Tools/Fail",
        "{\"name\":\"luck\"}", CallOptions.DEFAULT))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(5);
          assertThat(e.status().message()).isEqualTo("no luck");
        });
    assertThatThrownBy(() -> calls.call(conn, "braid.tools.test.Tools/Hello",
        "{\"nmae\":\"typo\"}", CallOptions.DEFAULT))
        .isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> calls.call(conn, "braid.tools.test.Tools/Hello", List.of(),
        CallOptions.DEFAULT, s -> { })).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void descriptorSetsWorkWithAndWithoutImports(@TempDir Path tmp) throws Exception {
    Path withImports = tmp.resolve("with.pb");
    Path without = tmp.resolve("without.pb");
    FileDescriptorSet full = Protoc.compile(protoc(), List.of(PROTO_DIR),
        List.of("tools/tools_test.proto"));
    assertThat(full.getFileList()).extracting(f -> f.getName())
        .contains("google/protobuf/struct.proto", "tools/tools_test.proto");
    Files.write(withImports, full.toByteArray());
    // what protoc writes without --include_imports: only the file itself
    Files.write(without, FileDescriptorSet.newBuilder().addFile(full.getFileList().stream()
        .filter(f -> f.getName().equals("tools/tools_test.proto")).findFirst().orElseThrow())
        .build().toByteArray());
    assertThat(FileDescriptorSet.parseFrom(Files.readAllBytes(without)).getFileCount())
        .isEqualTo(1);
    for (Path p : List.of(withImports, without)) {
      JsonCall c = JsonCall.fromDescriptorSet(p);
      assertThat(c.call(conn, "braid.tools.test.Tools/Hello", "{\"name\":\"set\"}",
          CallOptions.DEFAULT).get(0)).startsWith("{\"greeting\":\"hello set\"");
    }
  }

  @Test
  void protocIsFoundThroughTheProperty() {
    assertThat(Protoc.find()).contains(protoc());
    assertThat(Protoc.version()).isEqualTo("4.36.2");
  }
}
