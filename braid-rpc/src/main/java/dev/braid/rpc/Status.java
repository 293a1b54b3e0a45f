package dev.braid.rpc;

import java.util.Objects;

/**
 * The outcome of a failed call: a code and a message, and locally a cause.
 *
 * <p>On the wire a status is a DRPC Error packet: the code as an unsigned 64-bit number and
 * the message as UTF-8 text; the cause never travels. See {@link Code} for the codes braid
 * produces itself.
 */
public final class Status {
  private final long code;
  private final String message;
  private final Throwable cause;

  private Status(long code, String message, Throwable cause) {
    this.code = code;
    this.message = Objects.requireNonNull(message, "message");
    this.cause = cause;
  }

  /** A status with {@code code} (unsigned) and {@code message}. */
  public static Status of(long code, String message) {
    return new Status(code, message, null);
  }

  /** A status with a local cause, which is not sent to the peer. */
  public static Status of(long code, String message, Throwable cause) {
    return new Status(code, message, cause);
  }

  /** The code, an unsigned 64-bit number; {@link Code#NONE} if the peer gave none. */
  public long code() {
    return code;
  }

  /** The message, as sent or received. */
  public String message() {
    return message;
  }

  /** The local cause, or {@code null}. */
  public Throwable cause() {
    return cause;
  }

  /** This status as an exception. */
  public StatusException asException() {
    return new StatusException(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Status s && s.code == code && s.message.equals(message);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(code) * 31 + message.hashCode();
  }

  @Override
  public String toString() {
    return "code " + Long.toUnsignedString(code) + ": " + message;
  }
}
