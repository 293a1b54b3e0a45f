package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Encoding;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Frames;
import dev.braid.wire.Kind;
import dev.braid.wire.Varint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Writes DRPC frames into Netty buffers. Stateless; callers size buffers with
 * {@link #packetSize} (or {@link #inlineSize} for messages) first so that nothing is
 * reallocated while writing.
 */
final class FrameWriter {
  private FrameWriter() {}

  /** Encoded size of a packet with a body of {@code length} bytes split at {@code split}. */
  static int packetSize(long streamId, long messageId, int length, int split) {
    return (int) Frames.encodedSize(streamId, messageId, length, split);
  }

  /** Appends a frame header, encoded by braid-wire's {@link FrameHeader#write}. */
  static void writeHeader(ByteBuf out, int kind, boolean control, boolean done, long streamId,
      long messageId, int length) {
    // braid-wire's one header writer fills a per-thread scratch array: no allocation per frame
    byte[] h = HEADER_SCRATCH.get();
    out.writeBytes(h, 0, FrameHeader.write(h, 0, kind, control, done, streamId, messageId,
        length));
  }

  /** A header's bytes before they are copied into the frame buffer; one array per thread. */
  private static final FastThreadLocal<byte[]> HEADER_SCRATCH = new FastThreadLocal<>() {
    @Override
    protected byte[] initialValue() {
      return new byte[FrameHeader.MAX_SIZE];
    }
  };

  /**
   * The encoded size of {@code message}, checked against {@code max}, the largest message
   * this side may send. {@code what} names it in errors ("request", "response").
   */
  static <T> int checkedSize(Encoding<T> encoding, T message, String what, int max)
      throws StatusException {
    int size;
    try {
      size = encoding.encodedSize(message);
    } catch (RuntimeException e) {
      throw Status.of(Code.INTERNAL, "failed to size the " + what + ": " + e, e)
          .asException();
    }
    if (size > max) {
      throw Status.of(Code.RESOURCE_EXHAUSTED, what + " of " + size
          + " bytes exceeds the maximum message size of " + max).asException();
    }
    return size;
  }

  /**
   * One Message packet of {@code size} bytes (already checked) encoded into fresh buffers;
   * an encoding failure is {@link Code#INTERNAL}.
   */
  static <T> ByteBuf encodeMessage(ByteBufAllocator alloc, long streamId, long messageId,
      Encoding<T> encoding, T message, int size, int split, String what)
      throws StatusException {
    ByteBuf buf = alloc.buffer(inlineSize(streamId, messageId, size, split));
    try {
      return appendMessage(alloc, buf, streamId, messageId, encoding, message, size, split,
          false);
    } catch (RuntimeException e) {
      buf.release();
      throw Status.of(Code.INTERNAL, "failed to encode the " + what + ": " + e, e)
          .asException();
    }
  }

  /** Writes a packet with an empty body (one frame). */
  static void writeEmpty(ByteBuf out, int kind, boolean control, long streamId, long messageId) {
    writeHeader(out, kind, control, true, streamId, messageId, 0);
  }

  /**
   * Writes a braid extension packet (Settings, WindowUpdate): one frame with the control bit,
   * carrying {@code body}.
   */
  static void writeExtension(ByteBuf out, int kind, long streamId, long messageId,
      byte[] body) {
    writeHeader(out, kind, true, true, streamId, messageId, body.length);
    out.writeBytes(body);
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
   * The bytes a Message packet of {@code size} takes in the caller's buffer: all of it when
   * it fits in one frame, none when it spans frames (those get buffers of their own).
   */
  static int inlineSize(long streamId, long messageId, int size, int split) {
    return Frames.frameCount(size, split) == 1 ? packetSize(streamId, messageId, size, split)
        : 0;
  }

  /**
   * Appends a Message packet holding {@code message} to {@code out}, then, if
   * {@code closeSend}, an empty CloseSend packet with the next message id.
   *
   * <p>A message of one frame is encoded in place ({@code out} was sized with
   * {@link #inlineSize} plus room for the CloseSend). A larger one is encoded once into a
   * direct buffer of its own and joined frame by frame by reference, never copied: the result
   * is then a composite of {@code out}'s bytes, the frames and the CloseSend, and {@code out}
   * belongs to it. If encoding fails, nothing was taken: {@code out} is still the caller's.
   *
   * @return the buffer holding everything written
   */
  static <T> ByteBuf appendMessage(ByteBufAllocator alloc, ByteBuf out, long streamId,
      long messageId, Encoding<T> encoding, T message, int size, int split,
      boolean closeSend) {
    int frames = Frames.frameCount(size, split);
    if (frames == 1) {
      writeHeader(out, Kind.MESSAGE, false, true, streamId, messageId, size);
      encodeInto(out, encoding, message, size);
      if (closeSend) {
        writeEmpty(out, Kind.CLOSE_SEND, false, streamId, messageId + 1);
      }
      return out;
    }
    ByteBuf body = alloc.directBuffer(size);
    try {
      encodeInto(body, encoding, message, size);
    } catch (RuntimeException e) {
      body.release();
      throw e;
    }
    ByteBuf headers = alloc.buffer(packetSize(streamId, messageId, size, split) - size
        + (closeSend ? packetSize(streamId, messageId + 1, 0, split) : 0));
    CompositeByteBuf packet = alloc.compositeBuffer(2 * frames + 2);
    if (out.isReadable()) {
      packet.addComponent(true, out);
    } else {
      out.release();
    }
    for (int i = 0, off = 0; i < frames; i++) {
      int len = Math.min(split, size - off);
      int at = headers.writerIndex();
      writeHeader(headers, Kind.MESSAGE, false, i == frames - 1, streamId, messageId, len);
      packet.addComponent(true, headers.retainedSlice(at, headers.writerIndex() - at));
      packet.addComponent(true, body.retainedSlice(off, len));
      off += len;
    }
    if (closeSend) {
      int at = headers.writerIndex();
      writeEmpty(headers, Kind.CLOSE_SEND, false, streamId, messageId + 1);
      packet.addComponent(true, headers.retainedSlice(at, headers.writerIndex() - at));
    }
    headers.release();
    body.release();
    return packet;
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

  /**
   * Decodes a received message. The encoding gets a fresh array that braid never reuses or
   * modifies, so it may keep views of it (protobuf aliases {@code bytes} fields) instead of
   * copying again; raw bytes are that array.
   */
  @SuppressWarnings("unchecked")
  static <T> T decode(Encoding<T> encoding, ByteBuf data) throws Exception {
    byte[] bytes = io.netty.buffer.ByteBufUtil.getBytes(data);
    if (encoding == Encoding.RawBytes.INSTANCE) {
      return (T) bytes;
    }
    return encoding.decode(ByteBuffer.wrap(bytes));
  }

  /**
   * Reads the header of one of our own, well-formed frames at index {@code at} of {@code b}
   * into {@code h}, byte by byte: works on composite buffers without merging them.
   */
  static void peekHeader(ByteBuf b, int at, FrameHeader h) {
    h.setFlags(b.getUnsignedByte(at));
    // we write minimal varints, so each one's size follows from its value
    int p = at + 1;
    h.streamId = varintAt(b, p);
    p += Varint.size(h.streamId);
    h.messageId = varintAt(b, p);
    p += Varint.size(h.messageId);
    long length = varintAt(b, p);
    h.length = (int) length;
    h.headerSize = p + Varint.size(length) - at;
  }

  private static long varintAt(ByteBuf b, int p) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      int c = b.getUnsignedByte(p++);
      value |= (long) (c & 0x7F) << shift;
      if ((c & 0x80) == 0) {
        return value;
      }
    }
  }

  /** The size of a varint, re-exported for callers sizing buffers. */
  static int varintSize(long v) {
    return Varint.size(v);
  }
}
