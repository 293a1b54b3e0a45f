package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.Executor;

/**
 * One DRPC stream on a {@link Connection}, client or server side.
 *
 * <h2>State machine</h2>
 * <pre>
 *   open --send CloseSend--> send-closed --recv CloseSend--> terminated
 *   open --recv CloseSend--> recv-closed --send CloseSend--> terminated
 *   any  --send/recv Error, Cancel or Close--> terminated
 *   terminated + outbound written --> finished (leaves the connection's registry)
 * </pre>
 * A server stream also finishes once its handler has returned and its final CloseSend or
 * Error is written, without waiting for the client's CloseSend; later packets for it are
 * dropped as late packets.
 *
 * <h2>Threading</h2>
 * Fields marked <em>lock</em> are guarded by this stream's monitor (users must not
 * synchronize on stream objects) and shared between the event
 * loop and user threads (one sender and one receiver at a time). The event loop's own
 * transport state (assembly, windows, credit counters) is in {@link StreamTransport}.
 * Packet ids are reserved and packets queued under the lock, so a stream's packets reach
 * the connection in id order; once the stream is terminated nothing more is queued.
 * Callbacks (onReady) run on {@link #callbackExecutor}, never on the thread holding the lock.
 */
abstract class RpcStream extends StreamTransport {
  final Connection conn;
  final long id;

  // ---- lock ----
  private long lastSentId;
  boolean sendClosed;
  private boolean peerSendClosed;
  boolean terminated;
  /** Why the stream terminated, for local senders; null while open or after a clean end. */
  Status sendStatus;
  /** The packets queued for the writer. */
  private final OutboundQueue out = new OutboundQueue();
  /** The messages received and not read yet. */
  private final InboundQueue in = new InboundQueue();
  /**
   * The connection held back early credit for a large message in assembly because unread
   * messages were queued; the reader asks for it once the queue is empty.
   */
  private boolean partialCreditHeld;
  /** Non-null once nothing more will be received: EOF_STATUS for a clean end. */
  private Status recvStatus;
  private Runnable onReady;
  private boolean blockedOnReady;

  /** lock (its size read by the loop): the receive window and the credit returned. */
  final ReceiveWindow window;
  /** lock: the reader is blocked in {@link #takeMessage} for want of a message. */
  private boolean readerWaiting;
  /** lock: a terminal packet (Error, Cancel, Close) is the last one queued. */
  private boolean terminalQueued;
  /** lock: over its receive cap, so the connection stopped reading the socket for it. */
  boolean overCap;

  /** Marks a clean end of the received messages. */
  static final Status EOF_STATUS = Status.of(Code.NONE, "EOF");

  RpcStream(Connection conn, long id) {
    super(conn.config);
    this.conn = conn;
    this.id = id;
    this.window = new ReceiveWindow(conn);
  }

  /** Any thread: the credit to return for {@code credit} bytes, see {@link ReceiveWindow}. */
  final long withGrowth(long credit) {
    synchronized (this) {
      return window.withGrowth(credit);
    }
  }

  abstract boolean isClient();

  /** Whether this is a unary call (one request, one response). */
  boolean isUnary() {
    return false;
  }

  /** Where onReady callbacks run. */
  abstract Executor callbackExecutor();

  // ------------------------------------------------------------------ sending

  /** Reserves {@code n} consecutive message ids; fails if nothing may be sent any more. */
  final long reserveIds(int n) throws StatusException {
    synchronized (this) {
      checkCanSend();
      long first = lastSentId + 1;
      lastSentId += n;
      return first;
    }
  }

  private void checkCanSend() throws StatusException {
    if (terminated) {
      throw sendStatusOrDefault().asException();
    }
    if (sendClosed) {
      throw Status.of(Code.FAILED_PRECONDITION, "send after CloseSend").asException();
    }
  }

