package dev.braid.rpc.internal;

import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * A stream's queue of encoded packets waiting for the writer, with the Message data bytes
 * still unwritten in each buffer (what flow control charges) and the total of queued bytes
 * (what the ready threshold compares). Most calls never queue two buffers, so a single one
 * lives in a field and the deque and its counts appear with the second.
 *
 * <p>Not thread-safe: guarded by the owning {@link RpcStream}'s monitor (written by senders,
 * drained by the event loop).
 */
final class OutboundQueue {
  private ByteBuf only;
  private int onlyData;
  private ArrayDeque<ByteBuf> queue;
  /** Message data bytes still unwritten in each queued buffer, in queue order (a ring). */
  private int[] data;
  private int dataHead;
  private int dataCount;
  /** Readable bytes queued. */
  private int bytes;
  /** Message data taken by the last {@link #pollWithin}. */
  private int lastData;

  /** Readable bytes queued. */
  int bytes() {
    return bytes;
  }

  /** Appends a buffer holding {@code messageBytes} of Message data. */
  void add(ByteBuf b, int messageBytes) {
    bytes += b.readableBytes();
    if (queue == null) {
      if (only == null) {
        only = b;
        onlyData = messageBytes;
        return;
      }
      queue = new ArrayDeque<>(4);
      data = new int[4];
      ByteBuf first = only;
      only = null;
      enqueue(first, onlyData);
    }
    enqueue(b, messageBytes);
  }

  private void enqueue(ByteBuf b, int messageBytes) {
    if (dataCount == data.length) {
      int[] grown = new int[data.length * 2];
      for (int i = 0; i < dataCount; i++) {
        grown[i] = data[(dataHead + i) % data.length];
      }
      data = grown;
      dataHead = 0;
    }
    data[(dataHead + dataCount) % data.length] = messageBytes;
    dataCount++;
    queue.add(b);
  }

  /** The head buffer, or null. */
  ByteBuf peek() {
    return queue == null ? only : queue.peek();
  }

  /** The unwritten Message bytes of the head buffer. */
  int headData() {
    return queue == null ? onlyData : data[dataHead];
  }

  void setHeadData(int messageBytes) {
    if (queue == null) {
      onlyData = messageBytes;
    } else {
      data[dataHead] = messageBytes;
    }
  }

  /** Removes and returns the head buffer, or null. */
  ByteBuf poll() {
    ByteBuf b;
    if (queue == null) {
      b = only;
      only = null;
    } else {
      b = queue.poll();
      if (b != null) {
        dataHead = (dataHead + 1) % data.length;
        dataCount--;
      }
    }
    if (b != null) {
      bytes -= b.readableBytes();
    }
    return b;
  }

  /**
   * Removes the next frames to write within a send window of {@code window} bytes of
   * Message data (the queue is not empty; the caller handled a used-up window). A head
   * buffer of at most {@code chunk} bytes goes whole if the window covers it or it is no
   * larger than {@code frameBytes} (one frame: the window may be overdrawn by at most that);
   * from a larger one, whole frames up to {@code chunk} bytes (at least one) while the window
   * lasts, so what is in the channel ahead of another stream's packet stays bounded.
   * {@link #lastData} then tells the Message data taken.
   */
  ByteBuf pollWithin(FrameHeader header, int chunk, long window, int frameBytes) {
    ByteBuf head = peek();
    int headData = headData();
    if (head.readableBytes() <= chunk
        && (headData <= window || head.readableBytes() <= frameBytes)) {
      lastData = headData;
      return poll();
    }
    int readable = head.readableBytes();
    int n = 0;
    int messageData = 0;
    while (n < readable) {
      // our own frames: each header read in place (large messages are composites)
      FrameWriter.peekHeader(head, head.readerIndex() + n, header);
      int size = header.headerSize + header.length;
      boolean message = header.kind == Kind.MESSAGE;
      if (n > 0 && (n + size > chunk || (message && window - messageData <= 0))) {
        break;
      }
      n += size;
      if (message) {
        messageData += header.length;
      }
    }
    lastData = messageData;
    setHeadData(headData - messageData);
    return n == readable ? poll() : sliceHead(n);
  }

  /** The Message data bytes the last {@link #pollWithin} took. */
  int lastData() {
    return lastData;
  }

  /** The first {@code n} bytes of the head buffer (retained), which stays queued. */
  ByteBuf sliceHead(int n) {
    bytes -= n;
    return peek().readRetainedSlice(n);
  }

  boolean isEmpty() {
    return queue == null ? only == null : queue.isEmpty();
  }

  /** Releases every buffer but the last one queued. */
  void dropAllButLast() {
    while (queue != null && queue.size() > 1) {
      poll().release();
    }
  }

  /** Releases every buffer. */
  void clear() {
    ByteBuf b;
    while ((b = poll()) != null) {
      b.release();
    }
    bytes = 0;
  }
}
