package dev.braid.store.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SpecificRangesV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.query.proto.FullPosition;
import dev.braid.query.proto.Position;
import dev.braid.store.DeadlineExceededException;
import dev.braid.store.InvalidRequestException;
import dev.braid.store.Murmur3Token;
import dev.braid.store.ReplicaFailure;
import dev.braid.store.TableSchema;
import dev.braid.store.internal.Cells.CellV;
import dev.braid.store.internal.Cells.Del;
import dev.braid.store.internal.Cells.StoredRow;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.PartitionRangeBound;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ReconcilableResult;
import dev.braid.store.proto.ReplicaException;
import dev.braid.store.proto.ResultCell;
import dev.braid.store.proto.ResultPartition;
import dev.braid.store.proto.ResultRow;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.TombstoneOverload;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.openhft.hashing.LongHashFunction;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * One read (data, digest or mutation) of one command over one partition range, natively on
 * position ranges: every position range of the slice is one contiguous key range of the data
 * column family, iterated forward, or backward for a reversed command. Used by one thread.
 */
public final class ReadExecutor {
  /** What the read produces. */
  public enum Mode {
    /** The query result (and the digest of it). */
    DATA,
    /** The reconcilable result: the slice's mutations, tombstones included. */
    MUTATION
  }

  /** The per-cell hash of an absent (null) cell in the digest. */
  static final long NULL_CELL_HASH = 0;
  private static final LongHashFunction XX = LongHashFunction.xx();
  private static final Set<SliceOption> UNSUPPORTED =
      Set.of(SliceOption.DISTINCT, SliceOption.SEND_COLLECTION_TIMESTAMPS);

  private final RocksDB db;
  private final ColumnFamilyHandle dataCf;
  private final ColumnFamilyHandle rtCf;
  private final TableSchema table;
  private final ClusteringSchema cs;
  private final ClusteringSchema cmdSchema;
  private final ReadCommandV2 cmd;
  private final PartitionSliceV2 slice;
  private final PartitionRange range;
  private final Mode mode;
  private final long deadline;
  private final long tombstoneFailureThreshold;
  private final boolean reversed;
  private final int now;
  // per-row constants, computed once per read instead of once per row
  private final boolean sendClusteringKey;
  private final boolean sendTimestamp;
  private final boolean sendExpiry;
  private final boolean sendTtl;
  private final int[] regularColumns;
  private final List<KeyRange> keyRanges = new ArrayList<>();

  private Snapshot snapshot;
  private boolean stopped;
  private long rows;
  private long partitions;
  private long tombstones;
  private long checks;
  private FullPosition lastPosition;
  private boolean shortRead;
  private final QueryResult.Builder result = QueryResult.newBuilder();
  private final ReconcilableResult.Builder recon = ReconcilableResult.newBuilder();
  private final ByteArrayOutputStream digestContent = new ByteArrayOutputStream();
  private long lastModified = Long.MIN_VALUE;

  private record KeyRange(byte[] lower, byte[] upper, byte[] prefix, PartitionKey key) {}

  private record Rt(byte[] start, byte[] end, Del del, PositionRange range) {}

