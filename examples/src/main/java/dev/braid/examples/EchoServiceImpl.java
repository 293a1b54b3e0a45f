package dev.braid.examples;

import dev.braid.examples.echo.EchoBraid;
import dev.braid.examples.echo.EchoRequest;
import dev.braid.examples.echo.EchoResponse;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.StatusException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Echo service of {@code echo.proto}, written once and served to braid clients
 * ({@code EchoBraid.bindService}) and gRPC clients ({@code new EchoBraid.GrpcAdapter(impl)}).
 * {@code NotImplemented} is left out, so it answers code 12.
 */
public class EchoServiceImpl implements EchoBraid.Service {
  private static void maybeFail(EchoRequest r) throws StatusException {
    if (r.getFailCode() != 0) {
      throw new StatusException(r.getFailCode(), r.getText());
    }
  }

  @Override
  public EchoResponse unary(EchoRequest request, ServerContext context)
      throws StatusException {
    maybeFail(request);
    String suffix = context.metadata().get("suffix");
    return EchoResponse.newBuilder().setText(request.getText() + (suffix == null ? "" : suffix))
        .setPayload(request.getPayload()).build();
  }

  @Override
  public void serverStream(EchoRequest request,
      ServerStream<EchoRequest, EchoResponse> responses) throws StatusException {
    maybeFail(request);
    for (int i = 0; i < request.getCount(); i++) {
      responses.send(EchoResponse.newBuilder().setText(request.getText()).setIndex(i).build());
    }
  }

  @Override
  public EchoResponse clientStream(ServerStream<EchoRequest, EchoResponse> requests)
      throws StatusException {
    List<String> texts = new ArrayList<>();
    EchoRequest r;
    while ((r = requests.receive()) != null) {
      maybeFail(r);
      texts.add(r.getText());
    }
    return EchoResponse.newBuilder().setText(String.join(",", texts))
        .setIndex(texts.size()).build();
  }

  @Override
  public void bidi(ServerStream<EchoRequest, EchoResponse> stream) throws StatusException {
    EchoRequest r;
    int i = 0;
    while ((r = stream.receive()) != null) {
      maybeFail(r);
      stream.send(EchoResponse.newBuilder().setText(r.getText()).setIndex(i++)
          .setPayload(r.getPayload()).build());
    }
  }
}
