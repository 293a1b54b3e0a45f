package dev.braid.rpc;

/**
 * The client side of a streaming call, from {@link ClientConnection#newStream}.
 *
 * <p>Threading: one thread may send while another receives; sends must not be called
 * concurrently with each other, nor receives with each other. {@link #cancel} may be called
 * from any thread at any time.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public interface ClientStream<Q, R> extends AutoCloseable {
  /**
   * Sends one message. Blocks while the stream is not ready (too many bytes queued), and
   * fails if the stream has ended.
   *
   * @throws StatusException if the call has failed or was cancelled, or the message is
   *     larger than the maximum message size
   */
  void send(Q message) throws StatusException;

  /** Half-closes: tells the server no more messages will come. Idempotent. */
  void closeSend() throws StatusException;

  /**
   * Waits for the next message. Returns {@code null} once the server has half-closed its
   * side and every message before that has been received.
   *
   * @throws StatusException if the call failed: a server error, cancellation, deadline,
   *     or a broken connection
   */
  R receive() throws StatusException;

  /**
   * Cancels the call: if it has not finished, a Cancel packet tells the server, pending
   * and later operations fail with {@link Code#CANCELLED}, and the connection stays usable.
   * Idempotent; a no-op after the call finished.
   */
  void cancel();

  /**
   * Whether a {@link #send} now would not block. A hint: the state may change at any time.
   */
  boolean isReady();

  /**
   * Runs {@code callback} on the connection's callback executor whenever the stream turns
   * ready after being not ready. Replaces any previous callback.
   */
  void setOnReady(Runnable callback);

  /** The method this stream calls. */
  MethodDescriptor<Q, R> method();

  /** Cancels the call unless it has already finished. */
  @Override
  void close();
}
