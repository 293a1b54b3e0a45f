package dev.braid.wire;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of a braid Settings packet ({@link Kind#SETTINGS}, always with the control bit):
 * a sequence of (uvarint id, uvarint value) pairs. Unknown ids are kept and ignored by the
 * receiver, so new settings can be added without breaking older peers. See
 * {@code docs/wire-protocol.md}.
 */
public final class Settings {
  /** braid protocol version; this is version 1. */
  public static final int VERSION = 1;
  /** 1 if the sender can run many concurrent streams per connection. */
  public static final int MULTIPLEXING = 2;
  /** The sender's initial per-stream receive window, in bytes. */
  public static final int STREAM_WINDOW = 3;
  /** The sender's cap on received-but-unread bytes across the connection. */
  public static final int CONNECTION_WINDOW = 4;
  /** The largest frame body the sender will send. */
  public static final int MAX_FRAME_SIZE = 5;
  /** The most concurrent streams the sender accepts. */
  public static final int MAX_CONCURRENT_STREAMS = 6;
  /** The largest message (packet body) the sender accepts. */
  public static final int MAX_MESSAGE_SIZE = 7;
  /** The sender's keepalive ping interval in milliseconds (0: none). */
  public static final int KEEPALIVE_MS = 8;

  private Settings() {}

  /** Encodes {@code values} (id to value), ids in ascending order. */
  public static byte[] encode(Map<Integer, Long> values) {
    int size = 0;
    for (Map.Entry<Integer, Long> e : values.entrySet()) {
      size += Varint.size(e.getKey()) + Varint.size(e.getValue());
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (Map.Entry<Integer, Long> e : new TreeMap<>(values).entrySet()) {
      Varint.write(out, e.getKey());
      Varint.write(out, e.getValue());
    }
    return out.array();
  }

  /**
   * Decodes a settings body. A truncated pair or an id over 2^31 is a
   * {@link ProtocolException}; a repeated id keeps the last value.
   */
  public static Map<Integer, Long> decode(ByteBuffer src) {
    Map<Integer, Long> out = new TreeMap<>();
    while (src.hasRemaining()) {
      long id = readOrFail(src);
      long value = readOrFail(src);
      if (id < 0 || id > Integer.MAX_VALUE) {
        throw new ProtocolException("invalid settings: id out of range");
      }
      out.put((int) id, value);
    }
    return Collections.unmodifiableMap(out);
  }

  private static long readOrFail(ByteBuffer src) {
    int before = src.position();
    long v = Varint.read(src);
    if (src.position() == before) {
      throw new ProtocolException("invalid settings: truncated");
    }
    return v;
  }

  /** Encodes a window update body: one uvarint byte delta. */
  public static byte[] windowUpdate(long delta) {
    return Varint.encode(delta);
  }

  /**
   * Decodes a window update body; returns -1 for a body that is not exactly one positive
   * uvarint (such updates are dropped, not fatal, as in the cockroachdb fork).
   */
  public static long decodeWindowUpdate(ByteBuffer src) {
    int before = src.position();
    long v = Varint.read(src);
    if (src.position() == before || src.hasRemaining() || v <= 0) {
      return -1;
    }
    return v;
  }
}
