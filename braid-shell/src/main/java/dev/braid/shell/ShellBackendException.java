package dev.braid.shell;

/** A backend refused or failed a request; the shell prints the message on standard error. */
public class ShellBackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String label;

  /** An error printed as {@code ServerError: message}. */
  public ShellBackendException(String message) {
    this("ServerError", message, null);
  }

  /**
   * @param label   the error class the shell prints before the message (e.g. {@code
   *                Unavailable}, {@code InvalidRequest})
   * @param message the message
   * @param cause   the cause, or null
   */
  public ShellBackendException(String label, String message, Throwable cause) {
    super(message, cause);
    this.label = label;
  }

  /** The error class printed before the message. */
  public String label() {
    return label;
  }
}
