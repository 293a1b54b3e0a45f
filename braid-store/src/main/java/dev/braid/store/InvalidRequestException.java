package dev.braid.store;

/**
 * A malformed request or statement (bad value, unknown column, unsupported option, limit
 * exceeded...). It fails that call only, with code 3 (INVALID_ARGUMENT) and this message.
 */
public final class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what is wrong. */
  public InvalidRequestException(String message) {
    super(message);
  }

  /** With a message and the cause. */
  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
