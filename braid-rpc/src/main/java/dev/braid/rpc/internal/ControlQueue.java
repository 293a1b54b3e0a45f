package dev.braid.rpc.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;

/**
 * Connection-level control packets waiting for the writer (Settings answers, Ping answers
 * and pings, refusals of streams), written before any stream's data but only while the
 * socket is writable. Bounded in bytes: a peer that sends requests or pings and never reads
 * makes {@link #add} report the overflow, and the connection closes, as Netty's
 * {@code Http2ControlFrameLimitEncoder} does.
 *
 * <p>Event loop only.
 */
final class ControlQueue {
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private final long limit;
  private long bytes;

  ControlQueue(long limit) {
    this.limit = limit;
  }

  /** Queues {@code b}; false if the queue is now over its limit. */
  boolean add(ByteBuf b) {
    bytes += b.readableBytes();
    queue.add(b);
    return bytes <= limit;
  }

  long bytes() {
    return bytes;
  }

  long limit() {
    return limit;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Writes queued packets (not flushed) while the channel is writable; whether it wrote. */
  boolean write(ChannelHandlerContext ctx) {
    boolean wrote = false;
    ByteBuf c;
    while (ctx.channel().isWritable() && (c = queue.poll()) != null) {
      bytes -= c.readableBytes();
      ctx.write(c, ctx.voidPromise());
      wrote = true;
    }
    return wrote;
  }

  /** Releases everything queued. */
  void clear() {
    ByteBuf c;
    while ((c = queue.poll()) != null) {
      c.release();
    }
    bytes = 0;
  }
}
