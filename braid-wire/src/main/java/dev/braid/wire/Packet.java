package dev.braid.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A whole packet: the unit of meaning in DRPC, carried by one or more frames with the same
 * (stream, message) id.
 *
 * @param kind the packet kind (see {@link Kind})
 * @param control whether any frame of the packet had the control bit
 * @param streamId the stream id, unsigned
 * @param messageId the per-stream, per-direction message id, unsigned
 * @param data the body; owned by the packet
 */
public record Packet(int kind, boolean control, long streamId, long messageId, byte[] data) {
  public Packet {
    if (kind < 0 || kind > Kind.MAX) {
      throw new IllegalArgumentException("kind out of range: " + kind);
    }
    if (data == null) {
      throw new NullPointerException("data");
    }
  }

  /** A non-control packet. */
  public static Packet of(int kind, long streamId, long messageId, byte[] data) {
    return new Packet(kind, false, streamId, messageId, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p && p.kind == kind && p.control == control
        && p.streamId == streamId && p.messageId == messageId && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return (((kind * 31 + Boolean.hashCode(control)) * 31 + Long.hashCode(streamId)) * 31
        + Long.hashCode(messageId)) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    String body = data.length <= 32 ? HexFormat.of().formatHex(data) : data.length + " bytes";
    return Kind.name(kind) + (control ? "+control" : "") + " s"
        + Long.toUnsignedString(streamId) + " m" + Long.toUnsignedString(messageId) + " ["
        + body + "]";
  }
}
