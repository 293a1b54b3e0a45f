package dev.braid.store;

import com.google.protobuf.ByteString;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PartitionKey;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import net.openhft.hashing.LongHashFunction;

/**
 * The in-memory model the engine is checked against, written independently of it: sorted maps
 * of fully reconciled cells (reconciliation expressed as a lexicographic order on tuples rather
 * than the engine's rule cascade), and reads evaluated by brute force: every stored row of every
 * partition is filtered against the ranges (positions under braid-query's comparator, or legacy
 * ranges by truncated-key comparison), then sorted.
 */
final class Oracle {
  /** A cell: kind 0 live, 1 expiring, 2 tombstone; ldt = expiry / deletion time / MAX. */
  record OCell(long ts, int kind, int ldt, byte[] value, int ttl) {}

  record ODel(long ts, int ldt) {}

  record OMarker(long ts, int ttl, int expiry) {}

  static final class ORow {
    OMarker marker;
    ODel del;
    final Map<Integer, OCell> cells = new HashMap<>();
    List<ByteString> clustering;
  }

  static final class OPartition {
    PartitionKey key;
    byte[] ser;
    ODel pdel;
    final Map<Integer, OCell> statics = new HashMap<>();
    final TreeMap<ClusteringPrefix, ORow> rows;
    final List<Map.Entry<PositionRange, ODel>> rts = new ArrayList<>();

    OPartition(ClusteringSchema s) {
      rows = new TreeMap<>((a, b) -> s.compare(PositionInPartition.forKey(a), PositionInPartition.forKey(b)));
    }
  }

  // reconciliation orders: the greater element wins
  static final Comparator<OCell> CELL_ORDER = Comparator.<OCell>comparingLong(c -> c.ts)
      .thenComparingInt(c -> c.kind == 0 ? 0 : c.kind == 1 ? 1 : 2)
      .thenComparingInt(c -> c.kind == 0 ? 0 : c.ldt)
      .thenComparing((a, b) -> Arrays.compareUnsigned(a.value, b.value));
  static final Comparator<ODel> DEL_ORDER =
      Comparator.<ODel>comparingLong(d -> d.ts).thenComparingInt(d -> d.ldt);
  static final Comparator<OMarker> MARKER_ORDER = Comparator.<OMarker>comparingLong(m -> m.ts)
      .thenComparingInt(m -> m.ttl > 0 ? 1 : 0)
      .thenComparingInt(m -> m.ttl > 0 ? m.expiry : Integer.MAX_VALUE);

  static <T> T max(Comparator<T> order, T a, T b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return order.compare(b, a) > 0 ? b : a;
  }

  final TableSchema table;
  final ClusteringSchema cs;
  final Map<ByteBuffer, OPartition> partitions = new HashMap<>();

  Oracle(TableSchema table) {
    this.table = table;
    this.cs = table.clusteringSchema();
  }

  static OCell cell(Cell c) {
    if (c.getTombstone()) {
      return new OCell(c.getTimestamp(), 2, c.getLocalDeletionTime(), new byte[0], 0);
    }
    if (c.getTtl() > 0) {
      return new OCell(c.getTimestamp(), 1, c.getLocalDeletionTime(), c.getValue().toByteArray(), c.getTtl());
    }
    return new OCell(c.getTimestamp(), 0, Integer.MAX_VALUE, c.getValue().toByteArray(), 0);
  }

  static ODel del(DeletionTime d) {
    return new ODel(d.getMarkedForDeleteAt(), d.getLocalDeletionTime());
  }

