package dev.braid.wire;

import java.io.ByteArrayOutputStream;

/**
 * Encoding packets as frames, splitting large bodies the way DRPC senders do.
 *
 * <p>A body longer than the split size goes out as several frames of at most that many
 * bytes, all with the packet's ids, the done bit only on the last. An empty body is one
 * empty frame. The control bit is set on every frame of a control packet.
 */
public final class Frames {
  /** Upstream DRPC's default frame size: 64 KiB. */
  public static final int DEFAULT_SPLIT_SIZE = 64 * 1024;
  /** Upstream DRPC's default maximum packet size: 4 MiB (a packet of exactly this is fine). */
  public static final int DEFAULT_MAX_PACKET_SIZE = 4 << 20;

  private Frames() {}

  /** The number of frames a body of {@code length} bytes takes with {@code splitSize}. */
  public static int frameCount(int length, int splitSize) {
    if (splitSize <= 0 || length == 0) {
      return 1;
    }
    // Not (length + splitSize - 1) / splitSize: that overflows for lengths near 2^31.
    return length / splitSize + (length % splitSize == 0 ? 0 : 1);
  }

  /** The total encoded size of a packet split into frames of at most {@code splitSize}. */
  public static long encodedSize(long streamId, long messageId, int length, int splitSize) {
    int frames = frameCount(length, splitSize);
    if (frames == 1) {
      return FrameHeader.size(streamId, messageId, length) + (long) length;
    }
    int last = length - (frames - 1) * splitSize;
    return (long) (frames - 1) * FrameHeader.size(streamId, messageId, splitSize)
        + FrameHeader.size(streamId, messageId, last) + length;
  }

  /** Encodes {@code packet} as frames of at most {@code splitSize} bytes (≤ 0: one frame). */
  public static byte[] encode(Packet packet, int splitSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(packet, splitSize, out);
    return out.toByteArray();
  }

  /** Appends the frames of {@code packet} to {@code out}. */
  public static void encode(Packet packet, int splitSize, ByteArrayOutputStream out) {
    byte[] header = new byte[FrameHeader.MAX_SIZE];
    byte[] data = packet.data();
    int frames = frameCount(data.length, splitSize);
    int offset = 0;
    for (int i = 0; i < frames; i++) {
      int len = frames == 1 ? data.length : Math.min(splitSize, data.length - offset);
      boolean done = i == frames - 1;
      int n = FrameHeader.write(header, 0, packet.kind(), packet.control(), done,
          packet.streamId(), packet.messageId(), len);
      out.write(header, 0, n);
      out.write(data, offset, len);
      offset += len;
    }
  }

  /** Encodes one frame. */
  public static byte[] frame(int kind, boolean control, boolean done, long streamId,
      long messageId, byte[] data) {
    byte[] header = new byte[FrameHeader.MAX_SIZE];
    int n = FrameHeader.write(header, 0, kind, control, done, streamId, messageId, data.length);
    byte[] out = new byte[n + data.length];
    System.arraycopy(header, 0, out, 0, n);
    System.arraycopy(data, 0, out, n, data.length);
    return out;
  }
}
