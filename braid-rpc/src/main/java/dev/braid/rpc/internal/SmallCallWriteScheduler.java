package dev.braid.rpc.internal;

import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * braid's write policy once negotiated: protect small calls from bulk transfers while there
 * are any, favour throughput otherwise (docs/wire-protocol.md, "Writing").
 *
 * <p>While small calls are about (the writer wrote a small call within the last 20 ms), each
 * stream's turn is one frame (a buffer of small frames, such as a whole unary call, counts
 * as one) and the writer yields every {@link #SLICE_BYTES}; with only bulk packets in line,
 * turns and slices are {@link #BULK_SLICE_BYTES}. While small unary messages arrive (within
 * 20 ms), credit is metered to {@link #SMALL_CALL_OUTSTANDING} per stream.
 *
 * <p>Event loop only; the clock is the event loop's ticker (a fake one in tests).
 */
final class SmallCallWriteScheduler implements WriteScheduler {
  /**
   * While small calls share the connection: bytes written and flushed per event-loop turn
   * before the loop reads the socket again, each stream's turn being one frame. Small, so
   * that a reply or a new call never waits behind much of a bulk transfer (HeadOfLineBench).
   * The cost is a write system call and a loop pass per slice, which is why it applies only
   * while small calls are about.
   */
  static final int SLICE_BYTES = 32 << 10;
  /**
   * While only bulk packets are written: bytes per event-loop turn, and the most one
   * stream's turn writes (a 64 KiB reply goes whole, a 1 MiB message in four turns).
   * Throughput over interleaving: there is no small call to protect.
   */
  static final int BULK_SLICE_BYTES = 256 << 10;
  /**
   * While small calls are about: the most Message data of one stream the receiver lets be on
   * its way at once (credit granted and not yet used), however large the stream's window. A
   * bulk transfer then keeps little in the socket buffers and the event loops ahead of a
   * small call's packets, and comes in a steady flow rather than in window-sized bursts
   * (HeadOfLineBench). The window still bounds memory: credit is only delayed, never added.
   */
  static final int SMALL_CALL_OUTSTANDING = 64 << 10;
  /** A packet of at most this many bytes that opens a call or carries a message is small. */
  static final int SMALL_PACKET_BYTES = 8 << 10;
  /** How long after the last small packet the writer keeps protecting small calls. */
  static final long SMALL_TRAFFIC_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final LongSupplier clock;
  /** When the writer last wrote a small packet, if ever. */
  private long lastSmallNanos;
  private boolean wroteSmall;
  /**
   * A small unary message arrived in the socket read in progress; when the last read with
   * one ended, if ever (one clock read per read, not per message).
   */
  private boolean smallCallArrived;
  private long lastSmallCallNanos;
  private boolean sawSmallCall;
  /** The running drain: its start, whether it protects small calls, whether it meters. */
  private long now;
  private boolean protectSmall;
  private boolean meter;

  SmallCallWriteScheduler(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public void startDrain() {
    now = clock.getAsLong();
    protectSmall = wroteSmall && now - lastSmallNanos < SMALL_TRAFFIC_NANOS;
    meter = sawSmallCall && now - lastSmallCallNanos < SMALL_TRAFFIC_NANOS;
  }

  @Override
  public int sliceBytes() {
    return protectSmall ? SLICE_BYTES : BULK_SLICE_BYTES;
  }

  @Override
  public int turnBytes(int frameBytes) {
    return protectSmall ? frameBytes : BULK_SLICE_BYTES;
  }

  @Override
  public void writing(ByteBuf frames, boolean more) {
    if (!more && frames.readableBytes() <= SMALL_PACKET_BYTES
        && opensCallOrCarriesMessage(frames)) {
      // all the stream had to say was small: a small call (not a bulk call's Invoke alone)
      lastSmallNanos = now;
      wroteSmall = true;
      protectSmall = true;
    }
  }

  /**
   * Whether {@code f} starts with an Invoke, InvokeMetadata or Message frame: the traffic of
   * a small call, unlike the empty CloseSend and Close packets that end every call.
   */
  private static boolean opensCallOrCarriesMessage(ByteBuf f) {
    int kind = FrameHeader.kindOf(f.getUnsignedByte(f.readerIndex()));
    return kind == Kind.INVOKE || kind == Kind.INVOKE_METADATA || kind == Kind.MESSAGE;
  }

  @Override
  public boolean meterCredit() {
    return meter;
  }

  @Override
  public long meteredOutstanding() {
    return SMALL_CALL_OUTSTANDING;
  }

  @Override
  public void unaryMessageArrived(long bytes) {
    if (bytes <= SMALL_PACKET_BYTES) {
      smallCallArrived = true; // the end of this read notes the time
    }
  }

  @Override
  public void readComplete() {
    if (smallCallArrived) {
      smallCallArrived = false;
      lastSmallCallNanos = clock.getAsLong();
      sawSmallCall = true;
    }
  }
}
