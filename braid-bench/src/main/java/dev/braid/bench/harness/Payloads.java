package dev.braid.bench.harness;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark payloads, identical in every system (the Go peer implements the same
 * functions): a pseudo-random pattern, a per-call tag stamped over its first bytes, and the
 * 8-byte request of a server-streaming call.
 */
public final class Payloads {
  private Payloads() {}

  private static final ConcurrentHashMap<Integer, byte[]> PATTERNS = new ConcurrentHashMap<>();

  /**
   * {@code size} bytes of xorshift32 output (seed 0x9E3779B9, shifts 13/17/5, the low byte
   * of each state). Shared and cached: callers must not modify it.
   */
  public static byte[] pattern(int size) {
    return PATTERNS.computeIfAbsent(size, Payloads::newPattern);
  }

  /** A fresh copy of {@link #pattern}. */
  public static byte[] patternCopy(int size) {
    return pattern(size).clone();
  }

  private static byte[] newPattern(int size) {
    byte[] b = new byte[size];
    int x = 0x9E3779B9;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = (byte) x;
    }
    return b;
  }

  /**
   * Writes {@code tag} big-endian over the first {@code min(8, length)} bytes, so that every
   * call's request differs from the one before and a misrouted echo is caught.
   */
  public static void stamp(byte[] payload, long tag) {
    int n = Math.min(8, payload.length);
    for (int i = 0; i < n; i++) {
      payload[i] = (byte) (tag >>> (56 - 8 * i));
    }
  }

  /** The tag of call {@code seq} of slot {@code slot}. */
  public static long tag(int slot, long seq) {
    return ((long) slot << 40) ^ seq;
  }

  /** The request of a server-streaming call: count then size, big-endian int32. */
  public static byte[] streamRequest(int count, int size) {
    return ByteBuffer.allocate(8).putInt(count).putInt(size).array();
  }

  /** Parses {@link #streamRequest}: {count, size}. */
  public static int[] parseStreamRequest(byte[] req) {
    if (req.length != 8) {
      throw new IllegalArgumentException("stream request of " + req.length + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(req);
    int count = b.getInt();
    int size = b.getInt();
    if (count < 0 || size < 0 || size > (64 << 20)) {
      throw new IllegalArgumentException("bad stream request " + count + " x " + size);
    }
    return new int[] {count, size};
  }

  /** Whether {@code got} holds exactly {@code expected} (vectorised compare, no copy). */
  public static boolean same(ByteString got, byte[] expected) {
    if (got.size() != expected.length) {
      return false;
    }
    return expected.length == 0 || got.asReadOnlyByteBuffer().equals(ByteBuffer.wrap(expected));
  }

  /** Whether {@code got} holds exactly {@code expected}. */
  public static boolean same(byte[] got, byte[] expected) {
    return Arrays.equals(got, expected);
  }

  /** Whether the readable bytes of {@code got} are exactly {@code expected}. */
  public static boolean same(ByteBuffer got, byte[] expected) {
    return got.remaining() == expected.length && got.equals(ByteBuffer.wrap(expected));
  }

  /** A description of how {@code got} differs from {@code expected}, for error messages. */
  public static String describeMismatch(int gotLength, int mismatchAt, int expectedLength) {
    if (gotLength != expectedLength) {
      return "got " + gotLength + " bytes, expected " + expectedLength;
    }
    return "content differs at byte " + mismatchAt + " of " + expectedLength;
  }

  /** The first differing index of two equal-length arrays, or -1. */
  public static int mismatch(byte[] a, byte[] b) {
    return Arrays.mismatch(a, b);
  }

  /** A copy of {@code b} with one byte changed (or one byte added when empty): fault injection. */
  public static byte[] corrupt(byte[] b) {
    if (b.length == 0) {
      return new byte[] {42};
    }
    byte[] c = b.clone();
    c[c.length / 2] ^= 0x5A;
    return c;
  }
}
