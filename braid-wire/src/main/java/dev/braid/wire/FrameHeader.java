package dev.braid.wire;

import java.nio.ByteBuffer;

/**
 * A parsed frame header: kind, flags, stream and message ids, and the data length.
 *
 * <p>Instances are mutable and meant to be reused by one reader thread, so that parsing a
 * frame allocates nothing. {@link #parse} fills the fields and reports whether the whole
 * frame (header and data) is available.
 */
public final class FrameHeader {
  /** The smallest possible frame: a header byte and three one-byte varints. */
  public static final int MIN_SIZE = 4;
  /** The largest possible header: one byte and three ten-byte varints. */
  public static final int MAX_SIZE = 1 + 3 * Varint.MAX_SIZE;

  public int kind;
  public boolean control;
  public boolean done;
  public long streamId;
  public long messageId;
  /** The data length. Always within the limit given to {@link #parse}. */
  public int length;
  /** The header's encoded size; the data starts this many bytes after the frame start. */
  public int headerSize;

  /** The outcome of {@link #parse}. */
  public enum Result {
    /** The header and all {@link #length} data bytes are in the buffer. */
    COMPLETE,
    /** The header was parsed (fields are valid) but the data is not all there yet. */
    NEED_DATA,
    /** The buffer ends inside the header; no field is valid. */
    NEED_HEADER
  }

  /**
   * Parses the frame header at {@code src}'s position without moving the position.
   *
   * <p>The declared length is checked against {@code maxLength} as soon as it is read, so a
   * peer cannot make the caller wait for, or allocate, more than the limit.
   *
   * @throws ProtocolException on a varint longer than ten bytes or a length over the limit
   * @throws IllegalArgumentException if {@code maxLength} is negative
   */
  public Result parse(ByteBuffer src, int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0: " + maxLength);
    }
    int start = src.position();
    try {
      if (src.remaining() < MIN_SIZE) {
        return Result.NEED_HEADER;
      }
      int h = src.get() & 0xFF;
      long sid = Varint.read(src);
      if (sid == Varint.NEED_MORE && src.position() == start + 1) {
        return Result.NEED_HEADER;
      }
      int afterSid = src.position();
      long mid = Varint.read(src);
      if (mid == Varint.NEED_MORE && src.position() == afterSid) {
        return Result.NEED_HEADER;
      }
      int afterMid = src.position();
      long len = Varint.read(src);
      if (len == Varint.NEED_MORE && src.position() == afterMid) {
        return Result.NEED_HEADER;
      }
      if (Long.compareUnsigned(len, maxLength) > 0) {
        throw new ProtocolException("data overflow: frame of "
            + Long.toUnsignedString(len) + " bytes exceeds the limit of " + maxLength);
      }
      setFlags(h);
      streamId = sid;
      messageId = mid;
      length = (int) len;
      headerSize = src.position() - start;
      return src.remaining() >= length ? Result.COMPLETE : Result.NEED_DATA;
    } finally {
      src.position(start);
    }
  }

  /** Sets {@link #kind}, {@link #control} and {@link #done} from a header byte. */
  public void setFlags(int headerByte) {
    control = (headerByte & 0x80) != 0;
    kind = kindOf(headerByte);
    done = (headerByte & 0x01) != 0;
  }

  /** The kind a header byte carries; the inverse of {@link #headerByte} for the kind. */
  public static int kindOf(int headerByte) {
    return (headerByte & 0x7E) >>> 1;
  }

  /** The header byte for the given kind and flags. */
  public static int headerByte(int kind, boolean control, boolean done) {
    if (kind < 0 || kind > Kind.MAX) {
      throw new IllegalArgumentException("kind out of range: " + kind);
    }
    return (control ? 0x80 : 0) | (kind << 1) | (done ? 1 : 0);
  }

  /** The encoded size of a header with these ids and length. */
  public static int size(long streamId, long messageId, int length) {
    return 1 + Varint.size(streamId) + Varint.size(messageId) + Varint.size(length);
  }

  /**
   * Writes a frame header into {@code dst} at {@code offset}; returns the offset past it.
   * {@code dst} must have room for {@link #MAX_SIZE} bytes.
   */
  public static int write(byte[] dst, int offset, int kind, boolean control, boolean done,
      long streamId, long messageId, int length) {
    dst[offset++] = (byte) headerByte(kind, control, done);
    offset = Varint.write(dst, offset, streamId);
    offset = Varint.write(dst, offset, messageId);
    return Varint.write(dst, offset, length);
  }

  @Override
  public String toString() {
    return Kind.name(kind) + (control ? "+control" : "") + (done ? "+done" : "")
        + " s" + Long.toUnsignedString(streamId) + " m" + Long.toUnsignedString(messageId)
        + " len " + length;
  }
}
