package dev.braid.cli;

/**
 * A user mistake found while a command runs (a bad value, a missing file): {@link Main}
 * prints {@code braid CMD: message} on standard error, without a stack trace, and exits with
 * {@link #exitCode()} (2 unless said otherwise).
 */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit status for a bad argument or value. */
  static final int BAD_INPUT = 2;

  private final int exitCode;

  UserError(String message) {
    this(message, BAD_INPUT);
  }

  UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
