package dev.braid.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of an InvokeMetadata packet: exactly the protobuf encoding of
 * {@code message Metadata { map<string,string> data = 1; }}.
 *
 * <p>Each entry is {@code 0x0A len [0x0A klen key 0x12 vlen value]}. The encoder always
 * writes both key and value, even when empty. The decoder is strict, like upstream's: any
 * other tag, a missing or reordered field, trailing bytes inside an entry, or a length past
 * the end of the input is a {@link ProtocolException}. Duplicate keys: the last one wins.
 */
public final class InvokeMetadata {
  private static final int ENTRY_TAG = 0x0A;
  private static final int KEY_TAG = 0x0A;
  private static final int VALUE_TAG = 0x12;

  private InvokeMetadata() {}

  /** The encoded size of {@code metadata}. */
  public static int size(Map<String, String> metadata) {
    int size = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      int entry = entrySize(utf8Length(e.getKey()), utf8Length(e.getValue()));
      size += 1 + Varint.size(entry) + entry;
    }
    return size;
  }

  /** Encodes {@code metadata} in its iteration order. An empty map encodes to no bytes. */
  public static byte[] encode(Map<String, String> metadata) {
    ByteBuffer out = ByteBuffer.allocate(size(metadata));
    encode(metadata, out);
    return out.array();
  }

  /** Writes the encoding of {@code metadata} into {@code dst}. */
  public static void encode(Map<String, String> metadata, ByteBuffer dst) {
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      dst.put((byte) ENTRY_TAG);
      Varint.write(dst, entrySize(k.length, v.length));
      dst.put((byte) KEY_TAG);
      Varint.write(dst, k.length);
      dst.put(k);
      dst.put((byte) VALUE_TAG);
      Varint.write(dst, v.length);
      dst.put(v);
    }
  }

  /** Decodes metadata; see the class documentation for what is rejected. */
  public static Map<String, String> decode(byte[] data) {
    return decode(ByteBuffer.wrap(data));
  }

  /** Decodes the remaining bytes of {@code src} (its position ends at its limit). */
  public static Map<String, String> decode(ByteBuffer src) {
    if (!src.hasRemaining()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (src.hasRemaining()) {
      expectTag(src, ENTRY_TAG);
      int entryLen = readLength(src);
      int entryEnd = src.position() + entryLen;
      ByteBuffer entry = src.duplicate();
      entry.limit(entryEnd);
      expectTag(entry, KEY_TAG);
      String key = readString(entry);
      expectTag(entry, VALUE_TAG);
      String value = readString(entry);
      if (entry.hasRemaining()) {
        throw invalid("trailing bytes in a metadata entry");
      }
      out.put(key, value);
      src.position(entryEnd);
    }
    return out;
  }

  private static void expectTag(ByteBuffer src, int tag) {
    if (!src.hasRemaining()) {
      throw invalid("truncated metadata entry");
    }
    int got = src.get() & 0xFF;
    if (got != tag) {
      throw invalid("unexpected tag 0x" + Integer.toHexString(got));
    }
  }

  /** Reads a varint length and checks it against the bytes that remain. */
  private static int readLength(ByteBuffer src) {
    int before = src.position();
    long len = Varint.read(src);
    if (src.position() == before) {
      throw invalid("truncated length");
    }
    if (Long.compareUnsigned(len, src.remaining()) > 0) {
      throw invalid("length " + Long.toUnsignedString(len) + " past the end of the data");
    }
    return (int) len;
  }

  private static String readString(ByteBuffer src) {
    int len = readLength(src);
    String s;
    if (src.hasArray()) {
      s = new String(src.array(), src.arrayOffset() + src.position(), len,
          StandardCharsets.UTF_8);
      src.position(src.position() + len);
    } else {
      byte[] b = new byte[len];
      src.get(b);
      s = new String(b, StandardCharsets.UTF_8);
    }
    return s;
  }

  private static int entrySize(int keyLen, int valueLen) {
    return 1 + Varint.size(keyLen) + keyLen + 1 + Varint.size(valueLen) + valueLen;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1; // a lone surrogate is encoded as '?'
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static ProtocolException invalid(String why) {
    return new ProtocolException("invalid metadata: " + why);
  }
}
