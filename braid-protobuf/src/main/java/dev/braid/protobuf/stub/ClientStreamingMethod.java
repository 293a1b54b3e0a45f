package dev.braid.protobuf.stub;

import dev.braid.rpc.ServerStream;

/**
 * A client-streaming method of a generated service: reads the requests from the stream and
 * returns the single response ({@code null} sends none, as a DRPC handler returning nil).
 */
@FunctionalInterface
public interface ClientStreamingMethod<Q, R> {
  R call(ServerStream<Q, R> requests) throws Exception;
}