  /** Applies a mutation whose deletion times and expiries are all explicit. */
  void apply(Mutation m) {
    PartitionKey key = QueryCodec.decode(m.getKey());
    byte[] ser = Murmur3Token.serialize(key);
    OPartition p = partitions.computeIfAbsent(ByteBuffer.wrap(ser), k -> {
      OPartition n = new OPartition(cs);
      n.key = key;
      n.ser = ser;
      return n;
    });
    if (m.hasPartitionDeletion()) {
      p.pdel = max(DEL_ORDER, p.pdel, del(m.getPartitionDeletion()));
    }
    for (Cell c : m.getStaticCellsList()) {
      p.statics.merge(c.getColumn(), cell(c), (a, b) -> max(CELL_ORDER, a, b));
    }
    QueryCodec qc = QueryCodec.forSchema(cs);
    for (Row r : m.getRowsList()) {
      ClusteringPrefix k = qc.decode(dev.braid.query.proto.ClusteringPrefix.newBuilder()
          .addAllComponents(r.getClusteringList()).build());
      ORow o = p.rows.computeIfAbsent(k, x -> new ORow());
      o.clustering = r.getClusteringList();
      if (r.hasMarker()) {
        o.marker = max(MARKER_ORDER, o.marker, new OMarker(r.getMarker().getTimestamp(),
            r.getMarker().getTtl(), r.getMarker().getExpiry()));
      }
      if (r.hasDeletion()) {
        o.del = max(DEL_ORDER, o.del, del(r.getDeletion()));
      }
      for (Cell c : r.getCellsList()) {
        o.cells.merge(c.getColumn(), cell(c), (a, b) -> max(CELL_ORDER, a, b));
      }
    }
    for (RangeTombstone rt : m.getRangeTombstonesList()) {
      p.rts.add(Map.entry(qc.decode(rt.getRange()), del(rt.getDeletion())));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  /** A read request in oracle terms. */
  record Query(ClusteringSchema order, Predicate<ClusteringPrefix> selects, boolean restricted,
      boolean alwaysStatic, List<Integer> statics, List<Integer> regulars, long rowLimit,
      long perPartitionLimit, long partitionLimit, PartitionKey single, int now,
      java.util.function.LongPredicate tokens) {}

  /** A flattened result row: partition, static cells, clustering (null for static-only) and cells. */
  record FlatRow(String pk, List<String> statics, List<String> clustering, List<String> cells) {}

  /** The result and its digest. */
  record Answer(List<FlatRow> rows, byte[] digest, long lastModified) {}

  static boolean live(OCell c, ODel d, int now) {
    if (c == null || c.kind == 2) {
      return false;
    }
    if (d != null && c.ts <= d.ts) {
      return false;
    }
    return c.kind == 0 || now < c.ldt;
  }

  static String show(OCell c, boolean live) {
    if (!live) {
      return "null";
    }
    return Bytes.of(c.value).toHex() + "@" + c.ts + "/ttl" + c.ttl + "/exp" + (c.kind == 1 ? c.ldt : 0);
  }

  List<OPartition> ordered() {
    List<OPartition> ps = new ArrayList<>(partitions.values());
    ps.sort(Comparator.<OPartition>comparingLong(p -> Murmur3Token.tokenOfBytes(p.ser))
        .thenComparing((a, b) -> Arrays.compareUnsigned(a.ser, b.ser)));
    return ps;
  }

  ODel rowShadow(OPartition p, ClusteringPrefix k, ORow r) {
    ODel d = r.del;
    PositionInPartition pos = PositionInPartition.forKey(k);
    for (Map.Entry<PositionRange, ODel> rt : p.rts) {
      if (rt.getKey().contains(cs, pos)) {
        d = max(DEL_ORDER, d, rt.getValue());
      }
    }
    return d;
  }

  Answer read(Query q) {
    List<FlatRow> out = new ArrayList<>();
    ByteBuffer digest = ByteBuffer.allocate(1 << 22);
    long lastModified = Long.MIN_VALUE;
    long rows = 0;
    long parts = 0;
    LongHashFunction xx = LongHashFunction.xx();
    outer:
    for (OPartition p : ordered()) {
      if (q.single != null && !p.key.equals(q.single)) {
        continue;
      }
      if (!q.tokens.test(Murmur3Token.tokenOfBytes(p.ser))) {
        continue;
      }
      if (Long.compareUnsigned(rows, q.rowLimit) >= 0 || Long.compareUnsigned(parts, q.partitionLimit) >= 0) {
        break;
      }
      String pk = p.key.toString();
      ByteBuffer pd = ByteBuffer.allocate(1 << 20);
      long pLast = Long.MIN_VALUE;
      pd.putInt(p.ser.length).put(p.ser);
      putDel(pd, p.pdel);
      if (p.pdel != null) {
        pLast = Math.max(pLast, p.pdel.ts);
      }
      List<String> statics = new ArrayList<>();
      for (int id : q.statics) {
        OCell c = p.statics.get(id);
        boolean l = live(c, p.pdel, q.now);
        statics.add(show(c, l));
        pd.putLong(l ? hash(xx, c) : 0);
        if (l) {
          pLast = Math.max(pLast, c.ts);
        }
      }
      List<Map.Entry<ClusteringPrefix, ORow>> selected = new ArrayList<>();
      for (Map.Entry<ClusteringPrefix, ORow> e : p.rows.entrySet()) {
        if (q.selects.test(e.getKey())) {
          selected.add(e);
        }
      }
      selected.sort((a, b) -> q.order.compare(PositionInPartition.forKey(a.getKey()),
          PositionInPartition.forKey(b.getKey())));
      long partRows = 0;
      List<FlatRow> partOut = new ArrayList<>();
      for (Map.Entry<ClusteringPrefix, ORow> e : selected) {
        ORow r = e.getValue();
        ODel rowDel = rowShadow(p, e.getKey(), r);
        ODel eff = max(DEL_ORDER, p.pdel, rowDel);
        boolean isLive = r.marker != null && (eff == null || r.marker.ts > eff.ts)
            && (r.marker.ttl == 0 || q.now < r.marker.expiry);
        for (OCell c : r.cells.values()) {
          isLive |= live(c, eff, q.now);
        }
        if (!isLive) {
          continue;
        }
        List<String> ck = new ArrayList<>();
        pd.putInt(r.clustering.size());
        for (ByteString b : r.clustering) {
          ck.add(Bytes.of(b.toByteArray()).toHex());
          pd.putInt(b.size()).put(b.toByteArray());
        }
        putDel(pd, rowDel);
        if (rowDel != null) {
          pLast = Math.max(pLast, rowDel.ts);
        }
        List<String> cells = new ArrayList<>();
        for (int id : q.regulars) {
          OCell c = r.cells.get(id);
          boolean l = live(c, eff, q.now);
          cells.add(show(c, l));
          pd.putLong(l ? hash(xx, c) : 0);
          if (l) {
            pLast = Math.max(pLast, c.ts);
          }
        }
        partOut.add(new FlatRow(pk, statics, ck, cells));
        partRows++;
        rows++;
        if (Long.compareUnsigned(rows, q.rowLimit) >= 0
            || Long.compareUnsigned(partRows, q.perPartitionLimit) >= 0) {
          break;
        }
      }
      if (partRows == 0 && (!q.restricted || q.alwaysStatic)) {
        boolean staticLive = false;
        for (OCell c : p.statics.values()) {
          staticLive |= live(c, p.pdel, q.now);
        }
        if (staticLive) {
          partOut.add(new FlatRow(pk, statics, null, List.of()));
          partRows = 1;
          rows++;
        }
      }
      if (partRows > 0) {
        out.addAll(partOut);
        parts++;
        pd.flip();
        digest.put(pd);
        lastModified = Math.max(lastModified, pLast);
      }
      if (Long.compareUnsigned(rows, q.rowLimit) >= 0) {
        break outer;
      }
    }
    digest.flip();
    byte[] content = new byte[digest.remaining()];
    digest.get(content);
    byte[] d = ByteBuffer.allocate(16).putLong(0).putLong(xx.hashBytes(content)).array();
    return new Answer(out, d, lastModified);
  }

  static long hash(LongHashFunction xx, OCell c) {
    ByteBuffer b = ByteBuffer.allocate(16 + c.value.length);
    b.putLong(c.ts).putInt(c.ttl).putInt(c.kind == 1 ? c.ldt : 0).put(c.value);
    return xx.hashBytes(b.array());
  }

  static void putDel(ByteBuffer b, ODel d) {
    if (d == null) {
      b.put((byte) 0);
    } else {
      b.put((byte) 1).putLong(d.ts).putInt(d.ldt);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Range membership, brute force

  /** Whether a full key is in a position range (under {@code order}). */
  static boolean inPositionRanges(ClusteringSchema order, List<PositionRange> ranges, ClusteringPrefix k) {
    PositionInPartition p = PositionInPartition.forKey(k);
    for (PositionRange r : ranges) {
      if (r.contains(order, p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a full key is in a legacy range, by the ground truth of the reference: compare the
   * key truncated to each bound's length with the bound.
   */
  static boolean inLegacyRanges(ClusteringSchema order, List<ClusteringRange> ranges, ClusteringPrefix k) {
    for (ClusteringRange r : ranges) {
      if (inLegacy(order, r, k)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inLegacy(ClusteringSchema order, ClusteringRange r, ClusteringPrefix k) {
    if (r.isSingular()) {
      ClusteringPrefix x = r.start().get().prefix();
      return order.compareCommonPrefix(k.truncate(x.size()), x) == 0;
    }
    if (r.start().isPresent()) {
      ClusteringRange.Bound b = r.start().get();
      int c = order.compareCommonPrefix(k.truncate(b.prefix().size()), b.prefix());
      if (c < 0 || (c == 0 && !b.inclusive())) {
        return false;
      }
    }
    if (r.end().isPresent()) {
      ClusteringRange.Bound b = r.end().get();
      int c = order.compareCommonPrefix(k.truncate(b.prefix().size()), b.prefix());
      if (c > 0 || (c == 0 && !b.inclusive())) {
        return false;
      }
    }
    return true;
  }

  /** The v1 "has a clustering restriction" rule, written from the reference. */
  static boolean legacyRestricted(List<ClusteringRange> ranges) {
    if (ranges.isEmpty()) {
      return true;
    }
    for (ClusteringRange r : ranges) {
      if (r.isSingular() || r.start().isPresent() || r.end().isPresent()) {
        return true;
      }
    }
    return false;
  }
}
