package dev.braid.cli;

/**
 * A user mistake found while a command runs (a bad value, a missing file): {@link Main}
 * prints {@code braid CMD: message} on standard error, without a stack trace, and exits with
 * {@link #exitCode()} (2 unless said otherwise). Any subcommand may throw it, from any
 * package.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit status for a bad argument or value. */
  public static final int BAD_INPUT = 2;

  private final int exitCode;

  /** A bad argument or value: exit status {@value #BAD_INPUT}. */
  public UserError(String message) {
    this(message, BAD_INPUT);
  }

  /** A user-caused failure with its own exit status. */
  public UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** The status the process exits with. */
  public int exitCode() {
    return exitCode;
  }
}
