package dev.braid.store.internal;

import dev.braid.query.BoundWeight;
import dev.braid.query.ClusteringColumn;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.EmptyValue;
import dev.braid.query.PositionInPartition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * The byte-comparable key encoding: unsigned byte order of the encoded keys equals (table,
 * token, partition key, position in partition) order, so RocksDB's default bytewise comparator
 * orders the data and a position range is one contiguous key range.
 *
 * <pre>
 * key       = table id (16) | token with the sign bit flipped (8) | escape(serialized pk) | 00 |
 * position
 * position  = 10 (partition header) | 18 (static row) | clustered | 70 (partition end)
 * clustered = component* terminator;  terminator = 20 (weight -1), 38 (weight 0), 60 (weight +1)
 * component = 40 value | 3F (empty value, ASC) | 41 (empty value, DESC); DESC values are inverted
 * value     = int: 4 bytes, sign bit flipped; bigint, timestamp: 8 bytes, sign bit flipped;
 *             boolean: 1 byte; double: sign bit set if clear, else all bits inverted;
 *             uuid: 16 bytes (msb, lsb); text, blob: escape(bytes) 00
 * escape    = every 00 byte becomes 00 FF
 * </pre>
 *
 * <p>Every separator and terminator lies strictly between 00 and FF, which is what keeps an
 * escaped value that is a byte prefix of another (text "a" vs "a\0") in order, ascending and,
 * inverted, descending. Stateless and thread-safe.
 */
public final class KeyCodec {
  /** Suffix of the partition header key (partition tombstone). */
  public static final int HEADER = 0x10;
  /** The static row. */
  public static final int STATIC = 0x18;
  /** Terminator: weight -1. */
  public static final int BEFORE = 0x20;
  /** Terminator: weight 0 (a row). */
  public static final int AT = 0x38;
  /** Empty value, ascending column. */
  public static final int EMPTY_ASC = 0x3F;
  /** Before each present component. */
  public static final int NEXT = 0x40;
  /** Empty value, descending column. */
  public static final int EMPTY_DESC = 0x41;
  /** Terminator: weight +1. */
  public static final int AFTER = 0x60;
  /** The partition end. */
  public static final int END = 0x70;

  private KeyCodec() {}

  /** {@code table id | token | escape(pk) | 00}: the prefix of every key of a partition. */
  public static byte[] partitionPrefix(UUID table, long token, byte[] serializedKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(26 + serializedKey.length);
    writeLong(out, table.getMostSignificantBits());
    writeLong(out, table.getLeastSignificantBits());
    writeLong(out, token ^ Long.MIN_VALUE);
    escape(out, serializedKey);
    out.write(0);
    return out.toByteArray();
  }

