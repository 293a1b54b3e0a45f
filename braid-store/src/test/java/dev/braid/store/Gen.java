package dev.braid.store;

import dev.braid.query.Bytes;
import dev.braid.query.ClusteringColumn;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import dev.braid.query.EmptyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Random schemas and values for the property tests (small domains, so values collide often). */
final class Gen {
  private Gen() {}

  static ClusteringType type(Random r) {
    ClusteringType[] all = ClusteringType.values();
    return all[r.nextInt(all.length)];
  }

  static ClusteringSchema schema(Random r, int minCols, int maxCols) {
    int n = minCols + r.nextInt(maxCols - minCols + 1);
    List<ClusteringColumn> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cols.add(new ClusteringColumn(type(r), r.nextBoolean() ? ClusteringOrder.ASC
          : ClusteringOrder.DESC));
    }
    return ClusteringSchema.of(cols);
  }

  /** A value of the type from a small domain (with edge cases), or the empty value if allowed. */
  static Object value(Random r, ClusteringType t, boolean allowEmpty) {
    if (allowEmpty && r.nextInt(12) == 0) {
      return t.emptyValue();
    }
    switch (t) {
      case INT: {
        int[] d = {Integer.MIN_VALUE, -1, 0, 1, 2, 3, 127, 128, Integer.MAX_VALUE};
        return r.nextBoolean() ? d[r.nextInt(d.length)] : r.nextInt(5) - 2;
      }
      case BIGINT: {
        long[] d = {Long.MIN_VALUE, -1, 0, 1, 2, Long.MAX_VALUE};
        return d[r.nextInt(d.length)];
      }
      case TEXT: {
        String[] d = {"", "a", "a\0", "a\0b", "ab", "b", "\0", "\u00e9", "\uD83D\uDE00", "z\0\0",
            "zz"};
        return d[r.nextInt(d.length)];
      }
      case BLOB: {
        byte[][] d = {{}, {0}, {0, 0}, {1}, {0, (byte) 0xFF}, {(byte) 0xFF}, {(byte) 0xFF, 0}, {1,
            2}};
        return Bytes.of(d[r.nextInt(d.length)]);
      }
      case BOOLEAN:
        return r.nextBoolean();
      case DOUBLE: {
        double[] d = {Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, 1.0, 2.5, Double.POSITIVE_INFINITY,
            Double.NaN, Double.MIN_VALUE, -Double.MAX_VALUE};
        return d[r.nextInt(d.length)];
      }
      case UUID: {
        long[] d = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        return new UUID(d[r.nextInt(d.length)], d[r.nextInt(d.length)]);
      }
      case TIMESTAMP: {
        long[] d = {Long.MIN_VALUE / 1000, -1, 0, 1, 1_600_000_000_000L};
        return Instant.ofEpochMilli(d[r.nextInt(d.length)]);
      }
      default:
        throw new AssertionError(t);
    }
  }

  static ClusteringPrefix prefix(Random r, ClusteringSchema s, int len, boolean allowEmpty) {
    Object[] v = new Object[len];
    for (int i = 0; i < len; i++) {
      v[i] = value(r, s.column(i).type(), allowEmpty);
    }
    return ClusteringPrefix.of(v);
  }

  static boolean isEmpty(Object v) {
    return v == EmptyValue.INSTANCE;
  }
}
