package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import dev.braid.wire.FrameHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one writer of a connection. Streams queue whole packets under their own lock and put
 * themselves on the wakeup queue ({@link #wakeup}, any thread); one drain task on the event
 * loop then writes, while the socket is writable: the control queue first, then credit,
 * then the streams in turn, and flushes once per batch. Without negotiation each packet's
 * frames go out contiguously; once negotiated the {@link WriteScheduler} decides how much
 * each stream's turn and each event-loop turn write. A terminal packet never waits for
 * credit ({@link #unblockTerminal}).
 *
 * <p>Threading: {@link #wakeup}, {@link #scheduleDrain} and {@link #unblockTerminal} from
 * any thread; everything else on the event loop.
 */
final class ConnectionWriter {
  private final Connection conn;
  private final ControlQueue control;
  private final LocalFlowControl credit;
  private final WriteScheduler scheduler;
  private final FrameHeader header = new FrameHeader();
  /** loop: streams with something to write, in turn order. */
  private final ArrayDeque<RpcStream> writable = new ArrayDeque<>();
  private boolean draining;
  private final ConcurrentLinkedQueue<RpcStream> wakeups = new ConcurrentLinkedQueue<>();
  /** Streams with a terminal packet queued behind Message data that has no credit. */
  private final ConcurrentLinkedQueue<RpcStream> unblock = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask;
  private ChannelHandlerContext ctx;

  ConnectionWriter(Connection conn, ControlQueue control, LocalFlowControl credit,
      WriteScheduler scheduler) {
    this.conn = conn;
    this.control = control;
    this.credit = credit;
    this.scheduler = scheduler;
    this.drainTask = conn.guarded(this::drain);
  }

  void attach(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Schedules {@code s} for writing. Any thread. */
  void wakeup(RpcStream s) {
    if (s.schedule()) {
      wakeups.add(s);
      scheduleDrain();
    }
  }

  void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      ctx.channel().eventLoop().execute(drainTask);
    }
  }

  /** Event loop: the socket turned writable again. */
  void writableAgain() {
    if (!writable.isEmpty() || !control.isEmpty() || !credit.isEmpty()) {
      drain();
    }
  }

  /** {@code s} queued a terminal packet: it must not wait behind data without credit. */
  void unblockTerminal(RpcStream s) {
    if (conn.flowControlled()
        && !(ctx.channel().eventLoop().inEventLoop() && !s.windowBlocked)) {
      unblock.add(s);
      scheduleDrain();
    }
  }

  /** Event loop: {@code s} may write. */
  void addWritable(RpcStream s) {
    writable.add(s);
  }

  /** Event loop: streams were made writable outside a drain. */
  void wroteMore() {
    if (!draining) {
      scheduleDrain();
    }
  }

  /** Event loop: a WindowUpdate arrived for {@code s}. */
  void windowOpened(RpcStream s) {
    if (s.windowBlocked) {
      s.windowBlocked = false;
      writable.add(s);
      scheduleDrain();
    }
  }

  boolean noWakeups() {
    return wakeups.isEmpty();
  }

  /** Event loop: the connection closed; the streams woken meanwhile go to {@code all}. */
  void clear(List<RpcStream> all) {
    RpcStream s;
    while ((s = wakeups.poll()) != null) {
      all.add(s);
    }
    writable.clear();
  }

  private void drain() {
    drainScheduled.set(false);
    if (conn.hasFailed()) {
      Status closed = conn.closedStatus();
      RpcStream s;
      while ((s = wakeups.poll()) != null) {
        s.terminate(closed, closed, true);
        conn.markFinished(s);
      }
      control.clear();
      credit.clear();
      unblock.clear();
      return;
    }
    draining = true;
    try {
      RpcStream s;
      while ((s = wakeups.poll()) != null) {
        onWakeup(s);
      }
      while ((s = unblock.poll()) != null) {
        // a terminal packet never waits for credit: the stream goes back in line
        if (s.windowBlocked && !s.finished) {
          s.windowBlocked = false;
          writable.add(s);
        }
      }
      boolean wrote = control.write(ctx);
      boolean interleave = conn.flowControlled();
      if (interleave) {
        scheduler.startDrain();
      }
      wrote |= credit.write(ctx, interleave && scheduler.meterCredit());
      int slice = 0;
      while (!writable.isEmpty() && ctx.channel().isWritable()) {
        if (interleave && slice >= scheduler.sliceBytes()) {
          // a bounded slice per event-loop turn, flushed; the socket is read (requests,
          // credit) before the next, so a new packet never queues behind much data
          drainScheduled.set(true);
          ctx.channel().eventLoop().schedule(drainTask, 0, TimeUnit.NANOSECONDS);
          break;
        }
        s = writable.poll();
        if (interleave) {
          int n = writeFrames(s);
          slice += n;
          wrote |= n > 0;
          continue;
        }
        ByteBuf b;
        while ((b = s.pollOutbound()) != null) {
          if (dropUnsent(s, b)) {
            continue;
          }
          ctx.write(b, ctx.voidPromise());
          wrote = true;
          if (!ctx.channel().isWritable()) {
            break;
          }
        }
        afterTurn(s);
      }
      if (wrote) {
        ctx.flush();
      }
    } finally {
      draining = false;
    }
  }

  /**
   * Negotiated mode: {@code s}'s turn, as long as the scheduler says, then {@code s} goes to
   * the back of the line. Returns the bytes written.
   */
  private int writeFrames(RpcStream s) {
    ByteBuf f = s.pollFrames(header, scheduler.turnBytes(conn.frameBytes()));
    if (f == null) {
      if (s.hasOutbound()) {
        s.windowBlocked = true; // a WindowUpdate puts it back in line
      } else {
        afterTurn(s);
      }
      return 0;
    }
    if (dropUnsent(s, f)) {
      afterTurn(s);
      return 0;
    }
    int n = f.readableBytes();
    boolean more = s.hasOutbound();
    scheduler.writing(f, more);
    ctx.write(f, ctx.voidPromise());
    if (more) {
      writable.add(s);
    } else {
      afterTurn(s);
    }
    return n;
  }

  /** A client call cancelled before its Invoke went out sends nothing at all. */
  private boolean dropUnsent(RpcStream s, ByteBuf b) {
    if (s.isClient() && !s.wroteAny && s.isTerminated()) {
      b.release();
      return true;
    }
    s.wroteAny = true;
    return false;
  }

  /** After a stream's turn: requeue it if it has more to write, else maybe finish it. */
  private void afterTurn(RpcStream s) {
    if (s.hasOutbound()) {
      writable.add(s);
      return;
    }
    s.unschedule();
    if (s.hasOutbound() && s.schedule()) {
      writable.add(s);
    } else {
      conn.maybeFinish(s);
    }
  }

  private void onWakeup(RpcStream s) {
    if (s.finished) {
      s.terminate(Status.of(Code.CANCELLED, "stream finished"), RpcStream.EOF_STATUS, true);
      return;
    }
    if (!s.registered) {
      // a new client call
      s.registered = true;
      conn.admission.admit(s);
      return;
    }
    if (s.started && !s.windowBlocked) {
      writable.add(s);
    }
  }
}
