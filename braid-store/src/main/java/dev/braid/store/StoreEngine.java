package dev.braid.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.braid.query.BoundWeight;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.TableSchema.Uuids;
import dev.braid.store.internal.Cells;
import dev.braid.store.internal.Cells.CellV;
import dev.braid.store.internal.Cells.Del;
import dev.braid.store.internal.Cells.Marker;
import dev.braid.store.internal.Cells.StoredRow;
import dev.braid.store.internal.KeyCodec;
import dev.braid.store.internal.KeyValidation;
import dev.braid.store.internal.RateLimiter;
import dev.braid.store.internal.ReadExecutor;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ReconcilableResult;
import dev.braid.store.proto.ReplicaException;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.SchemaSnapshot;
import dev.braid.store.proto.StaleTopology;
import dev.braid.store.proto.TableDef;
import dev.braid.store.proto.UnknownSchemaVersion;
import dev.braid.store.proto.UnknownTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's replica: a RocksDB database in a data directory holding the schema and the data of
 * every table, with the write path ({@link #apply}) and the read verbs natively on position
 * ranges ({@link #readData}, {@link #readMutationData}, {@link #readDigest}; the v1 overloads
 * convert with {@code RangeConversions.fromLegacy} and run the same engine).
 *
 * <p>Layout: column family {@code data} holds partition headers (partition tombstones), static
 * rows and rows under the byte-comparable keys of {@link KeyCodec}; {@code range_tombstones}
 * holds range tombstones keyed by partition + start + end, so that a read finds the ones of its
 * partition without scanning the partition's rows; {@code meta} holds the schema. A file {@code
 * FORMAT} names the on-disk format version.
 *
 * <p>Threading: thread-safe. Writes and schema changes are serialized by one lock (a write is a
 * read-modify-write of the rows it touches, then one atomic {@link WriteBatch}); reads take a
 * RocksDB snapshot and run concurrently with each other and with writes.
 */
public final class StoreEngine implements AutoCloseable {
  /** The on-disk format this build writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(StoreEngine.class);
  private static final byte[] SCHEMA_KEY = "schema".getBytes(StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final Path dir;
  private final StoreOptions options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final LRUCache cache;
  private final Statistics stats;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final ColumnFamilyHandle data;
  private final ColumnFamilyHandle rts;
  private final ColumnFamilyHandle meta;
  private final WriteOptions writeOptions;
  private final ScheduledExecutorService syncer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final RateLimiter readLimiter = new RateLimiter();
  private final RateLimiter writeLimiter = new RateLimiter();
  private volatile long topologyVersion;
  private volatile Schema schema;
  private volatile boolean closed;

  private record Schema(Map<String, KeyspaceDef> keyspaces, Map<UUID, TableSchema> byId,
      Map<String, TableSchema> byName) {}

  private StoreEngine(Path dir, StoreOptions options) throws IOException {
    this.dir = dir;
    this.options = options;
    Files.createDirectories(dir);
    checkFormat(dir);
    lockChannel = FileChannel.open(dir.resolve("braid.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      lockChannel.close();
      throw new IOException("data directory " + dir + " is locked by another braid node"
          + " (another process, or this one, has it open)");
    }
    lock = l;
    try {
      cache = new LRUCache(options.blockCacheBytes());
      stats = new Statistics();
      cfOptions = new ColumnFamilyOptions()
          .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
      dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
          .setStatistics(stats);
      List<ColumnFamilyDescriptor> cfs = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
          new ColumnFamilyDescriptor("data".getBytes(StandardCharsets.UTF_8), cfOptions),
          new ColumnFamilyDescriptor("range_tombstones".getBytes(StandardCharsets.UTF_8),
              cfOptions),
          new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), cfOptions));
      db = RocksDB.open(dbOptions, dir.resolve("db").toString(), cfs, handles);
      data = handles.get(1);
      rts = handles.get(2);
      meta = handles.get(3);
      writeOptions = new WriteOptions()
          .setSync(options.syncPolicy() == StoreOptions.SyncPolicy.EVERY_WRITE);
      Files.writeString(dir.resolve("FORMAT"), "braid-store format " + FORMAT_VERSION + "\n");
      loadSchema();
    } catch (RocksDBException e) {
      lock.release();
      lockChannel.close();
      throw new IOException("cannot open the database in " + dir + ": " + e.getMessage(), e);
    }
    if (options.syncPolicy() == StoreOptions.SyncPolicy.PERIODIC) {
      syncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "braid-store-wal-sync");
        t.setDaemon(true);
        return t;
      });
      long ms = options.syncInterval().toMillis();
      syncer.scheduleWithFixedDelay(this::syncWal, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  /**
   * Opens (creating if needed) the replica in {@code dir}.
   *
   * @throws IOException with a clear message if the directory was written by a newer format, is
   *     locked by another node, or cannot be opened
   */
  public static StoreEngine open(Path dir, StoreOptions options) throws IOException {
    return new StoreEngine(dir, options);
  }

  private static void checkFormat(Path dir) throws IOException {
    Path f = dir.resolve("FORMAT");
    if (!Files.exists(f)) {
      return;
    }
    String s = Files.readString(f).trim();
    int v;
    try {
      v = Integer.parseInt(s.substring(s.lastIndexOf(' ') + 1));
    } catch (RuntimeException e) {
      throw new IOException("data directory " + dir + " has an unreadable FORMAT file: '" + s
          + "'");
    }
    if (v > FORMAT_VERSION) {
      throw new IOException("data directory " + dir + " was written by braid-store format " + v
          + "; this build reads format " + FORMAT_VERSION + " and older. Use a newer braid.");
    }
  }

  private void syncWal() {
    if (closed) {
      return;
    }
    try {
      db.flushWal(true);
    } catch (RocksDBException e) {
      log.warn("WAL sync failed: {}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Schema

  private void loadSchema() throws RocksDBException {
    byte[] b = db.get(meta, SCHEMA_KEY);
    SchemaSnapshot s;
    try {
      s = b == null ? SchemaSnapshot.getDefaultInstance() : SchemaSnapshot.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt schema in " + dir, e);
    }
    Map<String, KeyspaceDef> ks = new LinkedHashMap<>();
    s.getKeyspacesList().forEach(k -> ks.put(k.getName(), k));
    Map<UUID, TableSchema> byId = new LinkedHashMap<>();
    Map<String, TableSchema> byName = new LinkedHashMap<>();
    for (TableDef t : s.getTablesList()) {
      TableSchema ts = TableSchema.load(t);
      byId.put(ts.id(), ts);
      byName.put(ts.keyspace() + "." + ts.name(), ts);
    }
    schema = new Schema(Map.copyOf(ks), Map.copyOf(byId), Map.copyOf(byName));
  }

  private void saveSchema(Map<String, KeyspaceDef> ks, Map<UUID, TableSchema> byId)
      throws RocksDBException {
    SchemaSnapshot.Builder b = SchemaSnapshot.newBuilder().addAllKeyspaces(ks.values());
    byId.values().forEach(t -> b.addTables(t.def()));
    try (WriteOptions sync = new WriteOptions().setSync(true)) {
      db.put(meta, sync, SCHEMA_KEY, b.build().toByteArray());
    }
    Map<String, TableSchema> byName = new LinkedHashMap<>();
    byId.values().forEach(t -> byName.put(t.keyspace() + "." + t.name(), t));
    schema = new Schema(Map.copyOf(ks), Map.copyOf(byId), Map.copyOf(byName));
  }

  /** The schema: keyspaces and tables (complete definitions). */
  public SchemaSnapshot describe() {
    Schema s = schema;
    SchemaSnapshot.Builder b = SchemaSnapshot.newBuilder().addAllKeyspaces(s.keyspaces.values());
    s.byId.values().forEach(t -> b.addTables(t.def()));
    return b.build();
  }

  /**
   * Creates a keyspace (replication class SimpleStrategy with a replication factor >= 1; kept for
   * the coordinator).
   *
   * @return false if it existed and {@code ifNotExists}
   * @throws InvalidRequestException if it exists (without {@code ifNotExists}) or is invalid
   */
  public boolean createKeyspace(KeyspaceDef def, boolean ifNotExists) throws IOException {
    TableSchema.checkName("keyspace", def.getName());
    String cls = def.getReplicationClass();
    if (!cls.equals("SimpleStrategy")
        && !cls.equals("org.apache.cassandra.locator.SimpleStrategy")) {
      throw new InvalidRequestException("Unable to find replication strategy class '" + cls
          + "' (only SimpleStrategy is supported)");
    }
    if (def.getReplicationFactor() < 1) {
      throw new InvalidRequestException(
          "SimpleStrategy requires a replication_factor of at least 1");
    }
    KeyspaceDef k = def.toBuilder().setName(def.getName().toLowerCase(Locale.ROOT))
        .setReplicationClass("SimpleStrategy").build();
    writeLock.lock();
    try {
      Schema s = schema;
      if (s.keyspaces.containsKey(k.getName())) {
        if (ifNotExists) {
          return false;
        }
        throw new InvalidRequestException("Keyspace " + k.getName() + " already exists");
      }
      Map<String, KeyspaceDef> ks = new LinkedHashMap<>(s.keyspaces);
      ks.put(k.getName(), k);
      saveSchema(ks, s.byId);
      return true;
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Drops a keyspace, its tables and their data. False if absent and {@code ifExists}. */
  public boolean dropKeyspace(String name, boolean ifExists) throws IOException {
    String n = name.toLowerCase(Locale.ROOT);
    writeLock.lock();
    try {
      Schema s = schema;
      if (!s.keyspaces.containsKey(n)) {
        if (ifExists) {
          return false;
        }
        throw new InvalidRequestException("Keyspace '" + n + "' does not exist");
      }
      Map<String, KeyspaceDef> ks = new LinkedHashMap<>(s.keyspaces);
      ks.remove(n);
      Map<UUID, TableSchema> byId = new LinkedHashMap<>(s.byId);
      for (TableSchema t : s.byId.values()) {
        if (t.keyspace().equals(n)) {
          byId.remove(t.id());
          deleteTableData(t.id());
        }
      }
      saveSchema(ks, byId);
      return true;
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Creates a table in an existing keyspace.
   *
   * @return the complete schema, or null if it existed and {@code ifNotExists}
   * @throws InvalidRequestException for an invalid definition, an unknown keyspace or an existing
   * table
   */
  public TableSchema createTable(TableDef def, boolean ifNotExists) throws IOException {
    TableSchema t;
    try {
      t = TableSchema.create(def);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    }
    writeLock.lock();
    try {
      Schema s = schema;
      if (!s.keyspaces.containsKey(t.keyspace())) {
        throw new InvalidRequestException("Keyspace '" + t.keyspace() + "' does not exist");
      }
      if (s.byName.containsKey(t.keyspace() + "." + t.name())) {
        if (ifNotExists) {
          return null;
        }
        throw new InvalidRequestException("Table " + t + " already exists");
      }
      if (s.byId.containsKey(t.id())) {
        throw new InvalidRequestException("table id " + t.id() + " is already used");
      }
      Map<UUID, TableSchema> byId = new LinkedHashMap<>(s.byId);
      byId.put(t.id(), t);
      saveSchema(s.keyspaces, byId);
      return t;
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Drops a table and its data. Returns false if absent and {@code ifExists}. */
  public boolean dropTable(String keyspace, String name, boolean ifExists) throws IOException {
    String key = keyspace.toLowerCase(Locale.ROOT) + "." + name.toLowerCase(Locale.ROOT);
    writeLock.lock();
    try {
      Schema s = schema;
      TableSchema t = s.byName.get(key);
      if (t == null) {
        if (ifExists) {
          return false;
        }
        throw new InvalidRequestException("Table '" + key + "' does not exist");
      }
      Map<UUID, TableSchema> byId = new LinkedHashMap<>(s.byId);
      byId.remove(t.id());
      deleteTableData(t.id());
      saveSchema(s.keyspaces, byId);
      return true;
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  private void deleteTableData(UUID id) throws RocksDBException {
    // A physical delete is right here: the table's data goes with the table (DeleteRange is
    // never used for CQL deletions, which are timestamped tombstones).
    db.deleteRange(data, KeyCodec.tableStart(id), KeyCodec.tableEnd(id));
    db.deleteRange(rts, KeyCodec.tableStart(id), KeyCodec.tableEnd(id));
  }

  /** The table {@code keyspace.name}, or null. */
  public TableSchema table(String keyspace, String name) {
    return schema.byName.get(keyspace.toLowerCase(Locale.ROOT) + "."
        + name.toLowerCase(Locale.ROOT));
  }

  /** The table with this id, or null. */
  public TableSchema table(UUID id) {
    return schema.byId.get(id);
  }

  /** The replica's topology version (fencing tokens older than it are stale). */
  public long topologyVersion() {
    return topologyVersion;
  }

  /** Sets the topology version (the cluster layer calls this when the topology changes). */
  public void setTopologyVersion(long v) {
    topologyVersion = v;
  }

  /**
   * Checks a fencing token: one older than the replica's topology version fails.
   *
   * @param fence the caller's topology version, or a negative value for "no token"
   */
  public void checkFence(long fence) throws ReplicaFailure {
    long current = topologyVersion;
    if (fence >= 0 && fence < current) {
      throw new ReplicaFailure(ReplicaException.newBuilder()
          .setMessage("stale topology: the request's fencing token is version " + fence
              + " but this replica is at version " + current)
          .setStaleTopology(StaleTopology.newBuilder().setCallerVersion(fence)
              .setCurrentVersion(current)).build());
    }
  }

  /** The table of a command, failing with the typed unknown-table error. */
  TableSchema requireTable(UUID id) throws ReplicaFailure {
    TableSchema t = schema.byId.get(id);
    if (t == null) {
      throw new ReplicaFailure(ReplicaException.newBuilder()
          .setMessage("unknown table " + id)
          .setUnknownTable(UnknownTable.newBuilder().setTableId(Uuids.toProto(id))).build());
    }
    return t;
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  /**
   * Applies mutations atomically (one RocksDB write batch, through the WAL). Returns once RocksDB
   * has accepted the batch; with {@link StoreOptions.SyncPolicy#EVERY_WRITE} once the WAL is
   * synced. Everything is validated before anything is written.
   *
   * @param nowSeconds the receipt time, used only to fill deletion times and expiries left 0
   * @param rateLimit  0 none, 1 account only, 2 account and enforce (per-partition write limit)
   * @throws InvalidRequestException for a malformed mutation
   * @throws ReplicaFailure          for an unknown table or a rate-limited partition
   */
  public void apply(List<Mutation> mutations, int nowSeconds, int rateLimit)
      throws ReplicaFailure, IOException {
    if (mutations.size() > Limits.MAX_MUTATIONS_PER_CALL) {
      throw new InvalidRequestException("too many mutations in one call: " + mutations.size()
          + " (at most " + Limits.MAX_MUTATIONS_PER_CALL + ")");
    }
    ensureOpen();
    // Validate and convert everything first.
    TreeMap<ByteBuffer, StoredRow> rows = new TreeMap<>();
    TreeMap<ByteBuffer, RtWrite> tombs = new TreeMap<>();
    for (Mutation m : mutations) {
      TableSchema t = requireTable(Uuids.fromProto(m.getTableId()));
      convert(t, m, nowSeconds, rows, tombs);
      int limit = t.def().getMaxWritesPerSecond();
      if (rateLimit > 0 && limit > 0) {
        byte[] pk = KeyCodec.partitionPrefix(t.id(), 0, Murmur3Token.serialize(
            QueryCodec.decode(m.getKey())));
        if (!writeLimiter.acquire(pk, limit, rateLimit == 2, System.nanoTime())) {
          throw new ReplicaFailure(ReplicaException.newBuilder()
              .setMessage("per-partition write rate limit of " + limit + "/s exceeded for " + t)
              .setRateLimited(dev.braid.store.proto.RateLimited.getDefaultInstance()).build());
        }
      }
    }
    writeLock.lock();
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<ByteBuffer, StoredRow> e : rows.entrySet()) {
        byte[] key = bytes(e.getKey());
        byte[] old = db.get(data, key);
        StoredRow r = e.getValue();
        if (old != null) {
          StoredRow merged = StoredRow.decode(old);
          merged.merge(r);
          r = merged;
        }
        batch.put(data, key, r.encode());
      }
      for (Map.Entry<ByteBuffer, RtWrite> e : tombs.entrySet()) {
        byte[] key = bytes(e.getKey());
        byte[] old = db.get(rts, key);
        Del d = old == null ? e.getValue().del() : Del.max(Cells.decodeDel(old),
            e.getValue().del());
        batch.put(rts, key, KeyCodec.concat(Cells.encodeDel(d), e.getValue().range()));
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IOException("write failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] r = new byte[b.remaining()];
    b.duplicate().get(r);
    return r;
  }

  private void convert(TableSchema t, Mutation m, int now, TreeMap<ByteBuffer, StoredRow> rows,
      TreeMap<ByteBuffer, RtWrite> tombs) {
    PartitionKey pk = QueryCodec.decode(m.getKey());
    byte[] ser = KeyValidation.validateKey(t, pk);
    byte[] prefix = KeyCodec.partitionPrefix(t.id(), Murmur3Token.tokenOfBytes(ser), ser);
    ClusteringSchema cs = t.clusteringSchema();
    QueryCodec qc = QueryCodec.forSchema(cs);
    if (m.hasPartitionDeletion() || m.getRangeTombstonesCount() > 0) {
      StoredRow h = new StoredRow();
      if (m.hasPartitionDeletion()) {
        h.deletion = del(m.getPartitionDeletion(), now);
      }
      rows.merge(ByteBuffer.wrap(KeyCodec.concat(prefix, KeyCodec.HEADER)), h, StoreEngine::merged);
    }
    if (m.getStaticCellsCount() > 0) {
      if (!t.hasStatics()) {
        throw new InvalidRequestException("table " + t + " has no static columns");
      }
      StoredRow s = new StoredRow();
      long size = 0;
      for (Cell c : m.getStaticCellsList()) {
        if (c.getColumn() >= t.staticColumns().size()) {
          throw new InvalidRequestException("unknown static column id " + c.getColumn() + " in "
              + t);
        }
        size += c.getValue().size();
        s.cells.merge(c.getColumn(), cell(c, t.staticType(c.getColumn()),
            t.staticColumns().get(c.getColumn()).getName(), now), CellV::reconcile);
      }
      checkRowSize(size, t);
      rows.merge(ByteBuffer.wrap(KeyCodec.concat(prefix, KeyCodec.STATIC)), s, StoreEngine::merged);
    }
    for (Row r : m.getRowsList()) {
      if (r.getClusteringCount() != cs.size()) {
        throw new InvalidRequestException("a row of " + t + " needs a full clustering key of "
            + cs.size() + " value(s), got " + r.getClusteringCount());
      }
      StoredRow s = new StoredRow();
      Object[] values = new Object[cs.size()];
      s.clustering = new byte[cs.size()][];
      long size = 0;
      for (int i = 0; i < cs.size(); i++) {
        byte[] v = r.getClustering(i).toByteArray();
        if (v.length > Limits.MAX_KEY_BYTES) {
          throw new InvalidRequestException("Key length of " + v.length
              + " is longer than maximum of "
              + Limits.MAX_KEY_BYTES + " (column " + t.clusteringColumns().get(i).getName() + ")");
        }
        values[i] = KeyValidation.decodeValue(cs.column(i).type(), v,
            t.clusteringColumns().get(i).getName());
        s.clustering[i] = v;
        size += v.length;
      }
      if (r.hasMarker()) {
        int ttl = r.getMarker().getTtl();
        checkTtl(ttl);
        int exp = ttl > 0 && r.getMarker().getExpiry() == 0 ? now + ttl : r.getMarker().getExpiry();
        s.marker = new Marker(r.getMarker().getTimestamp(), ttl, ttl > 0 ? exp : 0);
      }
      if (r.hasDeletion()) {
        s.deletion = del(r.getDeletion(), now);
      }
      for (Cell c : r.getCellsList()) {
        if (c.getColumn() >= t.regularColumns().size()) {
          throw new InvalidRequestException("unknown regular column id " + c.getColumn() + " in "
              + t);
        }
        size += c.getValue().size();
        s.cells.merge(c.getColumn(), cell(c, t.regularType(c.getColumn()),
            t.regularColumns().get(c.getColumn()).getName(), now), CellV::reconcile);
      }
      checkRowSize(size, t);
      byte[] key = KeyCodec.concat(prefix, KeyCodec.row(cs, ClusteringPrefix.of(values)));
      rows.merge(ByteBuffer.wrap(key), s, StoreEngine::merged);
    }
    for (RangeTombstone rt : m.getRangeTombstonesList()) {
      PositionRange range;
      try {
        range = qc.decode(rt.getRange());
        cs.validate(range.start());
        cs.validate(range.end());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("invalid range tombstone: " + e.getMessage(), e);
      }
      requireBound(range.start(), range);
      requireBound(range.end(), range);
      if (range.isEmpty(cs)) {
        continue; // deletes nothing
      }
      byte[] key = KeyCodec.concat(KeyCodec.concat(prefix, KeyCodec.position(cs, range.start())),
          KeyCodec.position(cs, range.end()));
      tombs.merge(ByteBuffer.wrap(key), new RtWrite(del(rt.getDeletion(), now),
          qc.encode(range).toByteArray()), (a, b) -> new RtWrite(Del.max(a.del(), b.del()),
              a.range()));
    }
  }

  private record RtWrite(Del del, byte[] range) {}

  private static void requireBound(PositionInPartition p, PositionRange r) {
    if (!p.isClustered() || p.weight() == BoundWeight.EQUAL) {
      throw new InvalidRequestException("range tombstone " + r
          + " must have clustered bounds of weight -1 or +1");
    }
  }

  private static StoredRow merged(StoredRow a, StoredRow b) {
    a.merge(b);
    return a;
  }

  private static void checkRowSize(long size, TableSchema t) {
    if (size > Limits.MAX_ROW_BYTES) {
      throw new InvalidRequestException("row of " + t + " is " + size + " bytes; the limit is "
          + Limits.MAX_ROW_BYTES + " bytes");
    }
  }

  private static void checkTtl(int ttl) {
    if (ttl < 0) {
      throw new InvalidRequestException("A TTL must be greater or equal to 0, but was " + ttl);
    }
    if (ttl > Limits.MAX_TTL_SECONDS) {
      throw new InvalidRequestException("ttl is too large. requested (" + ttl + ") maximum ("
          + Limits.MAX_TTL_SECONDS + ")");
    }
  }

  private static Del del(DeletionTime d, int now) {
    return new Del(d.getMarkedForDeleteAt(), d.getLocalDeletionTime() == 0 ? now
        : d.getLocalDeletionTime());
  }

  private static CellV cell(Cell c, ClusteringType type, String column, int now) {
    if (c.getValue().size() > Limits.MAX_VALUE_BYTES) {
      throw new InvalidRequestException("value of column " + column + " is " + c.getValue().size()
          + " bytes; the limit is " + Limits.MAX_VALUE_BYTES + " bytes");
    }
    if (c.getTombstone()) {
      if (!c.getValue().isEmpty() || c.getTtl() != 0) {
        throw new InvalidRequestException("a cell tombstone of column " + column
            + " has a value or a TTL");
      }
      return new CellV(c.getTimestamp(), true, 0,
          c.getLocalDeletionTime() == 0 ? now : c.getLocalDeletionTime(), new byte[0]);
    }
    byte[] v = c.getValue().toByteArray();
    KeyValidation.decodeValue(type, v, column);
    checkTtl(c.getTtl());
    if (c.getTtl() > 0) {
      int exp = c.getLocalDeletionTime() == 0 ? now + c.getTtl() : c.getLocalDeletionTime();
      return new CellV(c.getTimestamp(), false, c.getTtl(), exp, v);
    }
    return new CellV(c.getTimestamp(), false, 0, Cells.NO_DELETION_TIME, v);
  }

  // ---------------------------------------------------------------------------------------------
  // Reads

  /**
   * What a data read returns: the result and, with a digest, the digest and the last-modified
   * timestamp (without: null and {@code Long.MIN_VALUE}).
   */
  public record DataResult(QueryResult result, byte[] digest, long lastModified) {}

  /**
   * The read_data verb on position ranges.
   *
   * @param withDigest  also compute the digest (digest algorithm XXHASH)
   * @param deadlineNanos {@link System#nanoTime()} deadline ({@code Long.MAX_VALUE}: none)
   * @throws InvalidRequestException for a malformed command or range
   * @throws ReplicaFailure for replica-level failures
   * @throws DeadlineExceededException when the deadline passes
   */
  public DataResult readData(ReadCommandV2 cmd, PartitionRange range, boolean withDigest,
      int rateLimit, long deadlineNanos) throws ReplicaFailure {
    ReadExecutor ex = prepare(cmd, range, ReadExecutor.Mode.DATA, rateLimit, deadlineNanos);
    if (!withDigest) {
      ex.withoutDigest();
    }
    ex.run();
    return new DataResult(ex.queryResult(), withDigest ? ex.digest() : null,
        withDigest ? ex.lastModified() : Long.MIN_VALUE);
  }

  /** The read_data verb on a v1 command: converted with {@code RangeConversions.fromLegacy}. */
  public DataResult readData(ReadCommand cmd, PartitionRange range, boolean withDigest,
      int rateLimit, long deadlineNanos) throws ReplicaFailure {
    return readData(toV2(cmd), range, withDigest, rateLimit, deadlineNanos);
  }

  /** What a digest read returns. */
  public record DigestResult(byte[] digest, long lastModified,
      dev.braid.query.proto.FullPosition lastPosition) {}

  /** The read_digest verb on position ranges. */
  public DigestResult readDigest(ReadCommandV2 cmd, PartitionRange range, int rateLimit,
      long deadlineNanos) throws ReplicaFailure {
    ReadExecutor ex = prepare(cmd, range, ReadExecutor.Mode.DATA, rateLimit, deadlineNanos);
    ex.run();
    QueryResult r = ex.queryResult();
    return new DigestResult(ex.digest(), ex.lastModified(),
        r.hasLastPosition() ? r.getLastPosition() : null);
  }

  /** The read_digest verb on a v1 command. */
  public DigestResult readDigest(ReadCommand cmd, PartitionRange range, int rateLimit,
      long deadlineNanos) throws ReplicaFailure {
    return readDigest(toV2(cmd), range, rateLimit, deadlineNanos);
  }

  /** The read_mutation_data verb on position ranges (wrapping ranges are split in two). */
  public ReconcilableResult readMutationData(ReadCommandV2 cmd, PartitionRange range,
      long deadlineNanos) throws ReplicaFailure {
    ReadExecutor ex = prepare(cmd, range, ReadExecutor.Mode.MUTATION, 0, deadlineNanos);
    ex.run();
    return ex.reconcilableResult();
  }

  /** The read_mutation_data verb on a v1 command. */
  public ReconcilableResult readMutationData(ReadCommand cmd, PartitionRange range,
      long deadlineNanos) throws ReplicaFailure {
    return readMutationData(toV2(cmd), range, deadlineNanos);
  }

  /**
   * The v2 form of a v1 command: a reversed command still in the legacy half-reversed layout (its
   * schema version is the table's, not the reversed one's) is first made native, as ScyllaDB's
   * replica does; then {@code ReadCommandV2.fromLegacy} (RangeConversions.fromLegacy per range).
   */
  public ReadCommandV2 toV2(ReadCommand cmd) throws ReplicaFailure {
    TableSchema t = requireTable(cmd.tableId());
    ReadCommand c = cmd;
    if (cmd.slice().isReversed() && cmd.schemaVersion().equals(t.version())) {
      c = cmd.toBuilder().slice(cmd.slice().legacyReversedToNative())
          .schemaVersion(t.reversedVersion()).build();
    }
    return ReadCommandV2.fromLegacy(c);
  }

  private ReadExecutor prepare(ReadCommandV2 cmd, PartitionRange range, ReadExecutor.Mode mode,
      int rateLimit, long deadline) throws ReplicaFailure {
    ensureOpen();
    TableSchema t = requireTable(cmd.tableId());
    boolean reversed = cmd.slice().isReversed();
    UUID expected = reversed ? t.reversedVersion() : t.version();
    if (!cmd.schemaVersion().equals(expected)) {
      throw new ReplicaFailure(ReplicaException.newBuilder()
          .setMessage("unknown schema version " + cmd.schemaVersion() + " for table " + t
              + " (current: " + t.version() + ", reversed: " + t.reversedVersion() + ")")
          .setUnknownSchemaVersion(UnknownSchemaVersion.newBuilder()
              .setTableId(Uuids.toProto(t.id())).setVersion(Uuids.toProto(cmd.schemaVersion())))
          .build());
    }
    ReadExecutor ex = new ReadExecutor(db, data, rts, t, cmd, range, mode, deadline,
        options.tombstoneFailureThreshold());
    ex.validate(); // throws InvalidRequestException before any work
    int limit = t.def().getMaxReadsPerSecond();
    if (rateLimit > 0 && limit > 0 && range.getSingular()) {
      byte[] pk = ex.singlePartitionPrefix();
      if (!readLimiter.acquire(pk, limit, rateLimit == 2, System.nanoTime())) {
        throw new ReplicaFailure(ReplicaException.newBuilder()
            .setMessage("per-partition read rate limit of " + limit + "/s exceeded for " + t)
            .setRateLimited(dev.braid.store.proto.RateLimited.getDefaultInstance()).build());
      }
    }
    return ex;
  }

  /**
   * The block cache's hit rate since the node started, as uint8 (x255, rounded); 0 before any
   * block-cache lookup (memtable reads never touch the block cache).
   */
  public int cacheTemperature() {
    long hit = stats.getTickerCount(TickerType.BLOCK_CACHE_HIT);
    long miss = stats.getTickerCount(TickerType.BLOCK_CACHE_MISS);
    if (hit + miss == 0) {
      return 0;
    }
    return (int) Math.round(255.0 * hit / (hit + miss));
  }

  /** Flushes memtables to SST files (tests and benchmarks use it to read from the block cache). */
  public void flush() throws IOException {
    try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(fo, List.of(data, rts, meta));
    } catch (RocksDBException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The RocksDB database (benchmarks compare against raw iteration). Not for general use. */
  public RocksDB rawDb() {
    return db;
  }

  /** The data column family (benchmarks). */
  public ColumnFamilyHandle rawDataFamily() {
    return data;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** The data directory. */
  public Path directory() {
    return dir;
  }

  /** Syncs the WAL, closes the database and releases the directory lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    writeLock.lock();
    try {
      closed = true;
      if (syncer != null) {
        syncer.shutdownNow();
      }
      try {
        db.flushWal(true);
      } catch (RocksDBException e) {
        log.warn("final WAL sync failed: {}", e.getMessage());
      }
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      writeOptions.close();
      dbOptions.close();
      cfOptions.close();
      cache.close();
      stats.close();
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        log.warn("releasing the lock failed: {}", e.getMessage());
      }
    } finally {
      writeLock.unlock();
    }
  }
}
