package dev.braid.shell;

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
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory fake of a store for shell tests: physical writes and deletes (no timestamps, no
 * TTL), rows ordered by the table's clustering schema, reads that walk the plan's position
 * ranges (forward, or the native reversed ranges under the reversed schema), limits, the
 * static-row rule, and paging by row offset. Not the real store.
 */
final class FakeBackend implements ShellBackend, SchemaView {
  private final Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
  private final Map<String, TableMetadata> tables = new TreeMap<>();
  private final Map<String, Map<List<Object>, Partition>> data = new HashMap<>();
  final List<Plan> executed = new ArrayList<>();

  static final class Partition {
    final Map<String, Object> statics = new LinkedHashMap<>();
    final TreeMap<ClusteringPrefix, Map<String, Object>> rows;

    Partition(ClusteringSchema cs) {
      rows = new TreeMap<>((a, b) -> cs.compare(PositionInPartition.forKey(a),
          PositionInPartition.forKey(b)));
    }
  }

  @Override
  public SchemaView schema() {
    return this;
  }

  @Override
  public List<String> keyspaces() {
    return new ArrayList<>(keyspaces.keySet());
  }

  @Override
  public Optional<KeyspaceMetadata> keyspace(String name) {
    return Optional.ofNullable(keyspaces.get(name));
  }

  @Override
  public List<TableMetadata> tables(String keyspace) {
    return tables.values().stream().filter(t -> t.keyspace().equals(keyspace)).toList();
  }

  @Override
  public String clusterStatus() {
    return "fake: 1 node, UN 127.0.0.1";
  }

  @Override
  public Result execute(Plan plan, Options options) {
    executed.add(plan);
    List<String> trace = List.of("fake " + plan.getClass().getSimpleName() + " at "
        + options.consistency() + " (1 us)");
    if (plan instanceof CreateKeyspacePlan c) {
      if (keyspaces.containsKey(c.keyspace().name()) && !c.ifNotExists()) {
        throw new ShellBackendException("AlreadyExists", "Keyspace " + c.keyspace().name()
            + " already exists", null);
      }
      keyspaces.putIfAbsent(c.keyspace().name(), c.keyspace());
    } else if (plan instanceof DropKeyspacePlan d) {
      keyspaces.remove(d.keyspace());
      tables.keySet().removeIf(k -> k.startsWith(d.keyspace() + "."));
    } else if (plan instanceof CreateTablePlan c) {
      tables.putIfAbsent(c.table().qualifiedName(), c.table());
      data.putIfAbsent(c.table().qualifiedName(), new LinkedHashMap<>());
    } else if (plan instanceof DropTablePlan d) {
      tables.remove(d.keyspace() + "." + d.table());
      data.remove(d.keyspace() + "." + d.table());
    } else if (plan instanceof WritePlan w) {
      write(w);
    } else if (plan instanceof DeletePlan d) {
      delete(d);
    } else if (plan instanceof SelectPlan s) {
      return select(s, options, trace);
    } else {
      throw new IllegalArgumentException("unexpected plan " + plan);
    }
    return Result.empty(trace);
  }

  private Partition partition(TableMetadata t, List<Object> key) {
    return data.get(t.qualifiedName()).computeIfAbsent(key,
        k -> new Partition(t.clusteringSchema()));
  }

  private void write(WritePlan w) {
    for (List<Object> pk : w.partitionKeys()) {
      Partition p = partition(w.table(), pk);
      for (WritePlan.Cell c : w.cells()) {
        if (w.table().column(c.column()).orElseThrow().kind() == TableMetadata.Kind.STATIC) {
          p.statics.put(c.column(), c.value());
        }
      }
      for (ClusteringPrefix ck : w.clusterings()) {
        Map<String, Object> row = p.rows.get(ck);
        if (row == null) {
          if (!w.insert() && w.cells().stream().allMatch(c -> c.value() == null)) {
            continue;
          }
          row = new HashMap<>();
          p.rows.put(ck, row);
        }
        for (WritePlan.Cell c : w.cells()) {
          if (w.table().column(c.column()).orElseThrow().kind() == TableMetadata.Kind.REGULAR) {
            row.put(c.column(), c.value());
          }
        }
      }
    }
  }

