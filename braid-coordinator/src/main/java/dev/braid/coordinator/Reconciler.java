package dev.braid.coordinator;

import com.google.protobuf.ByteString;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.codec.QueryCodec;
import dev.braid.query.proto.ClusteringPrefix;
import dev.braid.query.proto.FullPosition;
import dev.braid.store.Murmur3Token;
import dev.braid.store.TableSchema;
import dev.braid.store.internal.Cells.CellV;
import dev.braid.store.internal.Cells.Del;
import dev.braid.store.internal.Cells.Marker;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ReconcilableResult;
import dev.braid.store.proto.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the reconcilable results of several replicas and computes, per replica, the mutation
 * that brings it up to the merge (read repair). The conflict rules are braid-store's own
 * ({@code Cells.CellV.reconcile}, {@code Cells.Marker.reconcile}, {@code Cells.Del.max}); this
 * class only walks the proto mutations. Used by one thread per read.
 */
final class Reconciler {
  /** A partition's merged (or one replica's) content. */
  static final class Part {
    final dev.braid.query.proto.PartitionKey key;
    final byte[] keyBytes;
    final long token;
    Del deletion;
    final TreeMap<Integer, CellV> statics = new TreeMap<>();
    final Map<List<ByteString>, RowV> rows = new LinkedHashMap<>();
    final Set<RangeTombstone> rangeTombstones = new LinkedHashSet<>();

    Part(dev.braid.query.proto.PartitionKey key) {
      this.key = key;
      this.keyBytes = Murmur3Token.serialize(QueryCodec.decode(key));
      this.token = Murmur3Token.tokenOfBytes(keyBytes);
    }
  }

  /** A row's content. */
  static final class RowV {
    Marker marker;
    Del deletion;
    final TreeMap<Integer, CellV> cells = new TreeMap<>();
  }

  private static final Comparator<Part> RING_ORDER = Comparator.<Part>comparingLong(p -> p.token)
      .thenComparing((a, b) -> Arrays.compareUnsigned(a.keyBytes, b.keyBytes));

  private final TableSchema table;
  private final List<Map<ByteString, Part>> perReplica = new ArrayList<>();
  private final Map<ByteString, Part> merged = new LinkedHashMap<>();

  Reconciler(TableSchema table) {
    this.table = table;
  }

  /** Adds one replica's result; replicas are numbered in the order added. */
  void add(ReconcilableResult result) {
    Map<ByteString, Part> mine = new LinkedHashMap<>();
    for (Mutation m : result.getPartitionsList()) {
      ByteString k = m.getKey().toByteString();
      Part p = mine.computeIfAbsent(k, x -> new Part(m.getKey()));
      Part all = merged.computeIfAbsent(k, x -> new Part(m.getKey()));
      apply(p, m);
      apply(all, m);
    }
    perReplica.add(mine);
  }

  private static void apply(Part p, Mutation m) {
    if (m.hasPartitionDeletion()) {
      p.deletion = Del.max(p.deletion, del(m.getPartitionDeletion()));
    }
    for (Cell c : m.getStaticCellsList()) {
      p.statics.merge(c.getColumn(), cell(c), CellV::reconcile);
    }
    for (Row r : m.getRowsList()) {
      RowV row = p.rows.computeIfAbsent(List.copyOf(r.getClusteringList()), x -> new RowV());
      if (r.hasMarker()) {
        row.marker = Marker.reconcile(row.marker, marker(r.getMarker()));
      }
      if (r.hasDeletion()) {
        row.deletion = Del.max(row.deletion, del(r.getDeletion()));
      }
      for (Cell c : r.getCellsList()) {
        row.cells.merge(c.getColumn(), cell(c), CellV::reconcile);
      }
    }
    p.rangeTombstones.addAll(m.getRangeTombstonesList());
  }

