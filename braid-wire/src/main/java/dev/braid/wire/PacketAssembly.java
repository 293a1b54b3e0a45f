package dev.braid.wire;

/**
 * The reader's packet-assembly rules for one stream, as upstream DRPC's reader applies
 * them, but kept per stream so that frames of different streams may interleave.
 *
 * <ul>
 *   <li>A frame whose message id is below the stream's current id is a protocol error
 *       ("id monotonicity violation"); message ids start at 1, so 0 is never valid.
 *   <li>A frame with the id of the packet being assembled continues it; a different kind
 *       is a protocol error ("packet kind change").
 *   <li>A frame with a higher id starts a new packet and silently discards any partial
 *       packet (a sender may abandon a packet midway).
 *   <li>The assembled size may not exceed the limit ("data overflow"); a packet of exactly
 *       the limit is accepted.
 *   <li>The done frame completes the packet, and its id may never be used again.
 *   <li>A packet is a control packet if any of its frames has the control bit.
 * </ul>
 *
 * <p>This class tracks ids, kinds and sizes only; the caller keeps the bytes, guided by the
 * flags {@link #accept} returns. Not thread-safe: one reader owns it.
 */
public final class PacketAssembly {
  /** {@link #accept} flag: a partial packet was dropped; release its bytes. */
  public static final int DISCARDED_PARTIAL = 1;
  /** {@link #accept} flag: the frame starts a new packet (else it continues one). */
  public static final int STARTED = 2;
  /** {@link #accept} flag: the frame completed the packet. */
  public static final int COMPLETED = 4;

  private final int maxPacketSize;
  private long nextId = 1;
  /** Set once message id 2^64−1 completed: no id is left, nextId has wrapped to 0. */
  private boolean exhausted;
  private boolean assembling;
  private long partialId;
  private int partialKind;
  private boolean partialControl;
  private long partialSize;

  public PacketAssembly(int maxPacketSize) {
    if (maxPacketSize < 0) {
      throw new IllegalArgumentException("maxPacketSize must be >= 0: " + maxPacketSize);
    }
    this.maxPacketSize = maxPacketSize;
  }

  /**
   * Applies the rules to one frame of this stream.
   *
   * @return a combination of {@link #DISCARDED_PARTIAL}, {@link #STARTED} and
   *     {@link #COMPLETED}
   * @throws ProtocolException if the frame breaks a rule
   */
  public int accept(int kind, boolean control, boolean done, long messageId, int length) {
    int flags;
    if (assembling && messageId == partialId) {
      if (kind != partialKind) {
        throw new ProtocolException("packet kind change: " + Kind.name(partialKind)
            + " packet continued by a " + Kind.name(kind) + " frame");
      }
      partialSize += length;
      partialControl |= control;
      flags = 0;
    } else {
      long floor = assembling ? partialId : nextId;
      if (exhausted || Long.compareUnsigned(messageId, floor) < 0) {
        throw new ProtocolException("id monotonicity violation: message "
            + Long.toUnsignedString(messageId) + " after " + Long.toUnsignedString(floor - 1));
      }
      flags = STARTED | (assembling ? DISCARDED_PARTIAL : 0);
      assembling = true;
      partialId = messageId;
      partialKind = kind;
      partialControl = control;
      partialSize = length;
    }
    if (partialSize > maxPacketSize) {
      throw new ProtocolException("data overflow: packet of at least " + partialSize
          + " bytes exceeds the limit of " + maxPacketSize);
    }
    if (done) {
      assembling = false;
      nextId = messageId + 1;
      exhausted = nextId == 0;
      flags |= COMPLETED;
    }
    return flags;
  }

  /** Whether a packet is partly assembled. */
  public boolean assembling() {
    return assembling;
  }

  /** The kind of the packet being (or last) assembled. */
  public int kind() {
    return partialKind;
  }

  /** Whether the packet being (or last) assembled is a control packet. */
  public boolean control() {
    return partialControl;
  }

  /** The size so far of the packet being (or last) assembled. */
  public long size() {
    return partialSize;
  }

  /** The message id of the packet being (or last) assembled. */
  public long messageId() {
    return partialId;
  }
}
