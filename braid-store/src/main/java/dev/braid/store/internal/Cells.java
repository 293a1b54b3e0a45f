package dev.braid.store.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored forms of cells, row markers, deletions and rows, their reconciliation and their
 * value encoding. Reconciliation follows Cassandra 4.x/5.0 and never looks at a clock: it is
 * commutative and deterministic, so replicas converge whatever the arrival order.
 */
public final class Cells {
  /** Cassandra's NO_DELETION_TIME: the local deletion time of a live, non-expiring cell. */
  public static final int NO_DELETION_TIME = Integer.MAX_VALUE;

  private Cells() {}

  /**
   * A deletion: shadows everything whose timestamp is {@code <= ts}.
   *
   * @param ts  markedForDeleteAt (µs)
   * @param ldt local deletion time (s)
   */
  public record Del(long ts, int ldt) {
    /** Cassandra's {@code DeletionTime#supersedes}: larger timestamp, then larger ldt. */
    public static Del max(Del a, Del b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      if (a.ts != b.ts) {
        return a.ts > b.ts ? a : b;
      }
      return a.ldt >= b.ldt ? a : b;
    }

    /** Whether data written at {@code timestamp} is shadowed (ties: the deletion wins). */
    public boolean deletes(long timestamp) {
      return timestamp <= ts;
    }
  }

  /**
   * A cell: live ({@code ttl == 0}, ldt {@link #NO_DELETION_TIME}), expiring ({@code ttl > 0},
   * ldt = expiry) or a tombstone ({@code tombstone}, ldt = deletion time, empty value).
   */
  public record CellV(long ts, boolean tombstone, int ttl, int ldt, byte[] value) {
    /** Whether live at {@code now} (s): not a tombstone and, if expiring, {@code now < expiry}. */
    public boolean isLive(int now) {
      return !tombstone && (ttl == 0 || now < ldt);
    }

    boolean expiringOrTombstone() {
      return tombstone || ttl > 0;
    }

    /**
     * Cassandra 4.x/5.0 {@code Cells#resolveRegular} (CASSANDRA-14592): the larger timestamp
     * wins; on a tie, an expiring cell or tombstone beats a plain live cell, a tombstone beats an
     * expiring cell, the larger local deletion time wins, then the larger value (unsigned bytes);
     * equal cells are interchangeable (the first is kept).
     */
    public static CellV reconcile(CellV a, CellV b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      if (a.ts != b.ts) {
        return a.ts > b.ts ? a : b;
      }
      if (a.expiringOrTombstone() || b.expiringOrTombstone()) {
        if (a.expiringOrTombstone() != b.expiringOrTombstone()) {
          return a.expiringOrTombstone() ? a : b;
        }
        if (a.tombstone != b.tombstone) {
          return a.tombstone ? a : b;
        }
        if (a.ldt != b.ldt) {
          return a.ldt > b.ldt ? a : b;
        }
      }
      return Arrays.compareUnsigned(a.value, b.value) >= 0 ? a : b;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CellV c && ts == c.ts && tombstone == c.tombstone && ttl == c.ttl
          && ldt == c.ldt && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(ts) * 31 + Arrays.hashCode(value);
    }
  }

  /** The row marker: {@code ttl == 0} does not expire; else live while {@code now < expiry}. */
  public record Marker(long ts, int ttl, int expiry) {
    /** Whether live at {@code now}. */
    public boolean isLive(int now) {
      return ttl == 0 || now < expiry;
    }

    int expirationTime() {
      return ttl == 0 ? Integer.MAX_VALUE : expiry;
    }

    /**
     * Cassandra {@code LivenessInfo#supersedes}: larger timestamp; then, if both or neither
     * expire, the later expiration; else the expiring one.
     */
    public static Marker reconcile(Marker a, Marker b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      if (a.ts != b.ts) {
        return a.ts > b.ts ? a : b;
      }
      boolean ea = a.ttl > 0;
      boolean eb = b.ttl > 0;
      if (ea == eb) {
        return a.expirationTime() >= b.expirationTime() ? a : b;
      }
      return ea ? a : b;
    }
  }

  /** A stored row (or static row, or partition header): marker, deletion, key and cells. */
  public static final class StoredRow {
    /** Row marker or null. */
    public Marker marker;
    /** Row tombstone (or partition tombstone in a header) or null. */
    public Del deletion;
    /** The clustering key components (serialized values); empty for static rows and headers. */
    public byte[][] clustering = new byte[0][];
    /** Cells by column id. */
    public final TreeMap<Integer, CellV> cells = new TreeMap<>();

