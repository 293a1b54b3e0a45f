package dev.braid.store;

/** The call's deadline passed while the replica was working; the verb answers code 4. */
public final class DeadlineExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message. */
  public DeadlineExceededException(String message) {
    super(message);
  }
}
