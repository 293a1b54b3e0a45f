package dev.braid.rpc.internal;

import dev.braid.rpc.Encoding;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Frames;
import dev.braid.wire.Varint;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Writes DRPC frames into Netty buffers. Stateless; callers size buffers with
 * {@link #packetSize} first so that nothing is reallocated while writing.
 */
final class FrameWriter {
  private FrameWriter() {}

  /** Encoded size of a packet with a body of {@code length} bytes split at {@code split}. */
  static int packetSize(long streamId, long messageId, int length, int split) {
    return (int) Frames.encodedSize(streamId, messageId, length, split);
  }

  static void writeHeader(ByteBuf out, int kind, boolean control, boolean done, long streamId,
      long messageId, int length) {
    out.writeByte(FrameHeader.headerByte(kind, control, done));
    writeVarint(out, streamId);
    writeVarint(out, messageId);
    writeVarint(out, length);
  }

  static void writeVarint(ByteBuf out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  /** Writes a packet with an empty body (one frame). */
  static void writeEmpty(ByteBuf out, int kind, boolean control, long streamId, long messageId) {
    writeHeader(out, kind, control, true, streamId, messageId, 0);
  }

  /** Writes a packet whose body is {@code body}, split into frames of at most {@code split}. */
  static void writeBytes(ByteBuf out, int kind, long streamId, long messageId, byte[] body,
      int split) {
    int frames = Frames.frameCount(body.length, split);
    int off = 0;
    for (int i = 0; i < frames; i++) {
      int len = frames == 1 ? body.length : Math.min(split, body.length - off);
      writeHeader(out, kind, false, i == frames - 1, streamId, messageId, len);
      out.writeBytes(body, off, len);
      off += len;
    }
  }

  /**
   * Writes a Message packet holding {@code message}, encoded straight into {@code out} when
   * it fits in one frame, else through one scratch buffer that is then split.
   */
  static <T> void writeMessage(ByteBuf out, long streamId, long messageId, Encoding<T> encoding,
      T message, int size, int split) {
    int frames = Frames.frameCount(size, split);
    if (frames == 1) {
      writeHeader(out, dev.braid.wire.Kind.MESSAGE, false, true, streamId, messageId, size);
      encodeInto(out, encoding, message, size);
      return;
    }
    if (encoding == Encoding.RawBytes.INSTANCE) {
      writeBytes(out, dev.braid.wire.Kind.MESSAGE, streamId, messageId, (byte[]) message, split);
      return;
    }
    ByteBuffer scratch = ByteBuffer.allocate(size);
    encoding.encode(message, scratch);
    checkWritten(scratch.position(), size);
    byte[] body = scratch.array();
    writeBytes(out, dev.braid.wire.Kind.MESSAGE, streamId, messageId, body, split);
  }

  private static <T> void encodeInto(ByteBuf out, Encoding<T> encoding, T message, int size) {
    if (encoding == Encoding.RawBytes.INSTANCE) {
      out.writeBytes((byte[]) message); // no ByteBuffer view needed
      return;
    }
    int at = out.writerIndex();
    out.ensureWritable(size);
    ByteBuffer dst = out.nioBuffer(at, size);
    encoding.encode(message, dst);
    checkWritten(dst.position(), size);
    out.writerIndex(at + size);
  }

  private static void checkWritten(int written, int expected) {
    if (written != expected) {
      throw new IllegalStateException("encoding wrote " + written
          + " bytes but announced " + expected);
    }
  }

  /** Decodes a received message; raw bytes are copied out without a ByteBuffer view. */
  @SuppressWarnings("unchecked")
  static <T> T decode(Encoding<T> encoding, ByteBuf data) throws Exception {
    if (encoding == Encoding.RawBytes.INSTANCE) {
      return (T) io.netty.buffer.ByteBufUtil.getBytes(data);
    }
    if (data.hasArray()) {
      return encoding.decode(ByteBuffer.wrap(data.array(), data.arrayOffset()
          + data.readerIndex(), data.readableBytes()));
    }
    // One copy to the heap: cheaper than merging a multi-frame message into a new direct
    // buffer, and decoders (protobuf's among them) copy direct buffers to the heap anyway.
    return encoding.decode(ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(data)));
  }

  /** The size of a varint, re-exported for callers sizing buffers. */
  static int varintSize(long v) {
    return Varint.size(v);
  }
}
