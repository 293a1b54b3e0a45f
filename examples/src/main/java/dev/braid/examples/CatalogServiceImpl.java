package dev.braid.examples;

import dev.braid.examples.echo.EchoRequest;
import dev.braid.examples.echo.EchoResponse;
import dev.braid.examples.naming.CatalogBraid;
import dev.braid.examples.naming.NamingProtos.Envelope;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.ServerStream;

/** The Catalog service of {@code naming.proto}: Java-unfriendly names, nested and imported types. */
public final class CatalogServiceImpl extends CatalogBraid.ImplBase {
  private static Envelope tag(Envelope e, String tag) {
    return e.toBuilder().setBody(tag + ":" + e.getBody()).build();
  }

  @Override
  public Envelope class_(Envelope request, ServerContext context) {
    return tag(request, "class");
  }

  @Override
  public Envelope getAsync_(Envelope request, ServerContext context) {
    return tag(request, "getAsync");
  }

  @Override
  public Envelope get(Envelope request, ServerContext context) {
    return tag(request, "get");
  }

  @Override
  public Envelope toString_(Envelope request, ServerContext context) {
    return tag(request, "toString");
  }

  @Override
  public Envelope.Header.Trace trace(Envelope.Header request, ServerContext context) {
    return request.getTrace();
  }

  @Override
  public EchoResponse import_(EchoRequest request, ServerContext context) {
    return EchoResponse.newBuilder().setText("imported " + request.getText()).build();
  }

  @Override
  public void list(Envelope request, ServerStream<Envelope, Envelope> responses)
      throws Exception {
    for (String part : request.getBody().split(" ")) {
      responses.send(Envelope.newBuilder().setBody(part).build());
    }
  }

  @Override
  public Envelope collect(ServerStream<Envelope, Envelope> requests) throws Exception {
    StringBuilder sb = new StringBuilder();
    Envelope e;
    while ((e = requests.receive()) != null) {
      sb.append(e.getBody());
    }
    return Envelope.newBuilder().setBody(sb.toString()).build();
  }

  @Override
  public void exchange(ServerStream<Envelope, Envelope> stream) throws Exception {
    Envelope e;
    while ((e = stream.receive()) != null) {
      stream.send(tag(e, "x"));
    }
  }
}
