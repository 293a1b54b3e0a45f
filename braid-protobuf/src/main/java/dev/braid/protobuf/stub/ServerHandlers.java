package dev.braid.protobuf.stub;

import dev.braid.rpc.Code;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.StreamHandler;
import java.util.Objects;

/** Server-side helpers the generated {@code bindService} methods call. */
public final class ServerHandlers {
  /** The text of the error an unimplemented method answers, as DRPC's generated code. */
  public static final String UNIMPLEMENTED_MESSAGE = "Unimplemented";

  private ServerHandlers() {}

  /**
   * The error an unimplemented method throws: code {@link Code#UNIMPLEMENTED} (12) and the
   * text {@value #UNIMPLEMENTED_MESSAGE}, as {@code DRPC<Svc>UnimplementedServer} answers.
   */
  public static StatusException unimplemented() {
    return new StatusException(Code.UNIMPLEMENTED, UNIMPLEMENTED_MESSAGE);
  }

  /**
   * A {@link StreamHandler} for a server-streaming method: receives the one request, then
   * runs {@code method}. A client that half-closes without a request gets
   * {@link Code#INVALID_ARGUMENT}; requests after the first are ignored.
   */
  public static <Q, R> StreamHandler<Q, R> serverStreaming(ServerStreamingMethod<Q, R> method) {
    Objects.requireNonNull(method, "method");
    return stream -> {
      Q request = stream.receive();
      if (request == null) {
        throw new StatusException(Code.INVALID_ARGUMENT,
            "the client half-closed without sending a request");
      }
      method.call(request, stream);
    };
  }

  /**
   * A {@link StreamHandler} for a client-streaming method: runs {@code method} and sends the
   * response it returns (none when it returns {@code null}).
   */
  public static <Q, R> StreamHandler<Q, R> clientStreaming(ClientStreamingMethod<Q, R> method) {
    Objects.requireNonNull(method, "method");
    return stream -> {
      R response = method.call(stream);
      if (response != null) {
        stream.send(response);
      }
    };
  }
}