  private Status sendStatusOrDefault() {
    return sendStatus != null ? sendStatus : Status.of(Code.FAILED_PRECONDITION,
        "stream already finished");
  }

  /**
   * The encoded size of {@code message}, checked against the largest message this side may
   * send. {@code what} names it in errors ("request", "response").
   */
  final <T> int checkedSize(dev.braid.rpc.Encoding<T> encoding, T message, String what)
      throws StatusException {
    return FrameWriter.checkedSize(encoding, message, what, conn.maxSendMessageSize());
  }

  /**
   * Sends one Message packet of {@code size} bytes (already checked): encodes it into fresh
   * buffers, waits until the stream is ready and queues it. Encoding before waiting lets the
   * next message's encoding overlap the writing of the previous one; a sender holds at most
   * that one encoded message beyond the ready threshold.
   *
   * @throws StatusException if the stream ended, or encoding failed (status INTERNAL)
   */
  final <T> void sendMessage(dev.braid.rpc.Encoding<T> encoding, T message, int size,
      String what) throws StatusException {
    long mid = reserveIds(1);
    ByteBuf buf = FrameWriter.encodeMessage(conn.alloc(), id, mid, encoding, message, size,
        conn.splitSize(), what);
    try {
      awaitReady();
    } catch (StatusException e) {
      buf.release();
      throw e;
    }
    queue(buf, size, false, false, null);
  }

