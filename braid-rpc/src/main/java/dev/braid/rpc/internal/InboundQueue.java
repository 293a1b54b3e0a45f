package dev.braid.rpc.internal;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * A stream's received messages not yet read by the application, each with the window
 * credit its reading returns, and their total size (what the stream's receive cap and the
 * connection's unread count compare). Once dropped ({@link #drop}), later messages are
 * refused.
 *
 * <p>Not thread-safe: guarded by the owning {@link RpcStream}'s monitor (filled by the event
 * loop, emptied by the reader).
 */
final class InboundQueue {
  private ArrayDeque<ByteBuf> messages;
  private ArrayDeque<Integer> credits;
  private int bytes;
  private boolean dropped;

  /** Whether messages are being dropped (the stream was cancelled or finished reading). */
  boolean dropped() {
    return dropped;
  }

  /** Queues {@code data}, whose reading returns {@code credit}. */
  void add(ByteBuf data, int credit) {
    if (messages == null) {
      messages = new ArrayDeque<>(4);
      credits = new ArrayDeque<>(4);
    }
    messages.add(data);
    credits.add(credit);
    bytes += data.readableBytes();
  }

  boolean isEmpty() {
    return messages == null || messages.isEmpty();
  }

  /** Bytes of the queued messages. */
  int bytes() {
    return bytes;
  }

  /** The next message, or null; {@link #lastCredit()} then tells its credit. */
  ByteBuf poll() {
    ByteBuf b = messages == null ? null : messages.poll();
    if (b != null) {
      bytes -= b.readableBytes();
      lastCredit = credits.poll();
    }
    return b;
  }

  private int lastCredit;

  /** The credit of the message {@link #poll()} returned last. */
  int lastCredit() {
    return lastCredit;
  }

  /**
   * Releases every queued message and refuses later ones; returns the bytes released (for
   * the connection's unread count).
   */
  long drop() {
    dropped = true;
    long released = 0;
    if (messages != null) {
      ByteBuf b;
      while ((b = messages.poll()) != null) {
        released += b.readableBytes();
        b.release();
      }
      credits.clear();
      bytes = 0;
    }
    return released;
  }
}
