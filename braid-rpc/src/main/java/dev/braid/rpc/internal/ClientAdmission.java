package dev.braid.rpc.internal;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client connection's admission of calls: stream ids in order, and when a call may start
 * — one at a time until the connection runs streams concurrently (negotiated, or forced),
 * then up to the server's MAX_CONCURRENT_STREAMS; the others wait in order.
 *
 * <p>Threading: {@link #newCall} from any thread (ids and queuing under one lock, so a
 * connection's packets reach the writer in id order); {@link #outstandingCalls} and
 * {@link #runsConcurrently} from any thread; everything else on the event loop.
 */
final class ClientAdmission {
  private final Connection conn;
  private final Object startLock = new Object();
  /** startLock: the last stream id handed out. */
  private long lastId;
  /** loop: calls waiting for their turn. */
  private final ArrayDeque<RpcStream> waiting = new ArrayDeque<>();
  /** loop: calls started and not finished. */
  private int active;
  /** loop: the highest id started. */
  private long highestStarted;
  /** loop: streams may run concurrently (negotiated, or forced). */
  private boolean multiplexed;
  private volatile boolean multiplexedFlag;
  private int peerMaxConcurrent = Integer.MAX_VALUE;
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean firstStreamDone;

  ClientAdmission(Connection conn) {
    this.conn = conn;
    this.multiplexed = conn.config.multiplexing() == Multiplexing.FORCE;
    this.multiplexedFlag = multiplexed;
  }

  /**
   * Creates a call with the next stream id, lets it encode its first packets, and queues
   * them, all in id order. Any thread.
   */
  <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, boolean unary,
      CallOptions options, long deadlineNanos, Q request) throws StatusException {
    synchronized (startLock) {
      Status closed = conn.closedStatus();
      if (closed != null) {
        throw closed.asException();
      }
      if (conn.isClosing()) {
        throw Status.of(Code.UNAVAILABLE, "connection is closing").asException();
      }
      ClientCall<Q, R> call = new ClientCall<>(conn, ++lastId, method, unary);
      ByteBuf buf = call.encodeStart(options, deadlineNanos, unary, request);
      outstanding.incrementAndGet();
      try {
        call.queue(buf, call.openingMessageBytes, unary, false, null);
      } catch (StatusException | RuntimeException e) {
        outstanding.decrementAndGet();
        throw e;
      }
      return call;
    }
  }

  /** Event loop: a new call reached the loop; start it or let it wait its turn. */
  void admit(RpcStream s) {
    if (s.isTerminated() && !s.started) {
      dropUnstarted(s);
      return;
    }
    if (!waiting.isEmpty() || !canStart()) {
      waiting.add(s);
      return;
    }
    start(s);
  }

  private boolean canStart() {
    return multiplexed ? active < peerMaxConcurrent : active == 0;
  }

  private void start(RpcStream s) {
    s.started = true;
    s.sendWindow = conn.negotiation.initialSendWindow();
    s.metered = conn.flowControlled();
    active++;
    conn.router.register(s);
    highestStarted = s.id;
    conn.writer.addWritable(s);
  }

  /** Starts waiting calls while the mode and the peer's limit allow. */
  private void startWaiting() {
    boolean started = false;
    RpcStream next;
    while (canStart() && (next = waiting.poll()) != null) {
      if (next.isTerminated()) {
        dropUnstarted(next);
        continue;
      }
      start(next);
      started = true;
    }
    if (started) {
      conn.writer.wroteMore();
    }
  }

  private void dropUnstarted(RpcStream s) {
    ByteBuf b;
    while ((b = s.pollOutbound()) != null) {
      b.release();
    }
    conn.markFinished(s);
    if (s.deadlineTimer != null) {
      s.deadlineTimer.cancel(false);
    }
  }

  /** Event loop: the server's Settings answer arrived; runs concurrently if it says so. */
  void negotiated(Long maxConcurrent, boolean multiplexing) {
    if (maxConcurrent != null && maxConcurrent > 0) {
      peerMaxConcurrent = (int) Math.min(Integer.MAX_VALUE, maxConcurrent);
    }
    multiplexed = multiplexing;
    multiplexedFlag = multiplexed;
    startWaiting();
  }

  /** Event loop: a started call left the registry. */
  void streamDone() {
    active--;
    startWaiting();
  }

  /** Event loop: {@code call} is done for good. */
  void finished(RpcStream call) {
    outstanding.decrementAndGet();
    if (call.id == 1) {
      firstStreamDone = true;
    }
  }

  /** Event loop: the highest stream id started (frames for higher ids are not ours). */
  long highestStarted() {
    return highestStarted;
  }

  boolean noneWaiting() {
    return waiting.isEmpty();
  }

  /** Event loop: the connection closed; the waiting calls go to {@code all}. */
  void clear(List<RpcStream> all) {
    all.addAll(waiting);
    waiting.clear();
    active = 0;
  }

  int outstandingCalls() {
    return outstanding.get();
  }

  boolean firstStreamDone() {
    return firstStreamDone;
  }

  boolean runsConcurrently() {
    return multiplexedFlag;
  }
}