  /** Blocks while too many bytes are queued for sending. */
  final void awaitReady() throws StatusException {
    synchronized (this) {
      boolean interrupted = false;
      while (out.bytes() >= conn.config.onReadyThreshold() && !terminated) {
        interrupted |= awaitChange();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      checkCanSend();
    }
  }

  /**
   * Queues encoded frames for the writer. {@code closesSend}: the frames end with our
   * CloseSend; {@code terminal}: they end the stream (Error, Cancel, Close).
   *
   * @throws StatusException if the stream terminated meanwhile (the frames are released)
   */
  final void queue(ByteBuf frames, int messageBytes, boolean closesSend, boolean terminal,
      Status status) throws StatusException {
    synchronized (this) {
      if (terminated) {
        frames.release();
        throw sendStatusOrDefault().asException();
      }
      out.add(frames, messageBytes);
      if (closesSend) {
        sendClosed = true;
        if (peerSendClosed) {
          terminated = true;
        }
      }
      if (terminal) {
        sendClosed = true;
        terminated = true;
        sendStatus = status;
        terminalQueued = true;
        endReceive(status);
      }
    }
    conn.wakeup(this);
    if (terminal) {
      conn.unblockTerminal(this);
    }
  }

  /** Sends an empty control or terminal packet (CloseSend, Cancel, Close), if still open. */
  final boolean sendEmpty(int kind, boolean control, boolean closesSend, boolean terminal,
      Status status) {
    synchronized (this) {
      try {
        if (terminated || (closesSend && sendClosed)) {
          return false;
        }
        long mid = ++lastSentId;
        ByteBuf buf = conn.alloc().buffer(FrameWriter.packetSize(id, mid, 0, 0));
        FrameWriter.writeEmpty(buf, kind, control, id, mid);
        queue(buf, 0, closesSend, terminal, status);
        return true;
      } catch (StatusException e) {
        return false;
      }
    }
  }

  /** Under the lock: drops every queued buffer but the last one; see {@link #readyAfter}. */
  private Runnable dropAllButLast() {
    int before = out.bytes();
    out.dropAllButLast();
    return readyAfter(before);
  }

  /** Event loop: the next queued buffer, or null. Wakes blocked senders. */
  final ByteBuf pollOutbound() {
    ByteBuf b;
    Runnable ready = null;
    synchronized (this) {
      int before = out.bytes();
      b = out.poll();
      if (b != null) {
        ready = readyAfter(before);
      }
    }
    runReady(ready);
    return b;
  }

  /**
   * Event loop, negotiated mode: the next frames to write, or null if nothing is queued or
   * the next frame is Message data and the send window is used up (see
   * {@link OutboundQueue#pollWithin}). A terminal packet never waits for credit.
   */
  final ByteBuf pollFrames(dev.braid.wire.FrameHeader header, int chunk) {
    ByteBuf frames;
    Runnable ready = null;
    synchronized (this) {
      if (out.peek() == null) {
        return null;
      }
      if (out.headData() > 0 && sendWindow <= 0) {
        if (!terminalQueued) {
          return null;
        }
        // the data ahead of it is dropped (the peer discards a partial packet when a
        // higher message id follows)
        ready = dropAllButLast();
      }
      int before = out.bytes();
      frames = out.pollWithin(header, chunk, sendWindow, conn.frameBytes());
      if (sendWindow != Long.MAX_VALUE) {
        sendWindow -= out.lastData();
      }
      Runnable more = readyAfter(before);
      ready = more != null ? more : ready;
    }
    runReady(ready);
    return frames;
  }

  /**
   * Under the lock: wakes blocked senders if the stream turned ready, and returns the
   * onReady callback then due (the caller runs it with {@link #runReady} once it has left
   * the lock), or null.
   */
  private Runnable readyAfter(int before) {
    int threshold = conn.config.onReadyThreshold();
    if (before >= threshold && out.bytes() < threshold) {
      notifyAll();
      if (onReady != null && blockedOnReady) {
        blockedOnReady = false;
        return onReady;
      }
    }
    return null;
  }

  /** Outside the lock: runs a due onReady callback on the callback executor. */
  private void runReady(Runnable ready) {
    if (ready != null) {
      callbackExecutor().execute(ready);
    }
  }

  final boolean hasOutbound() {
    synchronized (this) {
      return !out.isEmpty();
    }
  }

  public boolean isReady() {
    synchronized (this) {
      boolean ready = !terminated && !sendClosed
          && out.bytes() < conn.config.onReadyThreshold();
      if (!ready) {
        blockedOnReady = true;
      }
      return ready;
    }
  }

  public void setOnReady(Runnable callback) {
    synchronized (this) {
      onReady = callback;
    }
  }

  /**
   * Event loop: whether the stream may leave the registry: terminated (or, on a server,
   * the handler's final packet queued) and everything queued written.
   */
  final boolean finishable() {
    synchronized (this) {
      return out.isEmpty() && (terminated || (!isClient() && sendClosed));
    }
  }

  // ---------------------------------------------------------------- receiving

  /** Event loop: a Message packet arrived. Takes ownership of {@code data}. */
  void handleMessage(ByteBuf data) {
    boolean pause = false;
    synchronized (this) {
      if (recvStatus != null || in.dropped()) {
        data.release();
        return;
      }
      in.add(data, arrivingCredit);
      window.arrived(data.readableBytes(), readerWaiting);
      if (!conn.flowControlled() && in.bytes() > conn.config.streamBufferBytes()
          && !overCap) {
        overCap = true;
        pause = true;
      }
      notifyAll();
    }
    if (pause) {
      conn.pauseReading(this);
    }
    conn.unread(data.readableBytes());
  }

  /**
   * Event loop: whether early credit for the message in assembly must wait because unread
   * messages are queued (a stalled reader then holds at most its window plus that message).
   * When it returns true the reader will call {@link Connection#creditPartial} once it has
   * emptied the queue.
   */
  final boolean holdPartialCredit() {
    synchronized (this) {
      if (in.isEmpty()) {
        return false;
      }
      partialCreditHeld = true;
      return true;
    }
  }

  /** Event loop: the peer half-closed. */
  void handlePeerCloseSend() {
    synchronized (this) {
      peerSendClosed = true;
      endReceive(EOF_STATUS);
      if (sendClosed) {
        terminated = true;
      }
    }
  }

  /**
   * Terminates the stream because of the peer (Error, Cancel, Close) or the connection.
   * Queued outbound packets are dropped. Messages already received stay readable unless
   * {@code dropReceived}.
   *
   * @return whether this call terminated the stream
   */
  boolean terminate(Status status, Status receiveStatus, boolean dropReceived) {
    synchronized (this) {
      if (terminated && recvStatus != null) {
        return false;
      }
      boolean was = terminated;
      terminated = true;
      sendClosed = true;
      if (sendStatus == null) {
        sendStatus = status;
      }
      out.clear();
      if (dropReceived) {
        releaseInbound();
      }
      endReceive(receiveStatus);
      notifyAll();
      return !was;
    }
  }

  /**
   * Cancels locally: fails pending and later operations with {@code status} and, if the
   * stream has started and is still open, queues a Cancel packet for the peer.
   */
  final boolean cancelLocally(Status status) {
    synchronized (this) {
      if (terminated) {
        return false;
      }
      out.clear();
      releaseInbound();
      long mid = ++lastSentId;
      ByteBuf buf = conn.alloc().buffer(FrameWriter.packetSize(id, mid, 0, 0));
      FrameWriter.writeEmpty(buf, Kind.CANCEL, true, id, mid);
      out.add(buf, 0);
      terminated = true;
      sendClosed = true;
      sendStatus = status;
      terminalQueued = true;
      endReceive(status);
      notifyAll();
    }
    conn.wakeup(this);
    conn.unblockTerminal(this);
    onCancelled(status);
    return true;
  }

  /** Hook: the stream was cancelled locally or by the peer. */
  void onCancelled(Status status) {}

  private void endReceive(Status status) {
    if (recvStatus == null) {
      recvStatus = status;
      notifyAll();
    }
  }

  private void releaseInbound() {
    long released = in.drop();
    if (released > 0) {
      conn.unread(-released);
    }
  }

  /**
   * Waits for the next received message. Returns null at a clean end.
   *
   * @throws StatusException if the stream ended with an error
   */
  final ByteBuf takeMessage() throws StatusException {
    boolean resume = false;
    boolean partial = false;
    int credit = 0;
    ByteBuf b;
    synchronized (this) {
      boolean interrupted = false;
      while (in.isEmpty() && recvStatus == null) {
        readerWaiting = true;
        interrupted |= awaitChange();
      }
      readerWaiting = false;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      b = in.poll();
      if (b == null) {
        if (recvStatus == EOF_STATUS) {
          return null;
        }
        throw recvStatus.asException();
      }
      credit = window.read(in.lastCredit());
      if (overCap && in.bytes() <= conn.config.streamBufferBytes() / 2) {
        overCap = false;
        resume = true;
      }
      if (partialCreditHeld && in.isEmpty()) {
        partialCreditHeld = false;
        partial = true;
      }
    }
    if (resume) {
      conn.resumeReading(this);
    }
    if (partial) {
      conn.creditPartial(this);
    }
    conn.unread(-b.readableBytes());
    if (credit > 0) {
      conn.returnCredit(this, credit);
    }
    return b;
  }

  /** Whether the reader is blocked waiting for a message (diagnostics and tests). */
  final boolean isReaderWaiting() {
    synchronized (this) {
      return readerWaiting;
    }
  }

  /** Releases everything received but not read; further messages are dropped. */
  final void discardReceived() {
    synchronized (this) {
      releaseInbound();
    }
  }

  /**
   * Waits on this stream's monitor (held by the caller) until notified; an interrupt is
   * remembered and reported, not thrown, so waits behave uninterruptibly.
   */
  private boolean awaitChange() {
    try {
      wait();
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  /** Whether the stream has terminated. */
  final boolean isTerminated() {
    synchronized (this) {
      return terminated;
    }
  }

  @Override
  public String toString() {
    return (isClient() ? "client" : "server") + " stream " + Long.toUnsignedString(id);
  }
}