  /** Prepares a read; call {@link #validate()} then {@link #run()}. */
  public ReadExecutor(RocksDB db, ColumnFamilyHandle dataCf, ColumnFamilyHandle rtCf,
      TableSchema table, ReadCommandV2 cmd, PartitionRange range, Mode mode, long deadlineNanos,
      long tombstoneFailureThreshold) {
    this.db = db;
    this.dataCf = dataCf;
    this.rtCf = rtCf;
    this.table = table;
    this.cs = table.clusteringSchema();
    this.cmd = cmd;
    this.slice = cmd.slice();
    this.reversed = slice.isReversed();
    this.cmdSchema = reversed ? cs.reversed() : cs;
    this.range = range;
    this.mode = mode;
    this.deadline = deadlineNanos;
    this.tombstoneFailureThreshold = tombstoneFailureThreshold;
    long secs = cmd.timestamp().getEpochSecond();
    this.now = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, secs));
    Set<SliceOption> opts = slice.options().toSet();
    this.sendClusteringKey = opts.contains(SliceOption.SEND_CLUSTERING_KEY);
    this.sendTimestamp = opts.contains(SliceOption.SEND_TIMESTAMP);
    this.sendExpiry = opts.contains(SliceOption.SEND_EXPIRY);
    this.sendTtl = opts.contains(SliceOption.SEND_TTL);
    this.regularColumns = slice.regularColumns().stream().mapToInt(Integer::intValue).toArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Validation (before any work)

  /**
   * Checks the command and the partition range against the table.
   *
   * @throws InvalidRequestException naming what is wrong
   */
  public void validate() {
    for (SliceOption o : slice.options().toSet()) {
      if (UNSUPPORTED.contains(o)) {
        throw new InvalidRequestException("slice option "
            + o.name().toLowerCase(java.util.Locale.ROOT)
            + " is not supported by this replica");
      }
    }
    checkColumns("static", slice.staticColumns(), table.staticColumns().size());
    checkColumns("regular", slice.regularColumns(), table.regularColumns().size());
    checkRanges("default", slice.defaultRowRanges());
    Optional<SpecificRangesV2> sp = slice.specificRanges();
    if (sp.isPresent()) {
      validateKeyOrThrow(sp.get().partitionKey());
      checkRanges("specific", sp.get().ranges());
    }
    parseRange();
  }

  private static void checkColumns(String kind, List<Integer> ids, int count) {
    Set<Integer> seen = new HashSet<>();
    for (int id : ids) {
      if (id < 0 || id >= count) {
        throw new InvalidRequestException("unknown " + kind + " column id " + id
            + " (the table has "
            + count + " " + kind + " column(s))");
      }
      if (!seen.add(id)) {
        throw new InvalidRequestException(kind + " column id " + id + " is selected twice");
      }
    }
  }

  private void checkRanges(String which, List<PositionRange> ranges) {
    PositionRange prev = null;
    for (PositionRange r : ranges) {
      try {
        cmdSchema.validate(r.start());
        cmdSchema.validate(r.end());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("invalid " + which + " row range " + r + ": "
            + e.getMessage(), e);
      }
      if (r.isEmpty(cmdSchema)) {
        continue;
      }
      if (prev != null && cmdSchema.compare(r.start(), prev.end()) < 0) {
        throw new InvalidRequestException("the " + which + " row ranges must be sorted and must not"
            + " overlap in the " + (reversed ? "reversed" : "clustering") + " order: " + prev
            + " then " + r);
      }
      prev = r;
    }
  }

  private byte[] validateKeyOrThrow(PartitionKey key) {
    return KeyValidation.validateKey(table, key);
  }

  private void parseRange() {
    if (range.getSingular()) {
      if (!range.hasStart() || !range.getStart().getPosition().hasKey()) {
        throw new InvalidRequestException("a singular partition range needs a start key");
      }
      PartitionKey k = QueryCodec.decode(range.getStart().getPosition().getKey());
      byte[] ser = validateKeyOrThrow(k);
      byte[] prefix = KeyCodec.partitionPrefix(table.id(), Murmur3Token.tokenOfBytes(ser), ser);
      keyRanges.add(new KeyRange(null, null, prefix, k));
      return;
    }
    boolean hasStart = range.hasStart();
    boolean hasEnd = range.hasEnd();
    if (hasStart && hasEnd && wraps(range.getStart(), range.getEnd())) {
      if (mode == Mode.DATA) {
        throw new InvalidRequestException("wrapping partition range (start after end) is not"
            + " allowed for data and digest reads");
      }
      keyRanges.add(new KeyRange(bound(range.getStart(), true), KeyCodec.tableEnd(table.id()), null,
          null));
      keyRanges.add(new KeyRange(KeyCodec.tableStart(table.id()), bound(range.getEnd(), false),
          null,
          null));
      return;
    }
    byte[] lower = hasStart ? bound(range.getStart(), true) : KeyCodec.tableStart(table.id());
    byte[] upper = hasEnd ? bound(range.getEnd(), false) : KeyCodec.tableEnd(table.id());
    if (Arrays.compareUnsigned(lower, upper) < 0) {
      keyRanges.add(new KeyRange(lower, upper, null, null));
    }
  }

  private long tokenOf(PartitionRangeBound b) {
    if (b.getPosition().hasKey()) {
      byte[] ser = validateKeyOrThrow(QueryCodec.decode(b.getPosition().getKey()));
      long t = Murmur3Token.tokenOfBytes(ser);
      if (b.getPosition().getToken() != t && b.getPosition().getToken() != 0) {
        throw new InvalidRequestException("ring position token " + b.getPosition().getToken()
            + " is not the token of its key (" + t + ")");
      }
      return t;
    }
    return b.getPosition().getToken();
  }

  private boolean wraps(PartitionRangeBound s, PartitionRangeBound e) {
    long ts = tokenOf(s);
    long te = tokenOf(e);
    if (ts != te) {
      return ts > te;
    }
    if (s.getPosition().hasKey() && e.getPosition().hasKey()) {
      byte[] a = Murmur3Token.serialize(QueryCodec.decode(s.getPosition().getKey()));
      byte[] b = Murmur3Token.serialize(QueryCodec.decode(e.getPosition().getKey()));
      return Arrays.compareUnsigned(a, b) > 0;
    }
    return false;
  }

  private byte[] bound(PartitionRangeBound b, boolean isStart) {
    long t = tokenOf(b);
    if (b.getPosition().hasKey()) {
      byte[] ser = Murmur3Token.serialize(QueryCodec.decode(b.getPosition().getKey()));
      byte[] p = KeyCodec.partitionPrefix(table.id(), t, ser);
      return isStart == b.getInclusive() ? p : KeyCodec.partitionEnd(p);
    }
    boolean afterToken = isStart != b.getInclusive(); // start exclusive or end inclusive
    if (!afterToken) {
      return KeyCodec.tokenPrefix(table.id(), t);
    }
    return t == Long.MAX_VALUE ? KeyCodec.tableEnd(table.id()) : KeyCodec.tokenPrefix(table.id(), t
        + 1);
  }

  private boolean digesting = true;

  /** Skips the digest's work (a data read without a digest). */
  public void withoutDigest() {
    digesting = false;
  }

  /** The key prefix of a singular range's partition (rate limiting). */
  public byte[] singlePartitionPrefix() {
    return keyRanges.get(0).prefix();
  }

  // ---------------------------------------------------------------------------------------------
  // Execution

  /**
   * Runs the read.
   *
   * @throws ReplicaFailure on tombstone overload or a storage failure
   */
  public void run() throws ReplicaFailure {
    if (cmd.rowLimit() == 0 || cmd.partitionLimit() == 0 || slice.partitionRowLimit() == 0) {
      return; // nothing may be returned
    }
    snapshot = db.getSnapshot();
    try {
      for (KeyRange kr : keyRanges) {
        if (kr.prefix() != null) {
          byte[] ser = Murmur3Token.serialize(kr.key());
          partition(kr.prefix(), ser, kr.key());
        } else {
          scan(kr.lower(), kr.upper());
        }
        if (stopped) {
          break;
        }
      }
    } catch (RocksDBException e) {
      throw new ReplicaFailure(ReplicaException.newBuilder().setMessage("read failure: "
          + e.getMessage()).setReadFailure(dev.braid.store.proto.ReadFailure.getDefaultInstance())
          .build());
    } finally {
      if (cachedRo != null) {
        cachedRo.close();
      }
      db.releaseSnapshot(snapshot);
      snapshot.close();
    }
  }

  private ReadOptions readOptions() {
    return new ReadOptions().setSnapshot(snapshot);
  }

  private void scan(byte[] lower, byte[] upper) throws RocksDBException, ReplicaFailure {
    try (ReadOptions ro = readOptions(); Slice ub = new Slice(upper)) {
      ro.setIterateUpperBound(ub);
      try (RocksIterator it = db.newIterator(dataCf, ro)) {
        it.seek(lower);
        while (it.isValid()) {
          byte[] k = it.key();
          ByteArrayOutputStream pkOut = new ByteArrayOutputStream();
          int split = KeyCodec.splitPartition(k, pkOut);
          byte[] prefix = Arrays.copyOf(k, split);
          byte[] ser = pkOut.toByteArray();
          partition(prefix, ser, parseKey(ser));
          if (stopped) {
            return;
          }
          it.seek(KeyCodec.partitionEnd(prefix));
        }
        it.status();
      }
    }
  }

  private PartitionKey parseKey(byte[] ser) {
    int n = table.partitionKeyColumns().size();
    if (n == 1) {
      return PartitionKey.of(Bytes.of(ser));
    }
    List<Bytes> cs = new ArrayList<>(n);
    ByteBuffer b = ByteBuffer.wrap(ser);
    for (int i = 0; i < n; i++) {
      int len = b.getShort() & 0xFFFF;
      byte[] c = new byte[len];
      b.get(c);
      b.get(); // end-of-component
      cs.add(Bytes.of(c));
    }
    return new PartitionKey(cs);
  }

  private void checkDeadline() {
    if (System.nanoTime() - deadline > 0 && deadline != Long.MAX_VALUE) {
      throw new DeadlineExceededException("the read's deadline passed after " + rows + " row(s)");
    }
  }

  private static boolean reached(long count, long limit) {
    return Long.compareUnsigned(count, limit) >= 0;
  }

  // Per-partition state
  private byte[] prefix;
  private byte[] keyBuf = new byte[128];
  private byte[] valueBuf = new byte[256];
  private PartitionKey pk;
  private Del pdel;
  private List<Rt> rts;
  private StoredRow statics;
  private long partRows;
  private boolean staticUndecided;
  private ResultPartition.Builder rp;
  private Mutation.Builder mp;
  private ByteArrayOutputStream partDigest;
  private long partLastModified;

  private void partition(byte[] prefix, byte[] ser, PartitionKey key)
      throws RocksDBException, ReplicaFailure {
    checkDeadline();
    this.prefix = prefix;
    this.pk = key;
    List<PositionRange> asSent = slice.rowRanges(key);
    byte[] header = db.get(dataCf, readOptionsCached(), KeyCodec.concat(prefix, KeyCodec.HEADER));
    pdel = header == null ? null : StoredRow.decode(header).deletion;
    rts = loadRts(prefix);
    statics = null;
    if (table.hasStatics()) {
      byte[] s = db.get(dataCf, readOptionsCached(), KeyCodec.concat(prefix, KeyCodec.STATIC));
      statics = s == null ? null : StoredRow.decode(s);
    }
    // A partition read through the specific-ranges override is a paging continuation: its
    // static-only row (if any) was on an earlier page, so it never gets one here.
    boolean continuation =
        slice.specificRanges().map(x -> x.partitionKey().equals(key)).orElse(false);
    boolean staticRule = !continuation && (!PartitionSliceV2.hasClusteringRestriction(asSent)
        || slice.options().contains(SliceOption.ALWAYS_RETURN_STATIC_CONTENT));
    boolean staticLive = false;
    if (statics != null) {
      for (CellV c : statics.cells.values()) {
        staticLive |= liveUnder(c, pdel);
      }
    }
    partRows = 0;
    staticUndecided = mode == Mode.DATA && staticRule && staticLive;
    partLastModified = Long.MIN_VALUE;
    partDigest = digesting ? new ByteArrayOutputStream() : null;
    rp = ResultPartition.newBuilder();
    mp = null;
    if (slice.options().contains(SliceOption.SEND_PARTITION_KEY) || mode == Mode.MUTATION) {
      rp.setKey(QueryCodec.encode(key));
    }
    // digest: partition key, partition tombstone, selected static cells
    writeBytes(partDigest, ser);
    writeDel(partDigest, pdel);
    for (int id : slice.staticColumns()) {
      CellV c = statics == null ? null : statics.cells.get(id);
      boolean live = c != null && liveUnder(c, pdel);
      if (partDigest != null) {
        writeLong(partDigest, live ? cellHash(c) : NULL_CELL_HASH);
      }
      if (live) {
        partLastModified = Math.max(partLastModified, c.ts());
      }
      if (mode == Mode.DATA) {
        rp.addStaticCells(resultCell(live ? c : null));
      }
    }
    if (pdel != null) {
      partLastModified = Math.max(partLastModified, pdel.ts());
    }
    if (mode == Mode.MUTATION) {
      mp = Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(table.id()))
          .setKey(QueryCodec.encode(key));
      if (pdel != null) {
        mp.setPartitionDeletion(delProto(pdel));
      }
      if (statics != null) {
        // every column, not only the selected ones: liveness (of rows and of the static row)
        // depends on all of them, and a coordinator merging these results must see it
        for (Map.Entry<Integer, CellV> c : statics.cells.entrySet()) {
          mp.addStaticCells(cellProto(c.getKey(), c.getValue()));
        }
      }
    }
    for (PositionRange r : asSent) {
      if (r.isEmpty(cmdSchema)) {
        continue;
      }
      PositionRange fwd = reversed ? PositionRange.of(r.end().reversed(), r.start().reversed()) : r;
      if (mode == Mode.MUTATION) {
        for (Rt rt : rts) {
          Optional<PositionRange> clip = rt.range().intersection(cs, fwd);
          clip.ifPresent(c -> mp.addRangeTombstones(RangeTombstone.newBuilder()
              .setRange(QueryCodec.forSchema(cs).encode(c)).setDeletion(delProto(rt.del()))));
        }
      }
      if (iterateRange(fwd)) {
        break;
      }
      if (stopped) {
        break;
      }
    }
    boolean stoppedInside = stopped;
    if (!stoppedInside && staticUndecided && partRows == 0) {
      // the static-only row: no live row in the ranges, unrestricted (as sent), live static data
      partRows = 1;
      rows++;
      if (reached(rows, cmd.rowLimit())) {
        stopped = true;
        lastPosition = fullPosition(PositionInPartition.staticRow(), null);
      }
    }
    if (partRows > 0 || (mode == Mode.MUTATION && hasMutationContent())) {
      if (mode == Mode.DATA) {
        result.addPartitions(rp);
        if (partDigest != null) {
          digestContent.writeBytes(partDigest.toByteArray());
        }
        lastModified = Math.max(lastModified, partLastModified);
      } else {
        recon.addPartitions(mp);
      }
    }
    if (partRows > 0) {
      partitions++;
      if (!stopped && reached(partitions, cmd.partitionLimit())) {
        stopped = true;
        lastPosition = fullPosition(PositionInPartition.partitionEnd(), null);
      }
    }
  }

  private boolean hasMutationContent() {
    return mp.hasPartitionDeletion() || mp.getStaticCellsCount() > 0 || mp.getRowsCount() > 0
        || mp.getRangeTombstonesCount() > 0;
  }

  private ReadOptions cachedRo;

  private ReadOptions readOptionsCached() {
    if (cachedRo == null) {
      cachedRo = readOptions();
    }
    return cachedRo;
  }

  private List<Rt> loadRts(byte[] prefix) throws RocksDBException {
    List<Rt> out = new ArrayList<>();
    QueryCodec qc = QueryCodec.forSchema(cs);
    try (ReadOptions ro = readOptions(); Slice ub = new Slice(KeyCodec.partitionEnd(prefix))) {
      ro.setIterateUpperBound(ub);
      try (RocksIterator it = db.newIterator(rtCf, ro)) {
        for (it.seek(prefix); it.isValid(); it.next()) {
          byte[] v = it.value();
          Del d = Cells.decodeDel(v);
          PositionRange r;
          try {
            r = qc.decode(dev.braid.query.proto.PositionRange.parseFrom(
                ByteBuffer.wrap(v, 12, v.length - 12)));
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt range tombstone", e);
          }
          out.add(new Rt(KeyCodec.position(cs, r.start()), KeyCodec.position(cs, r.end()), d, r));
        }
        it.status();
      }
    }
    return out;
  }

  /** Iterates one forward range (backward if reversed); returns true when the partition is done. */
  private boolean iterateRange(PositionRange fwd) throws RocksDBException, ReplicaFailure {
    byte[] lower = KeyCodec.concat(prefix, KeyCodec.position(cs, fwd.start()));
    byte[] upper = KeyCodec.concat(prefix, KeyCodec.position(cs, fwd.end()));
    try (ReadOptions ro = readOptions(); Slice lb = new Slice(lower); Slice ub = new Slice(upper)) {
      ro.setIterateLowerBound(lb);
      ro.setIterateUpperBound(ub);
      try (RocksIterator it = db.newIterator(dataCf, ro)) {
        if (reversed) {
          it.seekToLast();
        } else {
          it.seek(lower);
        }
        while (it.isValid()) {
          if ((++checks & 63) == 0) {
            checkDeadline();
          }
          // the key is only needed to place the row under range tombstones; key and value are
          // copied into buffers reused for every row of the read
          int keyLen = -1;
          if (!rts.isEmpty()) {
            keyLen = it.key(keyBuf);
            if (keyLen > keyBuf.length) {
              keyBuf = new byte[keyLen];
              it.key(keyBuf);
            }
          }
          int valueLen = it.value(valueBuf);
          if (valueLen > valueBuf.length) {
            valueBuf = new byte[valueLen];
            it.value(valueBuf);
          }
          int r = row(keyLen, StoredRow.decode(valueBuf, valueLen));
          if (r != 0) {
            return r > 0;
          }
          if (reversed) {
            it.prev();
          } else {
            it.next();
          }
        }
        it.status();
      }
    }
    return false;
  }

  /**
   * Processes one stored row (its whole data key is the first {@code keyLen} bytes of
   * {@code keyBuf}, the position part following the partition prefix; {@code keyLen} is -1 when
   * the partition has no range tombstones): 0 go on, 1 partition done, -1 page stopped.
   */
  private int row(int keyLen, StoredRow row) throws ReplicaFailure {
    Del rowDel = row.deletion;
    if (keyLen >= 0) {
      byte[] key = keyBuf;
      int from = prefix.length;
      int to = keyLen;
      for (Rt rt : rts) {
        byte[] s = rt.start();
        byte[] e = rt.end();
        if (Arrays.compareUnsigned(s, 0, s.length, key, from, to) <= 0
            && Arrays.compareUnsigned(key, from, to, e, 0, e.length) < 0) {
          rowDel = Del.max(rowDel, rt.del());
        }
      }
    }
    Del eff = Del.max(pdel, rowDel);
    boolean live = row.marker != null && (eff == null || !eff.deletes(row.marker.ts()))
        && row.marker.isLive(now);
    for (CellV c : row.cells.values()) {
      live |= liveUnder(c, eff);
    }
    if (mode == Mode.MUTATION) {
      Row.Builder rb = Row.newBuilder();
      for (byte[] c : row.clustering) {
        rb.addClustering(ByteString.copyFrom(c));
      }
      if (row.marker != null) {
        rb.setMarker(LivenessInfo.newBuilder().setTimestamp(row.marker.ts())
            .setTtl(row.marker.ttl()).setExpiry(row.marker.expiry()));
      }
      if (row.deletion != null) {
        rb.setDeletion(delProto(row.deletion));
      }
      for (Map.Entry<Integer, CellV> c : row.cells.entrySet()) {
        rb.addCells(cellProto(c.getKey(), c.getValue()));
      }
      mp.addRows(rb);
    }
    if (!live) {
      tombstones++;
      if (Long.compareUnsigned(cmd.tombstoneLimit(), ReadCommand.NO_TOMBSTONE_LIMIT) == 0
          && tombstones > tombstoneFailureThreshold) {
        throw new ReplicaFailure(ReplicaException.newBuilder()
            .setMessage("Scanned over " + tombstoneFailureThreshold + " tombstones in " + table
                + "; query aborted")
            .setTombstoneOverload(TombstoneOverload.newBuilder().setTombstones(tombstones))
            .build());
      }
      if (reached(tombstones, cmd.tombstoneLimit()) && !staticUndecided) {
        stopped = true;
        shortRead = true;
        lastPosition = fullPosition(null, row);
        return -1;
      }
      return 0;
    }
    staticUndecided = false;
    if (mode == Mode.DATA) {
      ResultRow.Builder b = ResultRow.newBuilder();
      if (sendClusteringKey) {
        for (byte[] c : row.clustering) {
          // the row was decoded for this read alone and its arrays are never written again
          b.addClustering(UnsafeByteOperations.unsafeWrap(c));
        }
      }
      if (partDigest != null) {
        writeInt(partDigest, row.clustering.length);
        for (byte[] c : row.clustering) {
          writeBytes(partDigest, c);
        }
      }
      writeDel(partDigest, rowDel);
      if (rowDel != null) {
        partLastModified = Math.max(partLastModified, rowDel.ts());
      }
      for (int id : regularColumns) {
        CellV c = row.cells.get(id);
        boolean cl = c != null && liveUnder(c, eff);
        b.addCells(resultCell(cl ? c : null));
        if (partDigest != null) {
          writeLong(partDigest, cl ? cellHash(c) : NULL_CELL_HASH);
        }
        if (cl) {
          partLastModified = Math.max(partLastModified, c.ts());
        }
      }
      rp.addRows(b);
    }
    rows++;
    partRows++;
    if (reached(rows, cmd.rowLimit())) {
      stopped = true;
      lastPosition = fullPosition(null, row);
      return -1;
    }
    if (reached(partRows, slice.partitionRowLimit())) {
      return 1;
    }
    return 0;
  }

  private boolean liveUnder(CellV c, Del d) {
    return (d == null || !d.deletes(c.ts())) && c.isLive(now);
  }

  private FullPosition fullPosition(PositionInPartition p, StoredRow row) {
    Position pos;
    if (row != null) {
      dev.braid.query.proto.ClusteringPrefix.Builder k =
          dev.braid.query.proto.ClusteringPrefix.newBuilder();
      for (byte[] c : row.clustering) {
        k.addComponents(ByteString.copyFrom(c));
      }
      pos = Position.newBuilder().setRegion(2).setWeight(0).setKey(k).build();
    } else {
      pos = QueryCodec.forSchema(cmdSchema).encode(p);
    }
    return FullPosition.newBuilder().setPartitionKey(QueryCodec.encode(pk)).setPosition(pos)
        .build();
  }

  private ResultCell resultCell(CellV c) {
    if (c == null) {
      return ResultCell.getDefaultInstance();
    }
    // the cell was decoded for this read alone and its value is never written again
    ResultCell.Builder b = ResultCell.newBuilder().setPresent(true)
        .setValue(UnsafeByteOperations.unsafeWrap(c.value()));
    if (sendTimestamp) {
      b.setTimestamp(c.ts());
    }
    if (sendExpiry && c.ttl() > 0) {
      b.setExpiry(c.ldt());
    }
    if (sendTtl) {
      b.setTtl(c.ttl());
    }
    return b.build();
  }

  private static Cell cellProto(int id, CellV c) {
    return Cell.newBuilder().setColumn(id).setTimestamp(c.ts()).setTombstone(c.tombstone())
        .setValue(ByteString.copyFrom(c.value())).setTtl(c.ttl())
        .setLocalDeletionTime(c.tombstone() || c.ttl() > 0 ? c.ldt() : 0).build();
  }

  private static DeletionTime delProto(Del d) {
    return DeletionTime.newBuilder().setMarkedForDeleteAt(d.ts()).setLocalDeletionTime(d.ldt())
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Digest content (docs/store.md, "Digest")

  /** XXH64 of timestamp (8), ttl (4), expiry or 0 (4), value. */
  static long cellHash(CellV c) {
    ByteBuffer b = ByteBuffer.allocate(16 + c.value().length);
    b.putLong(c.ts()).putInt(c.ttl()).putInt(c.ttl() > 0 ? c.ldt() : 0).put(c.value());
    return XX.hashBytes(b.array());
  }

  private static void writeDel(ByteArrayOutputStream o, Del d) {
    if (o == null) {
      return;
    }
    if (d == null) {
      o.write(0);
      return;
    }
    o.write(1);
    writeLong(o, d.ts());
    writeInt(o, d.ldt());
  }

  private static void writeBytes(ByteArrayOutputStream o, byte[] b) {
    if (o == null) {
      return;
    }
    writeInt(o, b.length);
    o.writeBytes(b);
  }

  private static void writeInt(ByteArrayOutputStream o, int v) {
    if (o == null) {
      return;
    }
    o.write(v >>> 24);
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }

  private static void writeLong(ByteArrayOutputStream o, long v) {
    writeInt(o, (int) (v >>> 32));
    writeInt(o, (int) v);
  }

  // ---------------------------------------------------------------------------------------------
  // Results

  /** The query result. */
  public QueryResult queryResult() {
    result.setRowCount(rows).setPartitionCount((int) partitions).setShortRead(shortRead);
    if (lastPosition != null) {
      result.setLastPosition(lastPosition);
    }
    return result.build();
  }

  /** The reconcilable result. */
  public ReconcilableResult reconcilableResult() {
    recon.setRowCount(rows);
    if (lastPosition != null) {
      recon.setLastPosition(lastPosition);
    }
    return recon.build();
  }

  /** 8 zero bytes, then the big-endian XXH64 (seed 0) of the digest content. */
  public byte[] digest() {
    return ByteBuffer.allocate(16).putLong(0).putLong(XX.hashBytes(digestContent.toByteArray()))
        .array();
  }

  /** The largest timestamp hashed (cells and tombstones), {@code Long.MIN_VALUE} if none. */
  public long lastModified() {
    return lastModified;
  }
}
