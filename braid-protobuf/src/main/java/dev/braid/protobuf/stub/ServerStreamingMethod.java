package dev.braid.protobuf.stub;

import dev.braid.rpc.ServerStream;

/**
 * A server-streaming method of a generated service: the one request, and the stream to send
 * responses on. Returning ends the call successfully.
 */
@FunctionalInterface
public interface ServerStreamingMethod<Q, R> {
  void call(Q request, ServerStream<Q, R> responses) throws Exception;
}