    /** Merges {@code other} into this row. */
    public void merge(StoredRow other) {
      marker = Marker.reconcile(marker, other.marker);
      deletion = Del.max(deletion, other.deletion);
      if (other.clustering.length > 0) {
        clustering = other.clustering;
      }
      for (Map.Entry<Integer, CellV> e : other.cells.entrySet()) {
        cells.merge(e.getKey(), e.getValue(), CellV::reconcile);
      }
    }

    /** The value bytes. */
    public byte[] encode() {
      try {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.writeByte(1); // format
        out.writeByte((marker != null ? 1 : 0) | (deletion != null ? 2 : 0));
        if (marker != null) {
          out.writeLong(marker.ts);
          out.writeInt(marker.ttl);
          out.writeInt(marker.expiry);
        }
        if (deletion != null) {
          out.writeLong(deletion.ts);
          out.writeInt(deletion.ldt);
        }
        out.writeInt(clustering.length);
        for (byte[] c : clustering) {
          out.writeInt(c.length);
          out.write(c);
        }
        out.writeInt(cells.size());
        for (Map.Entry<Integer, CellV> e : cells.entrySet()) {
          CellV c = e.getValue();
          out.writeInt(e.getKey());
          out.writeLong(c.ts);
          out.writeBoolean(c.tombstone);
          out.writeInt(c.ttl);
          out.writeInt(c.ldt);
          out.writeInt(c.value.length);
          out.write(c.value);
        }
        out.flush();
        return bo.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Decodes {@link #encode()}'s bytes. */
    public static StoredRow decode(byte[] bytes) {
      return decode(bytes, bytes.length);
    }

    /**
     * Decodes {@link #encode()}'s bytes from the first {@code len} bytes of {@code b}, read by
     * index (no stream layers: a scan decodes every row through here).
     */
    public static StoredRow decode(byte[] b, int len) {
      try {
        if (len < 2) {
          throw new IllegalStateException("corrupt stored row");
        }
        if (b[0] != 1) {
          throw new IllegalStateException("unknown row format " + b[0]);
        }
        StoredRow r = new StoredRow();
        int flags = b[1];
        int i = 2;
        if ((flags & 1) != 0) {
          r.marker = new Marker(getLong(b, i), getInt(b, i + 8), getInt(b, i + 12));
          i += 16;
        }
        if ((flags & 2) != 0) {
          r.deletion = new Del(getLong(b, i), getInt(b, i + 8));
          i += 12;
        }
        int n = getInt(b, i);
        i += 4;
        if (n < 0 || n > len - i) {
          throw new IllegalStateException("corrupt stored row");
        }
        r.clustering = new byte[n][];
        for (int j = 0; j < n; j++) {
          int l = getInt(b, i);
          i += 4;
          r.clustering[j] = Arrays.copyOfRange(b, i, checkedEnd(len, i, l));
          i += l;
        }
        int cells = getInt(b, i);
        i += 4;
        for (int j = 0; j < cells; j++) {
          int col = getInt(b, i);
          long ts = getLong(b, i + 4);
          boolean tomb = b[i + 12] != 0;
          int ttl = getInt(b, i + 13);
          int ldt = getInt(b, i + 17);
          int l = getInt(b, i + 21);
          i += 25;
          byte[] v = Arrays.copyOfRange(b, i, checkedEnd(len, i, l));
          i += l;
          r.cells.put(col, new CellV(ts, tomb, ttl, ldt, v));
        }
        if (i > len) {
          throw new IllegalStateException("corrupt stored row");
        }
        return r;
      } catch (ArrayIndexOutOfBoundsException e) {
        throw new IllegalStateException("corrupt stored row", e);
      }
    }

    private static int checkedEnd(int limit, int from, int len) {
      if (len < 0 || from > limit || len > limit - from) {
        throw new IllegalStateException("corrupt stored row");
      }
      return from + len;
    }

    private static int getInt(byte[] b, int i) {
      return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8
          | (b[i + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int i) {
      return (long) getInt(b, i) << 32 | (getInt(b, i + 4) & 0xFFFFFFFFL);
    }
  }

  /** Encodes a deletion (range tombstone values). */
  public static byte[] encodeDel(Del d) {
    byte[] r = new byte[12];
    long ts = d.ts;
    for (int i = 7; i >= 0; i--) {
      r[i] = (byte) ts;
      ts >>>= 8;
    }
    int l = d.ldt;
    for (int i = 11; i >= 8; i--) {
      r[i] = (byte) l;
      l >>>= 8;
    }
    return r;
  }

  /** Decodes {@link #encodeDel}. */
  public static Del decodeDel(byte[] b) {
    long ts = 0;
    for (int i = 0; i < 8; i++) {
      ts = (ts << 8) | (b[i] & 0xFF);
    }
    int l = 0;
    for (int i = 8; i < 12; i++) {
      l = (l << 8) | (b[i] & 0xFF);
    }
    return new Del(ts, l);
  }
}
