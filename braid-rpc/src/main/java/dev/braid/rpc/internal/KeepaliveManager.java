package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * braid's Ping (kind 10): a negotiated client pings every keepalive interval and closes the
 * connection with {@link Code#UNAVAILABLE} when a ping stays unanswered for an interval;
 * either side answers the peer's pings. The periodic task is cancelled when the connection
 * closes ({@link #cancel}), so a closed connection leaves no task behind.
 *
 * <p>Event loop only.
 */
final class KeepaliveManager {
  private final Connection conn;
  private final long everyMillis;
  private ScheduledFuture<?> task;
  private boolean outstanding;
  private long sentNanos;

  KeepaliveManager(Connection conn, long everyMillis) {
    this.conn = conn;
    this.everyMillis = everyMillis;
  }

  /** Starts pinging (once negotiated), unless keepalive is off or the connection closed. */
  void start() {
    if (everyMillis <= 0 || task != null || conn.hasFailed()) {
      return;
    }
    task = conn.scheduleAtFixedRate(this::tick, everyMillis);
  }

  private void tick() {
    if (conn.hasFailed()) {
      return;
    }
    long now = System.nanoTime();
    if (outstanding) {
      if (now - sentNanos > TimeUnit.MILLISECONDS.toNanos(everyMillis)) {
        conn.close(Status.of(Code.UNAVAILABLE, "keepalive: no answer from the peer within "
            + everyMillis + " ms"));
      }
      return;
    }
    outstanding = true;
    sentNanos = now;
    ByteBuf buf = conn.alloc().buffer(FrameHeader.MAX_SIZE + 9);
    FrameWriter.writeHeader(buf, Kind.PING, true, true, 0, 0, 9);
    buf.writeByte(0);
    buf.writeLong(now);
    conn.enqueueControl(buf);
  }

  /** A Ping packet arrived: an answer to ours, or a ping to echo. */
  void onPing(ByteBuf body) {
    if (!body.isReadable()) {
      return;
    }
    int flags = body.readUnsignedByte();
    if ((flags & 1) != 0) {
      outstanding = false;
      return;
    }
    ByteBuf buf = conn.alloc().buffer(FrameHeader.MAX_SIZE + 1 + body.readableBytes());
    FrameWriter.writeHeader(buf, Kind.PING, true, true, 0, 0, 1 + body.readableBytes());
    buf.writeByte(1);
    buf.writeBytes(body);
    conn.enqueueControl(buf);
  }

  void cancel() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
