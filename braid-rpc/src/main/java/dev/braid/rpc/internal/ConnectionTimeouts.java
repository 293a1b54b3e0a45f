package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one connection and their periodic checks: the idle timeout (no stream
 * for that long: closed after flushing) and the protections against a peer that holds the
 * connection without using it — no first Invoke (servers), an incomplete frame or packet
 * without progress, a socket that stays unwritable because the peer does not read. Each
 * check is one task at a fixed rate, started with the connection and cancelled when it
 * closes ({@link #cancel}), so a closed connection leaves no task behind.
 *
 * <p>Event loop only; the clock is the event loop's ticker.
 */
final class ConnectionTimeouts {
  /** Idle checks per idle timeout: closed after this many in a row found no stream. */
  private static final int IDLE_CHECKS = 4;

  private final Connection conn;
  private final ConnectionConfig config;
  private final boolean server;
  private ScheduledFuture<?> idleTask;
  private ScheduledFuture<?> guardTask;
  private int idleChecks;
  private long openedNanos;
  /** When input last arrived while a frame or packet was incomplete; 0 if none is. */
  private long incompleteSinceNanos;
  /** Since when the channel has not been writable; 0 while it is. */
  private long unwritableSinceNanos;

  ConnectionTimeouts(Connection conn, boolean server) {
    this.conn = conn;
    this.config = conn.config;
    this.server = server;
  }

  /** The connection's channel is ready: start the checks that are configured. */
  void start(long now) {
    openedNanos = now;
    long idle = config.idleTimeoutMillis();
    if (idle > 0) {
      idleTask = conn.scheduleAtFixedRate(this::checkIdle, Math.max(1, idle / IDLE_CHECKS));
    }
    long guard = Long.MAX_VALUE;
    for (long t : new long[] {server ? config.firstInvokeTimeoutMillis() : 0,
        config.halfFrameTimeoutMillis(), config.writeStallTimeoutMillis()}) {
      if (t > 0) {
        guard = Math.min(guard, t);
      }
    }
    if (guard != Long.MAX_VALUE) {
      guardTask = conn.scheduleAtFixedRate(this::checkGuards, Math.max(1, guard / 4));
    }
  }

  /** Input arrived; {@code incomplete}: a frame or packet is still incomplete after it. */
  void inputArrived(boolean incomplete, long now) {
    incompleteSinceNanos = incomplete ? now : 0;
  }

  /** The channel's writability changed. */
  void writability(boolean writable, long now) {
    if (writable) {
      unwritableSinceNanos = 0;
    } else if (unwritableSinceNanos == 0) {
      unwritableSinceNanos = now;
    }
  }

  private void checkGuards() {
    if (conn.hasFailed()) {
      return;
    }
    long now = conn.now();
    long first = config.firstInvokeTimeoutMillis();
    if (server && first > 0 && !conn.dispatch.invoked()
        && now - openedNanos > TimeUnit.MILLISECONDS.toNanos(first)) {
      conn.abort("no Invoke within " + first + " ms of opening",
          Status.of(Code.UNAVAILABLE, "no call within " + first + " ms"));
      return;
    }
    long half = config.halfFrameTimeoutMillis();
    if (half > 0 && incompleteSinceNanos != 0
        && now - incompleteSinceNanos > TimeUnit.MILLISECONDS.toNanos(half)) {
      conn.abort("an incomplete frame or packet made no progress for " + half + " ms",
          Status.of(Code.UNAVAILABLE, "incomplete frame for " + half + " ms"));
      return;
    }
    long stall = config.writeStallTimeoutMillis();
    if (stall > 0 && unwritableSinceNanos != 0
        && now - unwritableSinceNanos > TimeUnit.MILLISECONDS.toNanos(stall)) {
      conn.abort("the peer has not read for " + stall + " ms",
          Status.of(Code.UNAVAILABLE, "peer not reading for " + stall + " ms"));
    }
  }

  private void checkIdle() {
    if (conn.hasFailed()) {
      return;
    }
    if (!conn.isIdle()) {
      idleChecks = 0;
      return;
    }
    if (++idleChecks >= IDLE_CHECKS) {
      conn.lifecycle.closeIdle(Status.of(Code.UNAVAILABLE, "connection idle for "
          + config.idleTimeoutMillis() + " ms"));
    }
  }

  /** The connection closed. */
  void cancel() {
    for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {idleTask, guardTask}) {
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
