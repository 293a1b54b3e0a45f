package dev.braid.wire;

import java.nio.charset.StandardCharsets;

/**
 * The body of an Error packet: an 8-byte big-endian code followed by the UTF-8 error text,
 * with no length prefix and no terminator. Code 0 means "no code".
 *
 * @param code the unsigned 64-bit error code (0 when none)
 * @param message the error text
 */
public record ErrorBody(long code, String message) {
  /** Appended to the text of a body too short to hold a code, as upstream DRPC does. */
  public static final String INVALID_NOTE = " (drpcwire note: invalid error data)";

  public ErrorBody {
    if (message == null) {
      throw new NullPointerException("message");
    }
  }

  /** Encodes {@code code} and {@code message}. */
  public static byte[] encode(long code, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[8 + text.length];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (code >>> (56 - 8 * i));
    }
    System.arraycopy(text, 0, out, 8, text.length);
    return out;
  }

  /**
   * Decodes an error body. A body shorter than 8 bytes carries no code: its bytes become
   * the text, annotated with {@link #INVALID_NOTE}, and the code is 0.
   */
  public static ErrorBody decode(byte[] data) {
    if (data.length < 8) {
      return new ErrorBody(0, new String(data, StandardCharsets.UTF_8) + INVALID_NOTE);
    }
    long code = 0;
    for (int i = 0; i < 8; i++) {
      code = (code << 8) | (data[i] & 0xFF);
    }
    return new ErrorBody(code, new String(data, 8, data.length - 8, StandardCharsets.UTF_8));
  }
}
