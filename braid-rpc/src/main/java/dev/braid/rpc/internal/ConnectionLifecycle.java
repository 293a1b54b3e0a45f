package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link Connection} ends: a close now, a graceful close once idle, an abort for the
 * peer's behaviour or a protocol error (one WARN line), a failure on the event loop (a
 * broken socket is {@link Code#UNAVAILABLE}, anything else {@link Code#INTERNAL}, an
 * {@link Error} also goes to the fatal error handler), and the teardown once the channel is
 * inactive: every stream terminated (one failing does not stop the others), every periodic
 * task cancelled, every held buffer released, then the close future completed.
 *
 * <p>Threading: {@link #close}, {@link #closeGracefully}, {@link #closedStatus},
 * {@link #isClosing} and the close future are safe from any thread; everything else runs
 * on the channel's event loop. {@code failed} is event-loop state.
 */
final class ConnectionLifecycle {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);

  private final Connection conn;
  /** loop: the connection failed or closed; nothing more is read or written. */
  private boolean failed;
  private volatile Status closedStatus;
  private volatile boolean closing;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();

  ConnectionLifecycle(Connection conn) {
    this.conn = conn;
  }

  /** Whether the connection failed or closed (no more writing). Event loop. */
  boolean failed() {
    return failed;
  }

  /** The status the connection closed with, or null while open. Any thread. */
  Status closedStatus() {
    return closedStatus;
  }

  /** Whether a graceful close has begun. Any thread. */
  boolean isClosing() {
    return closing;
  }

  CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  /** Closes the connection because of the peer's behaviour, with one WARN line. */
  void abort(String why, Status status) {
    if (failed) {
      return;
    }
    log.warn("closing connection {}: {}", conn.channel, why);
    failed = true;
    close(status);
  }

  /** The peer broke the protocol: one WARN line, every stream fails with INTERNAL. */
  void protocolError(String message) {
    if (failed) {
      return;
    }
    log.warn("closing connection {}: protocol error: {}", conn.channel, message);
    close(Status.of(Code.INTERNAL, "protocol error: " + message));
    failed = true;
  }

  /**
   * Something was thrown on the event loop: a socket failure (an {@link java.io.IOException})
   * fails the streams with {@link Code#UNAVAILABLE}; anything else is a bug of the engine or
   * of code it called and fails them with {@link Code#INTERNAL}, never with the code callers
   * retry on. An {@link Error} also goes to the fatal error handler: the server stops.
   */
  void engineFailure(Throwable cause) {
    Throwable root = cause;
    while ((root instanceof io.netty.handler.codec.DecoderException
        || root instanceof io.netty.channel.ChannelPipelineException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    Status status;
    if (root instanceof java.io.IOException) {
      status = Status.of(Code.UNAVAILABLE, "connection failed: " + root.getMessage(), root);
      log.debug("connection {} failed", conn.channel, root);
    } else {
      status = Status.of(Code.INTERNAL, "internal error: " + root, root);
      log.error("connection {}: unexpected failure on the event loop; closing it",
          conn.channel, root);
    }
    if (closedStatus == null) {
      closedStatus = status;
    }
    if (root instanceof Error e) {
      try {
        conn.config.fatalErrorHandler().accept(e);
      } catch (Throwable ignored) {
        // nothing more can be done for an Error
      }
    }
    failed = true;
    if (conn.channel != null) {
      conn.channel.close();
    }
  }

  /** Closes now: every stream fails with {@code status}. Any thread. */
  void close(Status status) {
    if (closedStatus == null) {
      closedStatus = status;
    }
    if (conn.channel != null) {
      conn.channel.close();
    }
  }

  /** Closes once every stream has finished; refuses new calls meanwhile. Any thread. */
  CompletableFuture<Void> closeGracefully() {
    closing = true;
    if (conn.channel != null) {
      conn.channel.eventLoop().execute(this::closeIfIdle);
    }
    return closeFuture;
  }

  /** Event loop: the idle timeout passed: close once flushed. */
  void closeIdle(Status status) {
    log.debug("closing idle connection {}", conn.channel);
    closing = true;
    closeIfIdle(status);
  }

  /** Event loop: a stream finished; a graceful close completes once none is left. */
  void streamFinished() {
    if (closing) {
      closeIfIdle();
    }
  }

  private void closeIfIdle() {
    closeIfIdle(Status.of(Code.UNAVAILABLE, "connection closed"));
  }

  private void closeIfIdle(Status status) {
    if (closing && conn.isIdle()
        && closedStatus == null) {
      closedStatus = status;
      // close only once everything written so far (even unflushed) is on the wire
      conn.ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }
  }

  /** Event loop: the channel is inactive: fails every stream and releases everything. */
  void channelInactive() {
    terminateAll(closedStatus != null ? closedStatus
        : Status.of(Code.UNAVAILABLE, "connection closed by the peer"));
  }

  private void terminateAll(Status status) {
    if (closedStatus == null) {
      closedStatus = status;
    }
    failed = true;
    List<RpcStream> all = conn.router.removeAll();
    if (conn.admission != null) {
      conn.admission.clear(all);
    }
    conn.writer.clear(all);
    conn.control.clear();
    conn.keepalive.cancel();
    if (conn.dispatch != null) {
      conn.dispatch.clear();
    }
    conn.timeouts.cancel();
    try {
      for (RpcStream st : all) {
        try {
          st.terminate(status, status, true);
        } catch (RuntimeException e) {
          // e.g. a handler executor that rejects cancel listeners: the others still end
          log.warn("connection {}: terminating {} failed", conn.channel, st, e);
        }
        conn.router.releasePartial(st);
        if (st.deadlineTimer != null) {
          st.deadlineTimer.cancel(false);
        }
        conn.markFinished(st);
      }
      conn.readGate.clear();
      conn.router.clearHeld();
    } finally {
      closeFuture.complete(null);
    }
  }
}
