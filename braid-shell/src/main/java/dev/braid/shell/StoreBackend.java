package dev.braid.shell;

import com.google.protobuf.ByteString;
import dev.braid.cql.plan.CreateKeyspacePlan;
import dev.braid.cql.plan.CreateTablePlan;
import dev.braid.cql.plan.DeletePlan;
import dev.braid.cql.plan.DropKeyspacePlan;
import dev.braid.cql.plan.DropTablePlan;
import dev.braid.cql.plan.Plan;
import dev.braid.cql.plan.SelectPlan;
import dev.braid.cql.plan.WritePlan;
import dev.braid.cql.schema.KeyspaceMetadata;
import dev.braid.cql.schema.SchemaView;
import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.codec.QueryCodec;
import dev.braid.rpc.ClientConnection;
import dev.braid.store.Murmur3Token;
import dev.braid.store.PartitionRanges;
import dev.braid.store.Paging;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.CreateKeyspaceRequest;
import dev.braid.store.proto.CreateTableRequest;
import dev.braid.store.proto.DeletionTime;
import dev.braid.store.proto.DescribeSchemaRequest;
import dev.braid.store.proto.DropKeyspaceRequest;
import dev.braid.store.proto.DropTableRequest;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.MutateRequest;
import dev.braid.store.proto.MutateResponse;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.PartitionRange;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.RangeTombstone;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReplicaBraid;
import dev.braid.store.proto.ReplicaException;
import dev.braid.store.proto.ResultCell;
import dev.braid.store.proto.ResultPartition;
import dev.braid.store.proto.ResultRow;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.SchemaSnapshot;
import dev.braid.store.proto.TableDef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ShellBackend} over one braid-store node's {@code braid.store.Replica} service: schema
 * calls, {@code Mutate} for writes and deletes, {@code ReadDataV2} (position ranges, native
 * reversed layout) for selects. One node, so the consistency level is passed through to the trace
 * only. Write timestamps not given with {@code USING TIMESTAMP} are this client's clock in
 * microseconds, strictly increasing. Paging states are kept here (an 8-byte handle to the next
 * page's command and partition range; at most {@link #MAX_OPEN_PAGES} are kept).
 *
 * <p>Threading: the shell uses it from one thread; the schema cache is thread-safe.
 */
public final class StoreBackend implements ShellBackend, SchemaView {
  static final int MAX_OPEN_PAGES = 64;
  static final long SCHEMA_TTL_NANOS = 500_000_000L;
  private final String address;
  private final ClientConnection connection;
  private final ReplicaBraid.Client client;
  private final AtomicLong lastMicros = new AtomicLong();
  private volatile SchemaSnapshot snapshot;
  private volatile long snapshotAt;
  private final Map<Long, PageState> pages = new ConcurrentHashMap<>();
  private final AtomicLong pageIds = new AtomicLong();

  private record PageState(SelectPlan plan, Paging.Page page, int remainingKeys, long rowsLeft) {
  }

  private StoreBackend(String address, ClientConnection connection) {
    this.address = address;
    this.connection = connection;
    this.client = ReplicaBraid.newClient(connection);
  }

  /**
   * Connects to {@code HOST:PORT}.
   *
   * @throws IOException when the node cannot be reached
   */
  public static StoreBackend connect(String hostPort) throws IOException {
    return new StoreBackend(hostPort, ClientConnection.connect(hostPort));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception e) {
      // closing a broken connection: nothing more to do
    }
  }

  // ---- schema ----

  @Override
  public SchemaView schema() {
    return this;
  }

  /**
   * The node's schema, cached for {@link #SCHEMA_TTL_NANOS} (so that one statement's lookups cost
   * one DescribeSchema call, and changes made by other clients are seen by the next statement);
   * dropped after each schema statement of this shell.
   */
  private SchemaSnapshot snapshot() {
    SchemaSnapshot s = snapshot;
    long now = System.nanoTime();
    if (s == null || now - snapshotAt > SCHEMA_TTL_NANOS) {
      s = call("DescribeSchema",
          () -> client.describeSchema(DescribeSchemaRequest.getDefaultInstance()));
      snapshot = s;
      snapshotAt = now;
    }
    return s;
  }

  @Override
  public List<String> keyspaces() {
    return snapshot().getKeyspacesList().stream().map(KeyspaceDef::getName).sorted().toList();
  }

  @Override
  public Optional<KeyspaceMetadata> keyspace(String name) {
    return snapshot().getKeyspacesList().stream().filter(k -> k.getName().equals(name)).findFirst()
        .map(k -> new KeyspaceMetadata(k.getName(), k.getReplicationFactor(), Map.of("class",
            k.getReplicationClass(), "replication_factor",
            Integer.toString(k.getReplicationFactor()))));
  }

  @Override
  public List<TableMetadata> tables(String keyspace) {
    return snapshot().getTablesList().stream().filter(t -> t.getKeyspace().equals(keyspace))
        .map(StoreBackend::metadata).sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  private TableDef def(TableMetadata t) {
    return snapshot().getTablesList().stream().filter(d -> d.getKeyspace().equals(t.keyspace())
        && d.getName().equals(t.name())).findFirst().orElseThrow(() -> new ShellBackendException(
            "InvalidRequest", "unconfigured table " + t.qualifiedName(), null));
  }

  /** The binder's view of a store table. */
  static TableMetadata metadata(TableDef d) {
    List<TableMetadata.Column> cols = new ArrayList<>();
    int pk = 0;
    int ck = 0;
    for (ColumnDef c : d.getColumnsList()) {
      ClusteringType type = ClusteringType.byName(c.getType());
      switch (c.getKind()) {
        case PARTITION_KEY -> cols.add(new TableMetadata.Column(c.getName(), type,
            TableMetadata.Kind.PARTITION_KEY, pk++, ClusteringOrder.ASC));
        case CLUSTERING -> cols.add(new TableMetadata.Column(c.getName(), type,
            TableMetadata.Kind.CLUSTERING, ck++, c.getDescending() ? ClusteringOrder.DESC
                : ClusteringOrder.ASC));
        case STATIC -> cols.add(new TableMetadata.Column(c.getName(), type,
            TableMetadata.Kind.STATIC, 0, ClusteringOrder.ASC));
        default -> cols.add(new TableMetadata.Column(c.getName(), type,
            TableMetadata.Kind.REGULAR, 0, ClusteringOrder.ASC));
      }
    }
    return TableMetadata.of(d.getKeyspace(), d.getName(), cols);
  }

  /** The store's definition of a new table. */
  static TableDef def(TableMetadata t, boolean unused) {
    TableDef.Builder b = TableDef.newBuilder().setKeyspace(t.keyspace()).setName(t.name());
    for (TableMetadata.Column c : t.columns()) {
      ColumnKind kind = switch (c.kind()) {
        case PARTITION_KEY -> ColumnKind.PARTITION_KEY;
        case CLUSTERING -> ColumnKind.CLUSTERING;
        case STATIC -> ColumnKind.STATIC;
        case REGULAR -> ColumnKind.REGULAR;
      };
      b.addColumns(ColumnDef.newBuilder().setName(c.name()).setType(c.type().cqlName())
          .setKind(kind).setDescending(c.order() == ClusteringOrder.DESC));
    }
    return b.build();
  }

  @Override
  public String clusterStatus() {
    SchemaSnapshot s = snapshot();
    return "braid-store node " + address + ": UP (one node; " + s.getKeyspacesCount()
        + " keyspaces, " + s.getTablesCount() + " tables)";
  }

  // ---- execute ----

  @Override
  public Result execute(Plan plan, Options options) {
    List<String> trace = new ArrayList<>();
    trace.add("consistency " + options.consistency() + " (one node: " + address + ")");
    if (plan instanceof CreateKeyspacePlan c) {
      timed(trace, "CreateKeyspace", () -> client.createKeyspace(CreateKeyspaceRequest
          .newBuilder()
          .setKeyspace(KeyspaceDef.newBuilder().setName(c.keyspace().name())
              .setReplicationClass("SimpleStrategy")
              .setReplicationFactor(c.keyspace().replicationFactor()))
          .setIfNotExists(c.ifNotExists()).build()));
    } else if (plan instanceof DropKeyspacePlan d) {
      timed(trace, "DropKeyspace", () -> client.dropKeyspace(DropKeyspaceRequest.newBuilder()
          .setName(d.keyspace()).setIfExists(d.ifExists()).build()));
    } else if (plan instanceof CreateTablePlan c) {
      timed(trace, "CreateTable", () -> client.createTable(CreateTableRequest.newBuilder()
          .setTable(def(c.table(), true)).setIfNotExists(c.ifNotExists()).build()));
    } else if (plan instanceof DropTablePlan d) {
      timed(trace, "DropTable", () -> client.dropTable(DropTableRequest.newBuilder()
          .setKeyspace(d.keyspace()).setName(d.table()).setIfExists(d.ifExists()).build()));
    } else if (plan instanceof WritePlan w) {
      mutate(trace, write(w));
      return Result.empty(trace);
    } else if (plan instanceof DeletePlan d) {
      mutate(trace, delete(d));
      return Result.empty(trace);
    } else if (plan instanceof SelectPlan s) {
      return select(s, options, trace);
    } else {
      throw new IllegalArgumentException("not a backend plan: " + plan);
    }
    snapshot = null; // schema changed
    return Result.empty(trace);
  }

  private long timestamp(java.util.OptionalLong given) {
    if (given.isPresent()) {
      return given.getAsLong();
    }
    long now = Instant.now().toEpochMilli() * 1000;
    return lastMicros.updateAndGet(prev -> Math.max(prev + 1, now));
  }

  private static PartitionKey key(TableMetadata t, List<Object> values) {
    List<Bytes> parts = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      parts.add(Bytes.of(t.partitionKey().get(i).type().encode(values.get(i))));
    }
    return PartitionKey.of(parts.toArray(new Bytes[0]));
  }

  private static List<ByteString> clustering(TableMetadata t, ClusteringPrefix ck) {
    List<ByteString> out = new ArrayList<>();
    for (int i = 0; i < ck.size(); i++) {
      out.add(ByteString.copyFrom(t.clustering().get(i).type().encode(ck.get(i))));
    }
    return out;
  }

  private static int idOf(TableMetadata t, String column) {
    TableMetadata.Column c = t.column(column).orElseThrow();
    List<TableMetadata.Column> same = c.kind() == TableMetadata.Kind.STATIC ? t.staticColumns()
        : t.regularColumns();
    return same.indexOf(c);
  }

  private Cell cell(TableMetadata t, WritePlan.Cell c, long ts, int ttl) {
    Cell.Builder b = Cell.newBuilder().setColumn(idOf(t, c.column())).setTimestamp(ts);
    if (c.value() == null) {
      return b.setTombstone(true).build();
    }
    TableMetadata.Column col = t.column(c.column()).orElseThrow();
    return b.setValue(ByteString.copyFrom(col.type().encode(c.value()))).setTtl(ttl).build();
  }

  private List<Mutation> write(WritePlan w) {
    TableMetadata t = w.table();
    TableDef d = def(t);
    long ts = timestamp(w.timestamp());
    int ttl = w.ttl().orElse(0);
    List<Mutation> out = new ArrayList<>();
    for (List<Object> pk : w.partitionKeys()) {
      Mutation.Builder m = Mutation.newBuilder().setTableId(d.getId())
          .setKey(QueryCodec.encode(key(t, pk)));
      for (WritePlan.Cell c : w.cells()) {
        if (t.column(c.column()).orElseThrow().kind() == TableMetadata.Kind.STATIC) {
          m.addStaticCells(cell(t, c, ts, ttl));
        }
      }
      for (ClusteringPrefix ck : w.clusterings()) {
        Row.Builder r = Row.newBuilder().addAllClustering(clustering(t, ck));
        if (w.rowMarker()) {
          r.setMarker(LivenessInfo.newBuilder().setTimestamp(ts).setTtl(ttl));
        }
        for (WritePlan.Cell c : w.cells()) {
          if (t.column(c.column()).orElseThrow().kind() == TableMetadata.Kind.REGULAR) {
            r.addCells(cell(t, c, ts, ttl));
          }
        }
        m.addRows(r);
      }
      out.add(m.build());
    }
    return out;
  }

  private List<Mutation> delete(DeletePlan p) {
    TableMetadata t = p.table();
    TableDef d = def(t);
    long ts = timestamp(p.timestamp());
    DeletionTime del = DeletionTime.newBuilder().setMarkedForDeleteAt(ts).build();
    QueryCodec codec = QueryCodec.forSchema(t.clusteringSchema());
    List<Mutation> out = new ArrayList<>();
    for (List<Object> pk : p.partitionKeys()) {
      Mutation.Builder m = Mutation.newBuilder().setTableId(d.getId())
          .setKey(QueryCodec.encode(key(t, pk)));
      switch (p.kind()) {
        case PARTITION -> m.setPartitionDeletion(del);
        case ROWS -> p.rows().forEach(ck -> m.addRows(Row.newBuilder()
            .addAllClustering(clustering(t, ck)).setDeletion(del)));
        case RANGES -> {
          for (PositionRange r : p.ranges()) {
            m.addRangeTombstones(RangeTombstone.newBuilder().setRange(codec.encode(r))
                .setDeletion(del));
          }
        }
        case CELLS, STATIC_CELLS -> {
          for (String c : p.columns()) {
            WritePlan.Cell tomb = new WritePlan.Cell(c, null);
            if (t.column(c).orElseThrow().kind() == TableMetadata.Kind.STATIC) {
              m.addStaticCells(cell(t, tomb, ts, 0));
            }
          }
          for (ClusteringPrefix ck : p.rows()) {
            Row.Builder r = Row.newBuilder().addAllClustering(clustering(t, ck));
            for (String c : p.columns()) {
              if (t.column(c).orElseThrow().kind() == TableMetadata.Kind.REGULAR) {
                r.addCells(cell(t, new WritePlan.Cell(c, null), ts, 0));
              }
            }
            m.addRows(r);
          }
        }
        default -> throw new AssertionError(p.kind());
      }
      out.add(m.build());
    }
    return out;
  }

  private void mutate(List<String> trace, List<Mutation> ms) {
    if (ms.isEmpty()) {
      return;
    }
    MutateResponse r = timed(trace, "Mutate (" + ms.size() + " mutations)",
        () -> client.mutate(MutateRequest.newBuilder().addAllMutations(ms).build()));
    if (r.hasException()) {
      throw failure(r.getException());
    }
  }

  private Result select(SelectPlan s, Options o, List<String> trace) {
    TableMetadata t = s.table();
    List<Column> cols = s.selection().stream().map(x -> new Column(x.name(), x.type())).toList();
    PageState state;
    if (o.pagingState() != null) {
      state = pages.remove(ByteBuffer.wrap(o.pagingState()).getLong());
      if (state == null) {
        throw new ShellBackendException("InvalidRequest", "Invalid value for the paging state",
            null);
      }
    } else {
      state = new PageState(s, firstPage(s, 0), s.scan() ? 0 : s.partitionKeys().size() - 1,
          s.limit().isPresent() ? s.limit().getAsInt() : Long.MAX_VALUE);
    }
    TableDef d = def(t);
    TableSchema ts = TableSchema.load(d);
    List<List<Object>> rows = new ArrayList<>();
    long pageRows = o.pageSize() > 0 ? o.pageSize() : Long.MAX_VALUE;
    while (state != null && rows.size() < pageRows && state.rowsLeft() > 0) {
      long want = Math.min(pageRows - rows.size(), state.rowsLeft());
      ReadCommandV2 cmd = state.page().command().toBuilder().rowLimit(want).build();
      QueryCodec codec = QueryCodec.forSchema(cmd.slice().isReversed()
          ? t.clusteringSchema().reversed() : t.clusteringSchema());
      PartitionRange range = state.page().range();
      ReadDataResponse r = timed(trace, "ReadDataV2", () -> client.readDataV2(
          ReadDataV2Request.newBuilder().setCommand(codec.encode(cmd)).setRange(range).build()));
      if (r.hasException()) {
        throw failure(r.getException());
      }
      QueryResult q = r.getResult();
      int before = rows.size();
      addRows(s, q, rows);
      long left = state.rowsLeft() - (rows.size() - before);
      Optional<Paging.Page> next = Paging.next(ts, cmd, range,
          q.hasLastPosition() ? q.getLastPosition() : null);
      if (next.isPresent() && left > 0) {
        state = new PageState(s, next.get(), state.remainingKeys(), left);
      } else if (state.remainingKeys() > 0 && left > 0) {
        int idx = s.partitionKeys().size() - state.remainingKeys();
        state = new PageState(s, firstPage(s, idx), state.remainingKeys() - 1, left);
      } else {
        state = null;
      }
    }
    byte[] handle = null;
    if (state != null && state.rowsLeft() > 0) {
      if (pages.size() >= MAX_OPEN_PAGES) {
        pages.clear(); // abandoned pagers: bounded memory
      }
      long id = pageIds.incrementAndGet();
      pages.put(id, state);
      handle = ByteBuffer.allocate(8).putLong(id).array();
    }
    return new Result(cols, rows, handle, trace);
  }

  /** The command and range reading partition {@code index} of the plan (or the scan). */
  private Paging.Page firstPage(SelectPlan s, int index) {
    TableMetadata t = s.table();
    TableDef d = def(t);
    List<Integer> statics = new ArrayList<>();
    List<Integer> regulars = new ArrayList<>();
    for (SelectPlan.Selected x : s.selection()) {
      if (x.isToken()) {
        continue;
      }
      TableMetadata.Column c = t.column(x.column()).orElseThrow();
      if (c.kind() == TableMetadata.Kind.STATIC && !statics.contains(idOf(t, c.name()))) {
        statics.add(idOf(t, c.name()));
      } else if (c.kind() == TableMetadata.Kind.REGULAR && !regulars.contains(idOf(t, c.name()))) {
        regulars.add(idOf(t, c.name()));
      }
    }
    statics.sort(null);
    regulars.sort(null);
    PartitionSliceV2.Builder b = PartitionSliceV2.builder().defaultRowRanges(s.positionRanges())
        .staticColumns(statics).regularColumns(regulars)
        .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY, SliceOption.SEND_PARTITION_KEY));
    if (s.perPartitionLimit().isPresent()) {
      b.partitionRowLimit(s.perPartitionLimit().getAsInt());
    }
    PartitionSliceV2 slice = b.build();
    java.util.UUID version = TableSchema.Uuids.fromProto(d.getVersion());
    java.util.UUID id = TableSchema.Uuids.fromProto(d.getId());
    if (s.reversed()) {
      slice = slice.reversed();
      version = dev.braid.query.ReadCommand.reversedSchemaVersion(version);
    }
    ReadCommandV2 cmd = ReadCommandV2.builder().tableId(id).schemaVersion(version).slice(slice)
        // the store's command timestamps are whole seconds (Cassandra's nowInSec)
        .timestamp(Instant.ofEpochSecond(Instant.now().getEpochSecond())).build();
    PartitionRange range = s.scan() ? PartitionRanges.all()
        : PartitionRanges.singlePartition(key(t, s.partitionKeys().get(index)));
    return new Paging.Page(cmd, range);
  }

  private void addRows(SelectPlan s, QueryResult q, List<List<Object>> out) {
    TableMetadata t = s.table();
    List<String> statics = new ArrayList<>();
    List<String> regulars = new ArrayList<>();
    for (TableMetadata.Column c : t.staticColumns()) {
      if (s.selectedColumns().contains(c.name())) {
        statics.add(c.name());
      }
    }
    for (TableMetadata.Column c : t.regularColumns()) {
      if (s.selectedColumns().contains(c.name())) {
        regulars.add(c.name());
      }
    }
    for (ResultPartition p : q.getPartitionsList()) {
      PartitionKey pk = QueryCodec.decode(p.getKey());
      List<Object> pkValues = new ArrayList<>();
      for (int i = 0; i < t.partitionKey().size(); i++) {
        pkValues.add(t.partitionKey().get(i).type().decode(pk.components().get(i).toByteArray()));
      }
      Map<String, Object> staticValues = new HashMap<>();
      for (int i = 0; i < statics.size() && i < p.getStaticCellsCount(); i++) {
        staticValues.put(statics.get(i), value(t, statics.get(i), p.getStaticCells(i)));
      }
      if (p.getRowsCount() == 0) {
        out.add(row(s, pk, pkValues, null, Map.of(), staticValues));
      }
      for (ResultRow r : p.getRowsList()) {
        List<Object> ck = new ArrayList<>();
        for (int i = 0; i < r.getClusteringCount(); i++) {
          ck.add(t.clustering().get(i).type().decode(r.getClustering(i).toByteArray()));
        }
        Map<String, Object> cells = new HashMap<>();
        for (int i = 0; i < regulars.size() && i < r.getCellsCount(); i++) {
          cells.put(regulars.get(i), value(t, regulars.get(i), r.getCells(i)));
        }
        out.add(row(s, pk, pkValues, ck, cells, staticValues));
      }
    }
  }

  private static Object value(TableMetadata t, String column, ResultCell c) {
    return c.getPresent() ? t.column(column).orElseThrow().type().decode(c.getValue().toByteArray())
        : null;
  }

  private static List<Object> row(SelectPlan s, PartitionKey pk, List<Object> pkValues,
      List<Object> ck, Map<String, Object> cells, Map<String, Object> statics) {
    TableMetadata t = s.table();
    List<Object> out = new ArrayList<>();
    for (SelectPlan.Selected x : s.selection()) {
      if (x.isToken()) {
        out.add(Murmur3Token.token(pk));
        continue;
      }
      TableMetadata.Column c = t.column(x.column()).orElseThrow();
      out.add(switch (c.kind()) {
        case PARTITION_KEY -> pkValues.get(c.position());
        case CLUSTERING -> ck == null ? null : ck.get(c.position());
        case STATIC -> statics.get(c.name());
        case REGULAR -> cells.get(c.name());
      });
    }
    return out;
  }

  // ---- calls ----

  private interface Call<T> {
    T run() throws Exception;
  }

  private <T> T call(String verb, Call<T> c) {
    try {
      return c.run();
    } catch (dev.braid.rpc.StatusException e) {
      throw new ShellBackendException(e.code() == dev.braid.rpc.Code.INVALID_ARGUMENT
          ? "InvalidRequest" : "ServerError", verb + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ShellBackendException("NoHostAvailable", verb + " to " + address + " failed: "
          + e, e);
    }
  }

  private <T> T timed(List<String> trace, String verb, Call<T> c) {
    long t0 = System.nanoTime();
    T r = call(verb, c);
    trace.add(verb + " -> " + address + " " + (System.nanoTime() - t0) / 1000 + " us");
    return r;
  }

  private static ShellBackendException failure(ReplicaException e) {
    return new ShellBackendException(e.getReasonCase().name(), e.getMessage(), null);
  }
}
