package dev.braid.wire;

import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints as DRPC (and protobuf) encode them: 7 bits per byte, least
 * significant group first, the high bit set on every byte but the last. Values are unsigned
 * 64-bit numbers held in a {@code long}. Encoding always produces the minimal form; decoding
 * reads at most ten bytes and rejects a tenth byte that still has the continuation bit.
 */
public final class Varint {
  /** The longest encoding of a 64-bit value. */
  public static final int MAX_SIZE = 10;

  /** Returned by {@link #read} when the buffer ends inside a varint. */
  public static final long NEED_MORE = -1L;

  private Varint() {}

  /** The number of bytes {@code value} takes when encoded, 1 to 10. */
  public static int size(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value | 1);
    return (bits + 6) / 7;
  }

  /** Writes {@code value} at {@code offset} and returns the offset just past it. */
  public static int write(byte[] dst, int offset, long value) {
    while ((value & ~0x7FL) != 0) {
      dst[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    dst[offset++] = (byte) value;
    return offset;
  }

  /** The minimal encoding of {@code value} as a new array. */
  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(out, 0, value);
    return out;
  }

  /**
   * Appends {@code value} to {@code dst}, encoded by {@link #write(byte[], int, long)} (the
   * one varint writer).
   *
   * @throws java.nio.BufferOverflowException if {@code dst} has no room for it
   */
  public static void write(ByteBuffer dst, long value) {
    int n = size(value);
    if (dst.remaining() < n) {
      throw new java.nio.BufferOverflowException();
    }
    if (dst.hasArray()) {
      int at = dst.arrayOffset() + dst.position();
      write(dst.array(), at, value);
      dst.position(dst.position() + n);
    } else {
      dst.put(encode(value));
    }
  }

  /**
   * Reads a varint at {@code src}'s position and advances past it. If the buffer ends inside
   * the varint, the position is left unchanged and the result is {@link #NEED_MORE} — which
   * is also the encoding of 2^64−1, so callers that must tell the two apart check
   * {@code src.position()}: it moves only when a value was read.
   *
   * @throws ProtocolException if the tenth byte has the continuation bit
   */
  public static long read(ByteBuffer src) {
    int start = src.position();
    int limit = src.limit();
    long result = 0;
    int shift = 0;
    for (int i = start; i < limit; i++) {
      int b = src.get(i);
      // Bits past 64 are dropped, as upstream does.
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        src.position(i + 1);
        return result;
      }
      shift += 7;
      if (shift >= 70) {
        throw new ProtocolException("varint too long");
      }
    }
    return NEED_MORE;
  }
}
