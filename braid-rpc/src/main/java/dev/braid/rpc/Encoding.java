package dev.braid.rpc;

import java.nio.ByteBuffer;

/**
 * Turns messages into bytes and back. braid writes a message straight into the outgoing
 * frame buffer: it asks for the exact size, reserves it, and lets the encoding fill it.
 *
 * <p>Implementations must be thread-safe and stateless per call.
 *
 * @param <T> the message type
 */
public interface Encoding<T> {
  /** The exact number of bytes {@link #encode} will write for {@code message}. */
  int encodedSize(T message);

  /**
   * Writes {@code message} into {@code dst}, which has exactly {@link #encodedSize} bytes
   * remaining.
   */
  void encode(T message, ByteBuffer dst);

  /**
   * Reads a message from all remaining bytes of {@code src}. Throw any exception for bytes
   * that are not a valid message; the call then fails with {@link Code#INTERNAL} and nothing
   * else is affected.
   *
   * <p>The bytes are the decoder's to keep: braid hands over a fresh array it never reuses or
   * modifies, so a decoded message may refer to it instead of copying (protobuf's aliasing of
   * {@code bytes} fields). Callers outside braid must give the same guarantee.
   */
  T decode(ByteBuffer src) throws Exception;

  /** The identity encoding: a message is its bytes. */
  static Encoding<byte[]> bytes() {
    return RawBytes.INSTANCE;
  }

  /** See {@link Encoding#bytes()}. */
  enum RawBytes implements Encoding<byte[]> {
    INSTANCE;

    @Override
    public int encodedSize(byte[] message) {
      return message.length;
    }

    @Override
    public void encode(byte[] message, ByteBuffer dst) {
      dst.put(message);
    }

    @Override
    public byte[] decode(ByteBuffer src) {
      byte[] b = new byte[src.remaining()];
      src.get(b);
      return b;
    }
  }
}
