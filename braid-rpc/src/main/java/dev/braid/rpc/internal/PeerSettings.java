package dev.braid.rpc.internal;

import dev.braid.wire.ProtocolException;
import dev.braid.wire.Settings;
import java.util.Map;

/**
 * Validates a peer's Settings: every known setting has a floor and a ceiling (as HTTP/2
 * gives SETTINGS_MAX_FRAME_SIZE a 16 KiB floor); a value out of range is a
 * {@link ProtocolException}, which closes the connection. Unknown ids are ignored.
 *
 * <p>Stateless; called on the event loop.
 */
final class PeerSettings {
  private PeerSettings() {}

  static final long MAX_INT = Integer.MAX_VALUE;

  /** The range of each known setting: {id, floor, ceiling}. */
  private static final long[][] RANGES = {
      {Settings.VERSION, 1, MAX_INT},
      {Settings.MULTIPLEXING, 0, 1},
      {Settings.STREAM_WINDOW, ConnectionConfig.MIN_WINDOW, MAX_INT},
      {Settings.CONNECTION_WINDOW, ConnectionConfig.MIN_WINDOW, 1L << 40},
      {Settings.MAX_FRAME_SIZE, ConnectionConfig.MIN_WINDOW, 1 << 24},
      {Settings.MAX_CONCURRENT_STREAMS, 1, MAX_INT},
      {Settings.MAX_MESSAGE_SIZE, 1, MAX_INT},
      {Settings.KEEPALIVE_MS, 0, MAX_INT},
  };

  /** Checks {@code peer}; returns it. */
  static Map<Integer, Long> validate(Map<Integer, Long> peer) {
    for (long[] r : RANGES) {
      Long v = peer.get((int) r[0]);
      if (v != null && (Long.compareUnsigned(v, r[1]) < 0 || Long.compareUnsigned(v, r[2]) > 0)) {
        throw new ProtocolException("invalid settings: " + name((int) r[0]) + "="
            + Long.toUnsignedString(v) + " is outside [" + r[1] + ", " + r[2] + "]");
      }
    }
    return peer;
  }

  static String name(int id) {
    return switch (id) {
      case Settings.VERSION -> "VERSION";
      case Settings.MULTIPLEXING -> "MULTIPLEXING";
      case Settings.STREAM_WINDOW -> "STREAM_WINDOW";
      case Settings.CONNECTION_WINDOW -> "CONNECTION_WINDOW";
      case Settings.MAX_FRAME_SIZE -> "MAX_FRAME_SIZE";
      case Settings.MAX_CONCURRENT_STREAMS -> "MAX_CONCURRENT_STREAMS";
      case Settings.MAX_MESSAGE_SIZE -> "MAX_MESSAGE_SIZE";
      case Settings.KEEPALIVE_MS -> "KEEPALIVE_MS";
      default -> "setting " + id;
    };
  }
}
