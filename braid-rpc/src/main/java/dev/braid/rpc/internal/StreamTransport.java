package dev.braid.rpc.internal;

import dev.braid.wire.PacketAssembly;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * The transport state of one stream, apart from the application-facing buffers of
 * {@link RpcStream} (which extends it): packet assembly and the bytes it holds, the send
 * window, the credit granted and received, and where the stream is in the connection's
 * lifecycle (registered, started, finished).
 *
 * <p>Threading: the plain fields belong to the connection's event loop and are never
 * touched under the stream's monitor. The exceptions say so: {@link #schedule} and
 * {@link #unschedule} (the writer's line, any thread, lock-free), {@link #oweCredit} (any
 * thread adds, the loop sends) and {@link #deadlineTimer} (set from any thread, cancelled
 * on the loop).
 */
abstract class StreamTransport {
  /** Set while the stream sits in the connection's wakeup queue or write rotation. */
  private volatile int scheduled;
  private static final AtomicIntegerFieldUpdater<StreamTransport> SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(StreamTransport.class, "scheduled");

  final PacketAssembly assembly;
  PacketBuffer partial;
  boolean registered;
  boolean started;
  /** Some of this stream's bytes have been written. */
  boolean wroteAny;
  /** Bytes of Message data the peer lets us send (negotiated flow control). */
  long sendWindow = Long.MAX_VALUE;
  /**
   * Any thread adds, the loop sends: credit this side owes the peer (messages read, early
   * credit, growth) and has not sent yet. While small calls are about, the loop holds some
   * back ({@link SmallCallWriteScheduler#SMALL_CALL_OUTSTANDING}).
   */
  private volatile long creditOwed;
  private static final AtomicLongFieldUpdater<StreamTransport> CREDIT_OWED =
      AtomicLongFieldUpdater.newUpdater(StreamTransport.class, "creditOwed");
  /**
   * Message data the peer was allowed to send on this stream (the announced window plus
   * every credit sent), and the Message data received; the difference is what the peer may
   * still have on its way.
   */
  long creditGranted;
  long dataReceived;
  /** Credit of the message now arriving, set by the connection before delivery. */
  int arrivingCredit;
  /** Bytes of the packet being assembled, and how many were credited early. */
  long partialBytes;
  long partialCredited;
  /** Has queued Message data but no send window; a WindowUpdate requeues it. */
  boolean windowBlocked;
  /** Created once flow control was negotiated: the peer must keep to its credit. */
  boolean metered;
  /** Bytes of the packet in assembly counted against the connection's buffer. */
  long partialHeld;
  /** Done for good ({@link Connection#markFinished}); it leaves the registry. */
  boolean finished;
  /** Set from any thread, cancelled on the loop. */
  volatile ScheduledFuture<?> deadlineTimer;

  StreamTransport(ConnectionConfig config) {
    this.assembly = new PacketAssembly(config.maxMessageSize());
    this.creditGranted = config.streamWindow();
  }

  /** Claims the right to put this stream in line; false if it already is. Any thread. */
  final boolean schedule() {
    return SCHEDULED.compareAndSet(this, 0, 1);
  }

  /** Leaves the line. */
  final void unschedule() {
    scheduled = 0;
  }

  /** Any thread: adds {@code bytes} to the credit owed; returns what was owed before. */
  final long oweCredit(long bytes) {
    return CREDIT_OWED.getAndAdd(this, bytes);
  }

  /** The credit owed and not sent yet. */
  final long creditOwed() {
    return creditOwed;
  }
}
