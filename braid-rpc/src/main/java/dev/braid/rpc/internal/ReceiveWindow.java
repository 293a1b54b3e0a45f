package dev.braid.rpc.internal;

/**
 * The receive window of one stream under negotiated flow control, and the credit its reader
 * hands back. Credit for messages read is batched until it reaches a quarter of the window.
 * The window grows: a whole window's worth of messages that each found the reader already
 * waiting for them means the reader is not what limits the stream, the window (the credit
 * round trip) is; the window then doubles, up to the maximum, the growth granted as extra
 * credit. A message that arrives while the reader is busy (a slow or paced reader)
 * restarts the count, so such a reader never gets more than its window.
 *
 * <p>Threading: guarded by the owning {@link RpcStream}'s monitor; only {@link #size} is
 * also read without it (by the event loop, for its early-credit thresholds).
 */
final class ReceiveWindow {
  private final Connection conn;
  private volatile int size;
  /** Bytes of the messages received, in a row, while the reader was waiting for them. */
  private long starvedBytes;
  /** Credit of the messages read and not returned yet. */
  private int pendingCredit;

  ReceiveWindow(Connection conn) {
    this.conn = conn;
    this.size = conn.config.streamWindow();
  }

  /** The window granted now. Any thread. */
  int size() {
    return size;
  }

  /** A message of {@code bytes} arrived; {@code readerWaiting}: the reader waited for it. */
  void arrived(int bytes, boolean readerWaiting) {
    starvedBytes = readerWaiting ? starvedBytes + bytes : 0;
  }

  /** The reader took a message worth {@code credit}: the credit to return now, or 0. */
  int read(int credit) {
    pendingCredit += credit;
    if (pendingCredit < size / 4) {
      return 0;
    }
    int c = (int) withGrowth(pendingCredit);
    pendingCredit = 0;
    return c;
  }

  /** The credit to return for {@code credit} bytes, plus the window's growth when due. */
  long withGrowth(long credit) {
    int window = size;
    int max = conn.config.maxStreamWindow();
    if (starvedBytes < window || window >= max || !conn.flowControlled()) {
      return credit;
    }
    starvedBytes = 0;
    int grown = (int) Math.min(2L * window, max);
    size = grown;
    return credit + grown - window;
  }
}
