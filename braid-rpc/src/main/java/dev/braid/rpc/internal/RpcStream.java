package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import dev.braid.wire.Kind;
import dev.braid.wire.PacketAssembly;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

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
 * loop and user threads (one sender and one receiver at a time). Fields marked
 * <em>loop</em> belong to the connection's event loop. Packet ids are reserved and packets
 * queued under the lock, so a stream's packets reach the connection in id order; once the
 * stream is terminated nothing more is queued.
 */
abstract class RpcStream {
  final Connection conn;
  final long id;
  /** Set while the stream sits in the connection's wakeup queue or write rotation. */
  private volatile int scheduled;
  private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<RpcStream>
      SCHEDULED = java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(
          RpcStream.class, "scheduled");

  /** Claims the right to put this stream in line; false if it already is. */
  final boolean schedule() {
    return SCHEDULED.compareAndSet(this, 0, 1);
  }

  /** Leaves the line. */
  final void unschedule() {
    scheduled = 0;
  }

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
  private int pendingCredit;
  /**
   * The connection held back early credit for a large message in assembly because unread
   * messages were queued; the reader asks for it once the queue is empty.
   */
  private boolean partialCreditHeld;
  /** Non-null once nothing more will be received: EOF_STATUS for a clean end. */
  private Status recvStatus;
  private Runnable onReady;
  private boolean blockedOnReady;

  // ---- loop ----
  final PacketAssembly assembly;
  PacketBuffer partial;
  boolean registered;
  boolean started;
  /** loop: some of this stream's bytes have been written. */
  boolean wroteAny;
  /** loop: bytes of Message data the peer lets us send (negotiated flow control). */
  long sendWindow = Long.MAX_VALUE;
  /**
   * Any thread adds, the loop sends: credit this side owes the peer (messages read, early
   * credit, growth) and has not sent yet. While small calls are about, the loop holds some
   * back ({@link SmallCallWriteScheduler#SMALL_CALL_OUTSTANDING}).
   */
  private volatile long creditOwed;
  private static final AtomicLongFieldUpdater<RpcStream> CREDIT_OWED =
      AtomicLongFieldUpdater.newUpdater(RpcStream.class, "creditOwed");
  /**
   * loop: Message data the peer was allowed to send on this stream (the announced window
   * plus every credit sent), and the Message data received; the difference is what the peer
   * may still have on its way.
   */
  long creditGranted;
  long dataReceived;
  /** loop: credit of the message now arriving, set by the connection before delivery. */
  int arrivingCredit;
  /** loop: bytes of the packet being assembled, and how many were credited early. */
  long partialBytes;
  long partialCredited;
  /**
   * The receive window this side grants on the stream (negotiated flow control): the
   * configured window, doubled up to the maximum by {@link #withGrowth}. Written under the
   * lock; read by the loop for its early-credit thresholds.
   */
  volatile int recvWindow;
  /**
   * lock: bytes of the messages received, in a row, while the reader was waiting for them;
   * a message that arrives while the reader is busy elsewhere resets it.
   */
  private long starvedBytes;
  /** lock: the reader is blocked in {@link #takeMessage} for want of a message. */
  private boolean readerWaiting;
  /** loop: has queued Message data but no send window; a WindowUpdate requeues it. */
  boolean windowBlocked;
  /** loop: created once flow control was negotiated: the peer must keep to its credit. */
  boolean metered;
  /** loop: bytes of the packet in assembly counted against the connection's buffer. */
  long partialHeld;
  /** lock: a terminal packet (Error, Cancel, Close) is the last one queued. */
  private boolean terminalQueued;
  boolean finished;
  /** lock: over its receive cap, so the connection stopped reading the socket for it. */
  boolean overCap;
  /** Set from any thread, cancelled on the loop. */
  volatile ScheduledFuture<?> deadlineTimer;

  /** Marks a clean end of the received messages. */
  static final Status EOF_STATUS = Status.of(Code.NONE, "EOF");

  RpcStream(Connection conn, long id) {
    this.conn = conn;
    this.id = id;
    this.assembly = new PacketAssembly(conn.config.maxMessageSize());
    this.recvWindow = conn.config.streamWindow();
    this.creditGranted = recvWindow;
  }

  /**
   * Any thread: the credit to return for {@code credit} bytes read, plus the growth of the
   * window when it is due. A whole window's worth of messages that each found the reader
   * already waiting for them means the reader is not what limits the stream: the window (the
   * credit round trip) is. The window then doubles, up to the maximum, the growth granted as
   * extra credit. A message that arrives while the reader is busy (a slow or paced reader)
   * restarts the count, so such a reader never gets more than its window.
   */
  final long withGrowth(long credit) {
    synchronized (this) {
      return creditLocked(credit);
    }
  }

