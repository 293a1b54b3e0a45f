package dev.braid.rpc;

/**
 * A call failed with a {@link Status}. Handlers throw it to answer with a specific code;
 * clients receive it for every failure, local or remote.
 */
public class StatusException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public StatusException(Status status) {
    super(status.toString(), status.cause());
    this.status = status;
  }

  /** Shorthand for {@code new StatusException(Status.of(code, message))}. */
  public StatusException(long code, String message) {
    this(Status.of(code, message));
  }

  public Status status() {
    return status;
  }

  /** The status code; see {@link Code}. */
  public long code() {
    return status.code();
  }
}