  private void delete(DeletePlan d) {
    ClusteringSchema cs = d.table().clusteringSchema();
    for (List<Object> pk : d.partitionKeys()) {
      Partition p = partition(d.table(), pk);
      switch (d.kind()) {
        case PARTITION -> data.get(d.table().qualifiedName()).remove(pk);
        case ROWS -> d.rows().forEach(p.rows::remove);
        case RANGES -> p.rows.keySet().removeIf(k -> d.ranges().stream()
            .anyMatch(r -> r.contains(cs, PositionInPartition.forKey(k))));
        case CELLS -> {
          for (ClusteringPrefix k : d.rows()) {
            Map<String, Object> row = p.rows.get(k);
            for (String c : d.columns()) {
              if (row != null) {
                row.put(c, null);
              }
              if (p.statics.containsKey(c)) {
                p.statics.put(c, null);
              }
            }
          }
        }
        case STATIC_CELLS -> d.columns().forEach(c -> p.statics.put(c, null));
        default -> throw new AssertionError(d.kind());
      }
    }
  }

  /** A fake token: not Murmur3 (that is the store's job), just a stable order for scans. */
  static long fakeToken(List<Object> key) {
    return Arrays.hashCode(key.stream().map(String::valueOf).toArray());
  }

  private Result select(SelectPlan s, Options o, List<String> trace) {
    TableMetadata t = s.table();
    Map<List<Object>, Partition> table = data.get(t.qualifiedName());
    List<List<Object>> keys = new ArrayList<>(s.scan() ? table.keySet() : s.partitionKeys());
    if (s.scan()) {
      keys.sort((a, b) -> Long.compare(fakeToken(a), fakeToken(b)));
    }
    ClusteringSchema cs = s.reversed() ? t.clusteringSchema().reversed() : t.clusteringSchema();
    List<PositionRange> ranges = s.nativeReversedRanges();
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> pk : keys) {
      Partition p = table.get(pk);
      if (p == null) {
        continue;
      }
      List<ClusteringPrefix> cks = new ArrayList<>(s.reversed() ? p.rows.descendingKeySet()
          : p.rows.keySet());
      int inPartition = 0;
      for (PositionRange r : ranges) {
        for (ClusteringPrefix ck : cks) {
          if (r.contains(cs, PositionInPartition.forKey(ck))
              && s.perPartitionLimit().orElse(Integer.MAX_VALUE) > inPartition) {
            rows.add(row(s, pk, ck, p.rows.get(ck), p.statics));
            inPartition++;
          }
        }
      }
      boolean liveStatics = p.statics.values().stream().anyMatch(v -> v != null);
      if (inPartition == 0 && liveStatics && !s.hasClusteringRestriction()) {
        rows.add(row(s, pk, null, Map.of(), p.statics));
      }
    }
    if (s.limit().isPresent() && rows.size() > s.limit().getAsInt()) {
      rows = rows.subList(0, s.limit().getAsInt());
    }
    List<Column> cols = s.selection().stream().map(x -> new Column(x.name(), x.type())).toList();
    if (o.pageSize() > 0) {
      int from = o.pagingState() == null ? 0 : ByteBuffer.wrap(o.pagingState()).getInt();
      int to = Math.min(rows.size(), from + o.pageSize());
      byte[] next = to < rows.size() ? ByteBuffer.allocate(4).putInt(to).array() : null;
      return new Result(cols, rows.subList(from, to), next, trace);
    }
    return new Result(cols, rows, null, trace);
  }

  private static List<Object> row(SelectPlan s, List<Object> pk, ClusteringPrefix ck,
      Map<String, Object> cells, Map<String, Object> statics) {
    List<Object> out = new ArrayList<>();
    TableMetadata t = s.table();
    for (SelectPlan.Selected x : s.selection()) {
      if (x.isToken()) {
        out.add(fakeToken(pk));
        continue;
      }
      TableMetadata.Column c = t.column(x.column()).orElseThrow();
      out.add(switch (c.kind()) {
        case PARTITION_KEY -> pk.get(c.position());
        case CLUSTERING -> ck == null ? null : ck.get(c.position());
        case STATIC -> statics.get(c.name());
        case REGULAR -> cells.get(c.name());
      });
    }
    return out;
  }
}
