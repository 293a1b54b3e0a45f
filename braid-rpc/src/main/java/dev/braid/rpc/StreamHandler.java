package dev.braid.rpc;

/**
 * Serves a streaming call (client, server or bidirectional). Runs on the server's executor
 * for the whole call. Returning ends the server's side with a CloseSend; throwing sends an
 * Error as {@link UnaryHandler} describes.
 */
@FunctionalInterface
public interface StreamHandler<Q, R> {
  void handle(ServerStream<Q, R> stream) throws Exception;
}
