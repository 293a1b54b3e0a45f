package dev.braid.rpc;

/**
 * The server side of a streaming call, handed to a {@link StreamHandler}.
 *
 * <p>Threading: like {@link ClientStream}, one sender and one receiver at a time. The
 * handler returning ends the call: braid then sends the server's CloseSend (or, if the
 * handler threw, an Error).
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public interface ServerStream<Q, R> extends ServerContext {
  /**
   * Waits for the next request. Returns {@code null} once the client has half-closed.
   *
   * @throws StatusException if the call was cancelled or the connection broke
   */
  Q receive() throws StatusException;

  /**
   * Sends one response. Blocks while the stream is not ready.
   *
   * @throws StatusException if the call was cancelled or the message is too large
   */
  void send(R message) throws StatusException;

  /** Whether a {@link #send} now would not block. */
  boolean isReady();

  /** Runs {@code callback} on the server's executor when the stream turns ready. */
  void setOnReady(Runnable callback);
}
