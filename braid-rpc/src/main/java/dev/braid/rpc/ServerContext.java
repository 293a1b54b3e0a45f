package dev.braid.rpc;

/**
 * What a handler knows about its call: the method, the client's metadata, the deadline and
 * whether the call was cancelled.
 *
 * <p>A call is cancelled when the client sends a Cancel, its deadline passes, or the
 * connection breaks. Handlers may poll {@link #isCancelled()} or register a listener.
 */
public interface ServerContext {
  /** The full method name, e.g. {@code /pkg.Service/Method}. */
  String method();

  /** The metadata the client sent with the call. */
  Metadata metadata();

  /**
   * The deadline as a {@link System#nanoTime()} value, or {@link Long#MAX_VALUE} when the
   * client set none.
   */
  long deadlineNanos();

  /** Whether the call has been cancelled. */
  boolean isCancelled();

  /**
   * Runs {@code listener} once when the call is cancelled (immediately, on the calling
   * thread, if it already is). Not run if the call completes normally.
   */
  void onCancel(Runnable listener);
}