  /** {@code table id | token}: the first key of a token (lower bound of its partitions). */
  public static byte[] tokenPrefix(UUID table, long token) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(24);
    writeLong(out, table.getMostSignificantBits());
    writeLong(out, table.getLeastSignificantBits());
    writeLong(out, token ^ Long.MIN_VALUE);
    return out.toByteArray();
  }

  /** The table's first key. */
  public static byte[] tableStart(UUID table) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16);
    writeLong(out, table.getMostSignificantBits());
    writeLong(out, table.getLeastSignificantBits());
    return out.toByteArray();
  }

  /** A key above every key of the table. */
  public static byte[] tableEnd(UUID table) {
    byte[] s = tableStart(table);
    byte[] e = Arrays.copyOf(s, 16 + 9);
    Arrays.fill(e, 16, e.length, (byte) 0xFF);
    return e;
  }

  /** A key above every key of the partition with this prefix. */
  public static byte[] partitionEnd(byte[] prefix) {
    byte[] e = Arrays.copyOf(prefix, prefix.length + 1);
    e[prefix.length] = (byte) 0xFF;
    return e;
  }

  /** {@code prefix | suffix}. */
  public static byte[] concat(byte[] prefix, byte[] suffix) {
    byte[] r = Arrays.copyOf(prefix, prefix.length + suffix.length);
    System.arraycopy(suffix, 0, r, prefix.length, suffix.length);
    return r;
  }

  /** {@code prefix | b}. */
  public static byte[] concat(byte[] prefix, int b) {
    byte[] r = Arrays.copyOf(prefix, prefix.length + 1);
    r[prefix.length] = (byte) b;
    return r;
  }

  /** The position part of a key (appended to a partition prefix). */
  public static byte[] position(ClusteringSchema schema, PositionInPartition p) {
    switch (p.region()) {
      case PARTITION_START:
        return new byte[] {(byte) HEADER};
      case STATIC_ROW:
        return new byte[] {(byte) STATIC};
      case PARTITION_END:
        return new byte[] {(byte) END};
      default:
        break;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeComponents(out, schema, p.key());
    BoundWeight w = p.weight();
    out.write(w == BoundWeight.BEFORE_ALL_PREFIXED ? BEFORE : w == BoundWeight.EQUAL ? AT : AFTER);
    return out.toByteArray();
  }

  /** The position part of the row with this (full) key. */
  public static byte[] row(ClusteringSchema schema, ClusteringPrefix key) {
    return position(schema, PositionInPartition.forKey(key));
  }

  private static void writeComponents(ByteArrayOutputStream out, ClusteringSchema schema,
      ClusteringPrefix key) {
    if (key.size() > schema.size()) {
      throw new IllegalArgumentException("key " + key + " is longer than the schema");
    }
    for (int i = 0; i < key.size(); i++) {
      ClusteringColumn col = schema.column(i);
      Object v = key.get(i);
      boolean desc = col.order() == ClusteringOrder.DESC;
      if (v == EmptyValue.INSTANCE) {
        out.write(desc ? EMPTY_DESC : EMPTY_ASC);
        continue;
      }
      out.write(NEXT);
      byte[] enc = value(col, v);
      if (desc) {
        for (int j = 0; j < enc.length; j++) {
          enc[j] = (byte) ~enc[j];
        }
      }
      out.write(enc, 0, enc.length);
    }
  }

  private static byte[] value(ClusteringColumn col, Object v) {
    col.type().check(v);
    switch (col.type()) {
      case INT: {
        int x = (Integer) v ^ Integer.MIN_VALUE;
        return new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x};
      }
      case BIGINT:
        return longBytes((Long) v ^ Long.MIN_VALUE);
      case TIMESTAMP:
        return longBytes(((Instant) v).toEpochMilli() ^ Long.MIN_VALUE);
      case BOOLEAN:
        return new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
      case DOUBLE: {
        long bits = Double.doubleToLongBits((Double) v);
        return longBytes(bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits);
      }
      case UUID: {
        UUID u = (UUID) v;
        byte[] r = new byte[16];
        System.arraycopy(longBytes(u.getMostSignificantBits()), 0, r, 0, 8);
        System.arraycopy(longBytes(u.getLeastSignificantBits()), 0, r, 8, 8);
        return r;
      }
      case TEXT:
      case BLOB: {
        byte[] raw = col.type() == dev.braid.query.ClusteringType.TEXT
            ? ((String) v).getBytes(StandardCharsets.UTF_8)
            : ((dev.braid.query.Bytes) v).toByteArray();
        ByteArrayOutputStream o = new ByteArrayOutputStream(raw.length + 2);
        escape(o, raw);
        o.write(0);
        return o.toByteArray();
      }
      default:
        throw new AssertionError(col.type());
    }
  }

  private static byte[] longBytes(long x) {
    byte[] r = new byte[8];
    for (int i = 7; i >= 0; i--) {
      r[i] = (byte) x;
      x >>>= 8;
    }
    return r;
  }

  private static void writeLong(ByteArrayOutputStream out, long x) {
    out.write(longBytes(x), 0, 8);
  }

  private static void escape(ByteArrayOutputStream out, byte[] raw) {
    for (byte b : raw) {
      out.write(b);
      if (b == 0) {
        out.write(0xFF);
      }
    }
  }

  /**
   * Splits a data key: returns the index of its first position byte (the prefix is the bytes
   * before it) and writes the serialized partition key to {@code pkOut}.
   */
  public static int splitPartition(byte[] key, ByteArrayOutputStream pkOut) {
    int i = 24;
    while (i < key.length) {
      byte b = key[i];
      if (b == 0) {
        if (i + 1 < key.length && key[i + 1] == (byte) 0xFF) {
          pkOut.write(0);
          i += 2;
          continue;
        }
        return i + 1;
      }
      pkOut.write(b);
      i++;
    }
    throw new IllegalStateException("corrupt key: no partition key terminator");
  }

  /** The token of a data key. */
  public static long token(byte[] key) {
    long t = 0;
    for (int i = 16; i < 24; i++) {
      t = (t << 8) | (key[i] & 0xFF);
    }
    return t ^ Long.MIN_VALUE;
  }

  /** Lower-case hex of bytes (for docs, messages and tests). */
  public static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }
}
