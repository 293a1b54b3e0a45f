package dev.braid.rpc.internal;

import dev.braid.wire.Kind;
import dev.braid.wire.ProtocolException;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The credit this side grants its peer once negotiated (braid's WindowUpdate): credit
 * owed as the application reads, early credit for a message larger than half the window,
 * metering while small calls are about ({@link WriteScheduler#meteredOutstanding()}), and
 * the check that the peer keeps to what was granted (more than one frame beyond it is a
 * protocol error).
 *
 * <p>Threading: {@link #returnCredit} and {@link #creditPartial} from any thread (readers);
 * everything else on the event loop.
 */
final class LocalFlowControl {
  private final Connection conn;
  private final WriteScheduler scheduler;
  /** Streams owing their peer credit ({@link RpcStream#creditOwed()}): sent with control. */
  private final ConcurrentLinkedQueue<RpcStream> due = new ConcurrentLinkedQueue<>();

  LocalFlowControl(Connection conn, WriteScheduler scheduler) {
    this.conn = conn;
    this.scheduler = scheduler;
  }

  /** Returns {@code bytes} of receive window to the peer. Any thread. */
  void returnCredit(RpcStream s, long bytes) {
    if (!conn.flowControlled() || bytes <= 0 || s.finished) {
      return;
    }
    if (s.oweCredit(bytes) == 0) {
      due.add(s);
      conn.scheduleDrain();
    }
  }

  boolean isEmpty() {
    return due.isEmpty();
  }

  void clear() {
    due.clear();
  }

  /** Event loop, in the writer's turn: writes the credit owed while writable. */
  boolean write(ChannelHandlerContext ctx, boolean meter) {
    boolean wrote = false;
    RpcStream s;
    while (ctx.channel().isWritable() && (s = due.poll()) != null) {
      wrote |= sendCredit(ctx, s, meter);
    }
    return wrote;
  }

  /**
   * Sends the credit {@code s} owes as a WindowUpdate. While credit is metered
   * ({@code meter}), only enough that the peer may have at most the metered amount of the
   * stream on its way; the rest is sent as that data arrives ({@link #onMessageData}).
   */
  private boolean sendCredit(ChannelHandlerContext ctx, RpcStream s, boolean meter) {
    boolean wrote = false;
    long owed;
    // again if a reader added credit meanwhile: it saw some owed, so it did not requeue s
    while (!s.finished && (owed = s.creditOwed()) > 0) {
      long give = meter
          ? Math.min(owed, scheduler.meteredOutstanding() - (s.creditGranted - s.dataReceived))
          : owed;
      if (give <= 0) {
        break;
      }
      s.oweCredit(-give);
      s.creditGranted += give;
      ctx.write(conn.extensionPacket(Kind.WINDOW_UPDATE, s.id,
          dev.braid.wire.Settings.windowUpdate(give)), ctx.voidPromise());
      wrote = true;
    }
    return wrote;
  }

  /**
   * Event loop: {@code len} bytes of Message data arrived on {@code s}. Credit held back
   * while small calls are about goes out once less than half of the metered amount is still
   * on its way, so the peer never runs dry.
   */
  void onMessageData(RpcStream s, int len) {
    s.dataReceived += len;
    if (s.metered && s.dataReceived - s.creditGranted > conn.config.announcedFrameSize()) {
      throw new ProtocolException("stream " + Long.toUnsignedString(s.id) + ": the peer sent "
          + (s.dataReceived - s.creditGranted) + " bytes of Message data beyond the credit "
          + "granted");
    }
    if (s.creditOwed() > 0
        && s.creditGranted - s.dataReceived < scheduler.meteredOutstanding() / 2) {
      due.add(s);
      conn.scheduleDrain();
    }
  }

  /** Any thread: the reader of {@code s} caught up; credit the message in assembly. */
  void creditPartial(RpcStream s) {
    conn.execute(() -> {
      if (s.partial != null && largerThanHalfWindow(s)) {
        creditPartialNow(s);
      }
    });
  }

  /**
   * Event loop: Message data of a packet in assembly arrived on {@code s}: a message larger
   * than half the window could never complete within it, so its frames are credited as they
   * arrive (eighth-window batches) while the reader keeps up.
   */
  void partialArrived(RpcStream s) {
    if (largerThanHalfWindow(s) && s.partialBytes - s.partialCredited >= s.window.size() / 8
        && !s.holdPartialCredit()) {
      creditPartialNow(s);
    }
  }

  /** The message in assembly on {@code s} could never complete within the window alone. */
  private boolean largerThanHalfWindow(RpcStream s) {
    return s.partialBytes > s.window.size() / 2;
  }

  private void creditPartialNow(RpcStream s) {
    returnCredit(s, s.withGrowth(s.partialBytes - s.partialCredited));
    s.partialCredited = s.partialBytes;
  }
}
