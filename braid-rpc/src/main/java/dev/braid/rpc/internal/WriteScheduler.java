package dev.braid.rpc.internal;

import io.netty.buffer.ByteBuf;

/**
 * How the connection's writer shares the socket between streams once braid peers
 * negotiated (frames of different streams may then interleave), and how the receiver paces
 * the credit it sends. The writer asks at the start of each drain; one implementation,
 * {@link SmallCallWriteScheduler}, is today's policy. Without negotiation there is nothing
 * to schedule: each packet's frames are written contiguously.
 *
 * <p>Event loop only.
 */
interface WriteScheduler {
  /** A drain begins. */
  void startDrain();

  /** Bytes written per event-loop turn before the writer yields to reading the socket. */
  int sliceBytes();

  /** The most bytes one stream's turn takes ({@code frameBytes}: one frame, header included). */
  int turnBytes(int frameBytes);

  /** {@code frames} of a stream are about to be written; {@code more}: it has more queued. */
  void writing(ByteBuf frames, boolean more);

  /** Whether, in this drain, credit is sent only up to {@link #meteredOutstanding}. */
  boolean meterCredit();

  /** While credit is metered: the most Message data one stream may have on its way. */
  long meteredOutstanding();

  /** Reading: a unary message (request or response) of {@code bytes} arrived. */
  void unaryMessageArrived(long bytes);

  /** Reading: the socket read in progress ended. */
  void readComplete();
}
