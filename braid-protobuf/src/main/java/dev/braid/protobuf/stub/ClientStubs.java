package dev.braid.protobuf.stub;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Client-side helpers the generated stubs call for the streaming shapes. Unary calls go
 * straight to {@link ClientConnection#invoke} and {@link ClientConnection#invokeAsync}.
 */
public final class ClientStubs {
  private ClientStubs() {}

  /**
   * Starts a server-streaming call: opens the stream, sends {@code request} and half-closes.
   * The caller reads the responses with {@link ClientStream#receive()} until it returns
   * {@code null}, and closes the stream (cancelling the call if it is still running).
   */
  public static <Q, R> ClientStream<Q, R> serverStreaming(ClientConnection connection,
      MethodDescriptor<Q, R> method, Q request, CallOptions options) throws StatusException {
    check(method, MethodType.SERVER_STREAMING);
    Objects.requireNonNull(request, "request");
    ClientStream<Q, R> stream = connection.newStream(method, options);
    try {
      stream.send(request);
      stream.closeSend();
      return stream;
    } catch (StatusException | RuntimeException e) {
      stream.cancel();
      throw e;
    }
  }

  /**
   * Runs a server-streaming call to completion, handing every response to {@code onResponse}
   * on the calling thread. Returns when the server has finished. If {@code onResponse} throws,
   * the call is cancelled and the exception propagates.
   */
  public static <Q, R> void serverStreaming(ClientConnection connection,
      MethodDescriptor<Q, R> method, Q request, CallOptions options,
      Consumer<? super R> onResponse) throws StatusException {
    Objects.requireNonNull(onResponse, "onResponse");
    try (ClientStream<Q, R> stream = serverStreaming(connection, method, request, options)) {
      R r;
      while ((r = stream.receive()) != null) {
        onResponse.accept(r);
      }
    }
  }

  /**
   * Runs a client-streaming call: sends every request of {@code requests}, half-closes and
   * waits for the single response.
   */
  public static <Q, R> R clientStreaming(ClientConnection connection,
      MethodDescriptor<Q, R> method, Iterable<? extends Q> requests, CallOptions options)
      throws StatusException {
    check(method, MethodType.CLIENT_STREAMING);
    Objects.requireNonNull(requests, "requests");
    try (ClientStream<Q, R> stream = connection.newStream(method, options)) {
      for (Q q : requests) {
        stream.send(q);
      }
      stream.closeSend();
      R r = stream.receive();
      if (r == null) {
        throw new StatusException(Code.INTERNAL, "the server ended the call without a response");
      }
      return r;
    }
  }

  /** Opens a client- or bidirectional-streaming call. */
  public static <Q, R> ClientStream<Q, R> stream(ClientConnection connection,
      MethodDescriptor<Q, R> method, CallOptions options) throws StatusException {
    if (method.type() == MethodType.UNARY) {
      throw new IllegalArgumentException(method + " is unary");
    }
    return connection.newStream(method, options);
  }

  private static void check(MethodDescriptor<?, ?> method, MethodType type) {
    if (method.type() != type) {
      throw new IllegalArgumentException(method + " is not " + type);
    }
  }
}
