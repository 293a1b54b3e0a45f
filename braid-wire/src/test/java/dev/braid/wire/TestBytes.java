package dev.braid.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte helpers shared by the braid-wire tests. */
final class TestBytes {
  private TestBytes() {}

  /** Bytes from hex digits; whitespace is ignored ({@code "05 00 01"}). */
  static byte[] hex(String digits) {
    return HexFormat.of().parseHex(digits.replaceAll("\\s+", ""));
  }

  static String toHex(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** {@code n} bytes of a fixed, position-dependent pattern (so misplaced bytes show). */
  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed * 7 + (i >>> 8));
    }
    return b;
  }

  /** One frame. */
  static byte[] frame(int kind, boolean control, boolean done, long stream, long message,
      byte[] data) {
    return Frames.frame(kind, control, done, stream, message, data);
  }

  /** One non-control frame. */
  static byte[] frame(int kind, boolean done, long stream, long message, String data) {
    return Frames.frame(kind, false, done, stream, message, ascii(data));
  }

  /** Polls {@code reader} until it needs more bytes. */
  static List<Packet> drain(PacketReader reader) {
    List<Packet> out = new ArrayList<>();
    for (Packet p = reader.poll(); p != null; p = reader.poll()) {
      out.add(p);
    }
    return out;
  }

  /** Feeds {@code bytes} to a fresh reader with limit {@code max} and drains it. */
  static List<Packet> readAll(int max, byte[]... frames) {
    PacketReader reader = new PacketReader(max);
    reader.feed(concat(frames));
    return drain(reader);
  }

  /**
   * Cuts {@code bytes} (a sequence of whole frames) into the individual frames, using the
   * header parser. Used to interleave the frames of several packets.
   */
  static List<byte[]> splitFrames(byte[] bytes) {
    List<byte[]> out = new ArrayList<>();
    FrameHeader h = new FrameHeader();
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      FrameHeader.Result r = h.parse(buf, Integer.MAX_VALUE);
      if (r != FrameHeader.Result.COMPLETE) {
        throw new AssertionError("not a whole frame at " + buf.position() + ": " + r);
      }
      int n = h.headerSize + h.length;
      byte[] f = new byte[n];
      buf.get(f);
      out.add(f);
    }
    return out;
  }
}
