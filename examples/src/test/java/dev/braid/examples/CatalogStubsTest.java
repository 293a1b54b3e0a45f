package dev.braid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.examples.echo.EchoRequest;
import dev.braid.examples.naming.AdminBraid;
import dev.braid.examples.naming.CatalogBraid;
import dev.braid.examples.naming.NamingProtos.Envelope;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * naming.proto: java_outer_classname without java_multiple_files, nested and imported
 * messages, two services in one file, keyword and colliding method names.
 */
class CatalogStubsTest {
  static Envelope env(String body) {
    return Envelope.newBuilder().setBody(body).build();
  }

  @Test
  void everyNamingCaseWorksThroughTheStubs() throws Exception {
    try (BraidServer server = BraidServer.builder()
        .addService(new CatalogServiceImpl().bindService())
        .addService(AdminBraid.bindService(new AdminBraid.Service() {
          @Override
          public Envelope default_(Envelope request, dev.braid.rpc.ServerContext context) {
            return env("admin " + request.getBody());
          }
        })).build().start();
        ClientConnection conn = ClientConnection.connect("127.0.0.1:" + server.port())) {
      CatalogBraid.Client c = CatalogBraid.newClient(conn);
      assertThat(CatalogBraid.CLASS__METHOD.fullName())
          .isEqualTo("/braid.examples.naming.Catalog/Class");
      assertThat(c.class_(env("a")).getBody()).isEqualTo("class:a");
      assertThat(c.class_Async(env("b")).get().getBody()).isEqualTo("class:b");
      assertThat(c.get(env("c")).getBody()).isEqualTo("get:c");
      assertThat(c.getAsync(env("d")).get().getBody()).isEqualTo("get:d");
      assertThat(c.getAsync_(env("e")).getBody()).isEqualTo("getAsync:e");
      assertThat(c.getAsync_Async(env("f")).get().getBody()).isEqualTo("getAsync:f");
      assertThat(c.toString_(env("g")).getBody()).isEqualTo("toString:g");
      Envelope.Header h = Envelope.Header.newBuilder()
          .setTrace(Envelope.Header.Trace.newBuilder().setId("t-1")).build();
      assertThat(c.trace(h).getId()).isEqualTo("t-1");
      assertThat(c.import_(EchoRequest.newBuilder().setText("x").build()).getText())
          .isEqualTo("imported x");
      List<Envelope> parts = new ArrayList<>();
      c.list(env("one two three"), parts::add);
      assertThat(parts).extracting(Envelope::getBody).containsExactly("one", "two", "three");
      assertThat(c.collect(List.of(env("a"), env("b"))).getBody()).isEqualTo("ab");
      try (ClientStream<Envelope, Envelope> s = c.exchange()) {
        s.send(env("1"));
        assertThat(s.receive().getBody()).isEqualTo("x:1");
        s.closeSend();
        assertThat(s.receive()).isNull();
      }
      assertThat(AdminBraid.newClient(conn).default_(env("ok")).getBody())
          .isEqualTo("admin ok");
    }
  }

  @Test
  void protoCommentsBecomeJavadoc() throws Exception {
    // The generated source is in target/generated-sources; check what the javadoc says.
    String src = java.nio.file.Files.readString(java.nio.file.Path.of(
        "target/generated-sources/protobuf/java/dev/braid/examples/naming/CatalogBraid.java"));
    assertThat(src).contains("Catalog has methods whose names need care in Java.")
        .contains("&lt;html&gt; &amp; a stray &#42;&#47; and &#64;author tags,")
        .contains("and a &#92;unicode escape.")
        .contains("\"class\" is a Java keyword: the Java method is class_().");
  }
}