  private long creditLocked(long credit) {
    int window = recvWindow;
    int max = conn.config.maxStreamWindow();
    if (starvedBytes < window || window >= max || !conn.flowControlled()) {
      return credit;
    }
    starvedBytes = 0;
    int grown = (int) Math.min(2L * window, max);
    recvWindow = grown;
    return credit + grown - window;
  }

  abstract boolean isClient();

  /** Any thread: adds {@code bytes} to the credit owed; returns what was owed before. */
  final long oweCredit(long bytes) {
    return CREDIT_OWED.getAndAdd(this, bytes);
  }

  /** The credit owed and not sent yet. */
  final long creditOwed() {
    return creditOwed;
  }

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
    int size;
    try {
      size = encoding.encodedSize(message);
    } catch (RuntimeException e) {
      throw Status.of(Code.INTERNAL, "failed to size the " + what + ": " + e, e)
          .asException();
    }
    if (size > conn.maxSendMessageSize()) {
      throw Status.of(Code.RESOURCE_EXHAUSTED, what + " of " + size
          + " bytes exceeds the maximum message size of " + conn.maxSendMessageSize())
          .asException();
    }
    return size;
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
    int split = conn.splitSize();
    ByteBuf buf = conn.alloc().buffer(FrameWriter.inlineSize(id, mid, size, split));
    try {
      buf = FrameWriter.appendMessage(conn.alloc(), buf, id, mid, encoding, message, size,
          split, false);
    } catch (RuntimeException e) {
      buf.release();
      throw Status.of(Code.INTERNAL, "failed to encode the " + what + ": " + e, e)
          .asException();
    }
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

  /** Under the lock: drops every queued buffer but the last one. */
  private void dropAllButLast() {
    int before = out.bytes();
    out.dropAllButLast();
    wakeSendersIfReady(before);
  }

  /** Event loop: the next queued buffer, or null. Wakes blocked senders. */
  final ByteBuf pollOutbound() {
    synchronized (this) {
      int before = out.bytes();
      ByteBuf b = out.poll();
      if (b != null) {
        wakeSendersIfReady(before);
      }
      return b;
    }
  }

  /**
   * Event loop, negotiated mode: the next frames to write, or null if nothing is queued or
   * the next frame is Message data and the send window is used up. A buffer of at most
   * {@code chunk} bytes goes whole if the window covers it (or it is no larger than a
   * frame); from a larger one, whole frames up to {@code chunk} bytes (at least one) while
   * the window lasts, so what is in the channel ahead of another stream's packet stays
   * bounded.
   */
  final ByteBuf pollFrames(dev.braid.wire.FrameHeader header, int chunk) {
    synchronized (this) {
      ByteBuf head = out.peek();
      if (head == null) {
        return null;
      }
      int data = out.headData();
      if (data > 0 && sendWindow <= 0) {
        if (!terminalQueued) {
          return null;
        }
        // a terminal packet never waits for credit: the data ahead of it is dropped (the
        // peer discards a partial packet when a higher message id follows)
        dropAllButLast();
        head = out.peek();
        data = out.headData();
      }
      int before = out.bytes();
      ByteBuf frames;
      if (head.readableBytes() <= chunk
          && (data <= sendWindow || head.readableBytes() <= conn.frameBytes())) {
        // the window may be overdrawn by at most one frame's worth (a small buffer)
        frames = out.poll();
        if (sendWindow != Long.MAX_VALUE) {
          sendWindow -= data;
        }
      } else {
        int readable = head.readableBytes();
        int n = 0;
        int messageData = 0;
        while (n < readable) {
          // our own frames: each header read in place (large messages are composites)
          FrameWriter.peekHeader(head, head.readerIndex() + n, header);
          int size = header.headerSize + header.length;
          boolean message = header.kind == Kind.MESSAGE;
          if (n > 0 && (n + size > chunk || (message && sendWindow - messageData <= 0))) {
            break;
          }
          n += size;
          if (message) {
            messageData += header.length;
          }
        }
        if (sendWindow != Long.MAX_VALUE) {
          sendWindow -= messageData;
        }
        out.setHeadData(data - messageData);
        frames = n == readable ? out.poll() : out.sliceHead(n);
      }
      wakeSendersIfReady(before);
      return frames;
    }
  }

  /** Under the lock: wakes blocked senders and runs onReady if the stream turned ready. */
  private void wakeSendersIfReady(int before) {
    int threshold = conn.config.onReadyThreshold();
    if (before >= threshold && out.bytes() < threshold) {
      notifyAll();
      if (onReady != null && blockedOnReady) {
        blockedOnReady = false;
        callbackExecutor().execute(onReady);
      }
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
      starvedBytes = readerWaiting ? starvedBytes + data.readableBytes() : 0;
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
      pendingCredit += in.lastCredit();
      if (pendingCredit >= recvWindow / 4) {
        credit = (int) creditLocked(pendingCredit);
        pendingCredit = 0;
      }
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
