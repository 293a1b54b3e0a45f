package dev.braid.rpc.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The received frame bodies of one packet in assembly.
 *
 * <p>A body of at least {@link #SMALL} bytes is kept as a retained slice of the read buffer
 * it arrived in: a large message is never copied while it assembles. Smaller bodies are
 * copied into a tail buffer that grows up to {@code 2 * SMALL} bytes, so a peer sending tiny
 * frames neither pins a read buffer per frame nor lengthens the component list nor gets
 * more than about twice its bytes allocated. A packet of {@code n} bytes therefore has at
 * most {@code 2n / SMALL + 1} components, and the composite never merges
 * them (Netty's composite copies everything into one buffer once it holds more than its
 * component limit — for 16 KiB frames, one extra copy of every message over 1 MiB).
 *
 * <p>Threading: owned by the connection's event loop until {@link #finish} hands the bytes
 * to the stream.
 */
final class PacketBuffer {
  /** Bodies under this many bytes are copied, larger ones sliced. */
  static final int SMALL = 4 << 10;
  /** A tail buffer's first capacity; it doubles as bytes come, up to {@code 2 * SMALL}. */
  private static final int TAIL_START = 256;

  private final ByteBufAllocator alloc;
  private final CompositeByteBuf frames;
  private ByteBuf tail;

  PacketBuffer(ByteBufAllocator alloc) {
    this.alloc = alloc;
    this.frames = alloc.compositeBuffer(Integer.MAX_VALUE);
  }

  /** Takes the next {@code len} bytes of {@code in}. */
  void add(ByteBuf in, int len) {
    if (len >= SMALL) {
      flushTail();
      frames.addComponent(true, in.readRetainedSlice(len));
    } else if (len > 0) {
      if (tail != null && tail.maxWritableBytes() < len) {
        flushTail();
      }
      if (tail == null) {
        tail = alloc.buffer(Math.max(len, TAIL_START), 2 * SMALL);
      }
      tail.writeBytes(in, len);
    }
  }

  /** The packet's bytes; this buffer must not be used afterwards. */
  ByteBuf finish() {
    flushTail();
    return frames;
  }

  /** The number of buffers the packet refers to, for tests. */
  int components() {
    return frames.numComponents() + (tail == null ? 0 : 1);
  }

  /** Releases everything taken so far. */
  void release() {
    if (tail != null) {
      tail.release();
      tail = null;
    }
    frames.release();
  }

  private void flushTail() {
    if (tail != null) {
      frames.addComponent(true, tail);
      tail = null;
    }
  }
}