  /**
   * The mutations replica {@code i} lacks: every element of the merge that it does not hold
   * identically (applying it there reconciles to the merge). Empty when it is up to date.
   */
  List<Mutation> diff(int i) {
    Map<ByteString, Part> mine = perReplica.get(i);
    List<Mutation> out = new ArrayList<>();
    for (Map.Entry<ByteString, Part> e : merged.entrySet()) {
      Part want = e.getValue();
      Part have = mine.get(e.getKey());
      Mutation.Builder b = Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(table.id()))
          .setKey(want.key);
      boolean any = false;
      if (want.deletion != null && (have == null || !want.deletion.equals(have.deletion))) {
        b.setPartitionDeletion(del(want.deletion));
        any = true;
      }
      for (Map.Entry<Integer, CellV> c : want.statics.entrySet()) {
        if (have == null || !c.getValue().equals(have.statics.get(c.getKey()))) {
          b.addStaticCells(cell(c.getKey(), c.getValue()));
          any = true;
        }
      }
      for (Map.Entry<List<ByteString>, RowV> r : want.rows.entrySet()) {
        RowV w = r.getValue();
        RowV h = have == null ? null : have.rows.get(r.getKey());
        Row.Builder rb = Row.newBuilder().addAllClustering(r.getKey());
        boolean rowAny = false;
        if (w.marker != null && (h == null || !w.marker.equals(h.marker))) {
          rb.setMarker(marker(w.marker));
          rowAny = true;
        }
        if (w.deletion != null && (h == null || !w.deletion.equals(h.deletion))) {
          rb.setDeletion(del(w.deletion));
          rowAny = true;
        }
        for (Map.Entry<Integer, CellV> c : w.cells.entrySet()) {
          if (h == null || !c.getValue().equals(h.cells.get(c.getKey()))) {
            rb.addCells(cell(c.getKey(), c.getValue()));
            rowAny = true;
          }
        }
        if (rowAny) {
          b.addRows(rb);
          any = true;
        }
      }
      for (RangeTombstone rt : want.rangeTombstones) {
        if (have == null || !have.rangeTombstones.contains(rt)) {
          b.addRangeTombstones(rt);
          any = true;
        }
      }
      if (any) {
        out.add(b.build());
      }
    }
    return out;
  }

  /**
   * The live clustering rows of the merge at {@code nowSeconds}, counting only rows at or
   * before {@code upTo} (a full position in the command's order; null: all rows).
   */
  long liveRows(int nowSeconds, boolean reversed, FullPosition upTo) {
    ClusteringSchema forward = table.clusteringSchema();
    ClusteringSchema order = reversed ? forward.reversed() : forward;
    QueryCodec fc = QueryCodec.forSchema(forward);
    QueryCodec oc = QueryCodec.forSchema(order);
    Part limitPart = upTo == null ? null : new Part(upTo.getPartitionKey());
    PositionInPartition limitPos = upTo == null ? null : oc.decode(upTo.getPosition());
    long n = 0;
    for (Part p : merged.values()) {
      int cmp = limitPart == null ? -1 : RING_ORDER.compare(p, limitPart);
      if (cmp > 0) {
        continue;
      }
      List<PositionRange> rts = new ArrayList<>();
      List<Del> rtDels = new ArrayList<>();
      for (RangeTombstone rt : p.rangeTombstones) {
        rts.add(fc.decode(rt.getRange()));
        rtDels.add(del(rt.getDeletion()));
      }
      for (Map.Entry<List<ByteString>, RowV> r : p.rows.entrySet()) {
        PositionInPartition pos = PositionInPartition.forKey(fc.decode(
            ClusteringPrefix.newBuilder().addAllComponents(r.getKey()).build()));
        if (cmp == 0 && order.compare(pos, limitPos) > 0) {
          continue;
        }
        Del d = Del.max(p.deletion, r.getValue().deletion);
        for (int i = 0; i < rts.size(); i++) {
          PositionRange rr = rts.get(i);
          if (forward.compare(rr.start(), pos) <= 0 && forward.compare(pos, rr.end()) < 0) {
            d = Del.max(d, rtDels.get(i));
          }
        }
        if (live(r.getValue(), d, nowSeconds)) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean live(RowV r, Del d, int now) {
    if (r.marker != null && r.marker.isLive(now) && (d == null || !d.deletes(r.marker.ts()))) {
      return true;
    }
    for (CellV c : r.cells.values()) {
      if (c.isLive(now) && (d == null || !d.deletes(c.ts()))) {
        return true;
      }
    }
    return false;
  }

  /** Ring order of two full positions' partitions, then the positions in {@code order}. */
  static int compare(TableSchema table, boolean reversed, FullPosition a, FullPosition b) {
    int c = RING_ORDER.compare(new Part(a.getPartitionKey()), new Part(b.getPartitionKey()));
    if (c != 0) {
      return c;
    }
    ClusteringSchema s = reversed ? table.clusteringSchema().reversed() : table.clusteringSchema();
    QueryCodec q = QueryCodec.forSchema(s);
    return s.compare(q.decode(a.getPosition()), q.decode(b.getPosition()));
  }

  private static Del del(DeletionTime d) {
    return new Del(d.getMarkedForDeleteAt(), d.getLocalDeletionTime());
  }

  private static DeletionTime del(Del d) {
    return DeletionTime.newBuilder().setMarkedForDeleteAt(d.ts()).setLocalDeletionTime(d.ldt())
        .build();
  }

  private static CellV cell(Cell c) {
    return new CellV(c.getTimestamp(), c.getTombstone(), c.getTtl(), c.getLocalDeletionTime(),
        c.getValue().toByteArray());
  }

  private static Cell cell(int column, CellV c) {
    return Cell.newBuilder().setColumn(column).setTimestamp(c.ts()).setTombstone(c.tombstone())
        .setTtl(c.ttl()).setLocalDeletionTime(c.ldt()).setValue(ByteString.copyFrom(c.value()))
        .build();
  }

  private static Marker marker(LivenessInfo m) {
    return new Marker(m.getTimestamp(), m.getTtl(), m.getExpiry());
  }

  private static LivenessInfo marker(Marker m) {
    return LivenessInfo.newBuilder().setTimestamp(m.ts()).setTtl(m.ttl()).setExpiry(m.expiry())
        .build();
  }
}
