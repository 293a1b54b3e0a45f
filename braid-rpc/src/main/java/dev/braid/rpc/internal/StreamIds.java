package dev.braid.rpc.internal;

import dev.braid.wire.ProtocolException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which stream ids a server has seen, so that it serves every id it has not seen before,
 * in any order, drops late frames of finished streams and never serves an id twice.
 *
 * <p>The record is a high-water mark (the highest id seen) plus the ids below it never
 * seen, kept as ranges. A jump over many ids costs one range; a new stream below the mark
 * splits one. The number of ranges is bounded: past the bound the peer is breaking the
 * protocol (no DRPC client leaves that many holes), a {@link ProtocolException}.
 *
 * <p>Ids are unsigned 64-bit values. Event loop only.
 */
final class StreamIds {
  private final int maxGaps;
  private long highWater;
  /** Never-seen ids below the mark: first id to last id, both inclusive. */
  private final TreeMap<Long, Long> gaps = new TreeMap<>(Long::compareUnsigned);

  StreamIds(int maxGaps) {
    this.maxGaps = maxGaps;
  }

  /** The highest id seen, 0 before any. */
  long highWater() {
    return highWater;
  }

  /** Whether {@code sid} has never been seen. */
  boolean isNew(long sid) {
    if (Long.compareUnsigned(sid, highWater) > 0) {
      return true;
    }
    if (gaps.isEmpty()) {
      return false;
    }
    Map.Entry<Long, Long> g = gaps.floorEntry(sid);
    return g != null && Long.compareUnsigned(sid, g.getValue()) <= 0;
  }

  /** Records {@code sid} (new, see {@link #isNew}) as seen. */
  void markSeen(long sid) {
    if (Long.compareUnsigned(sid, highWater) > 0) {
      if (sid - 1 != highWater) {
        gaps.put(highWater + 1, sid - 1);
      }
      highWater = sid;
    } else {
      Map.Entry<Long, Long> g = gaps.floorEntry(sid);
      if (g == null || Long.compareUnsigned(sid, g.getValue()) > 0) {
        return; // seen already
      }
      long first = g.getKey();
      long last = g.getValue();
      gaps.remove(first);
      if (first != sid) {
        gaps.put(first, sid - 1);
      }
      if (last != sid) {
        gaps.put(sid + 1, last);
      }
    }
    if (gaps.size() > maxGaps) {
      throw new ProtocolException("more than " + maxGaps + " ranges of unused stream ids "
          + "below stream " + Long.toUnsignedString(highWater));
    }
  }

  /** Ranges of unseen ids below the mark (tests, diagnostics). */
  int gapCount() {
    return gaps.size();
  }
}
