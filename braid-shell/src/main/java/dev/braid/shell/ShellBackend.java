package dev.braid.shell;

import dev.braid.cql.plan.Consistency;
import dev.braid.cql.plan.Plan;
import dev.braid.cql.plan.ShellPlan;
import dev.braid.cql.schema.KeyspaceMetadata;
import dev.braid.cql.schema.SchemaView;
import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.ClusteringType;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What the shell runs statements against: a store node, a cluster coordinator, or a fake in
 * tests. The shell parses and binds statements itself (against {@link #schema()}) and hands
 * the resulting plans here; shell settings (paging, tracing, consistency, the current keyspace)
 * arrive as {@link Options}.
 *
 * <p>Threading: the shell calls a backend from one thread at a time.
 */
public interface ShellBackend extends AutoCloseable {
  /** The schema the shell binds statements against and completes names from. */
  SchemaView schema();

  /**
   * Executes a schema, write, delete or select plan ({@link dev.braid.cql.plan.CreateKeyspacePlan},
   * {@link dev.braid.cql.plan.DropKeyspacePlan}, {@link dev.braid.cql.plan.CreateTablePlan},
   * {@link dev.braid.cql.plan.DropTablePlan}, {@link dev.braid.cql.plan.WritePlan}, {@link
   * dev.braid.cql.plan.DeletePlan}, {@link dev.braid.cql.plan.SelectPlan}); never a {@link
   * ShellPlan} or a {@link dev.braid.cql.plan.UsePlan}.
   *
   * @return the result: rows for a select (one page when {@link Options#pageSize()} &gt; 0),
   *     no columns otherwise
   * @throws ShellBackendException when the backend refuses or fails the request
   */
  Result execute(Plan plan, Options options);

  /** The text {@code SHOW CLUSTER} prints (node status). */
  String clusterStatus();

  /**
   * The text {@code DESCRIBE} prints. The default renders it from {@link #schema()}.
   *
   * @throws ShellBackendException when the keyspace or table does not exist
   */
  default String describe(ShellPlan.Describe d) {
    SchemaView s = schema();
    switch (d.kind()) {
      case KEYSPACES:
        return String.join("  ", s.keyspaces());
      case TABLES: {
        StringJoiner out = new StringJoiner("\n\n");
        for (String ks : d.keyspace() == null ? s.keyspaces() : List.of(d.keyspace())) {
          StringJoiner names = new StringJoiner("  ");
          s.tables(ks).forEach(t -> names.add(t.name()));
          out.add("Keyspace " + ks + "\n" + "-".repeat(9 + ks.length()) + "\n" + names);
        }
        return out.toString();
      }
      case KEYSPACE: {
        KeyspaceMetadata k = s.keyspace(d.keyspace())
            .orElseThrow(() -> new ShellBackendException("Keyspace '" + d.keyspace() + "' not found"));
        StringJoiner out = new StringJoiner("\n\n");
        out.add(k.toCql());
        s.tables(k.name()).forEach(t -> out.add(t.toCql()));
        return out.toString();
      }
      default:
        return s.table(d.keyspace(), d.table()).map(TableMetadata::toCql)
            .orElseThrow(() -> new ShellBackendException("Table '" + d.keyspace() + "."
                + d.table() + "' not found"));
    }
  }

  /** Releases the backend's resources (connections). */
  @Override
  default void close() {
  }

  /**
   * How to execute a plan.
   *
   * @param consistency the consistency level
   * @param pageSize    rows per page for selects; 0 = no paging (everything at once)
   * @param pagingState where the previous page ended (opaque, from {@link
   *                    Result#pagingState()}), or null for the first page
   * @param tracing     whether to return trace lines
   */
  record Options(Consistency consistency, int pageSize, byte[] pagingState, boolean tracing) {
    /** Validates. */
    public Options {
      Objects.requireNonNull(consistency, "consistency");
      if (pageSize < 0) {
        throw new IllegalArgumentException("pageSize < 0");
      }
    }
  }

  /**
   * A result column.
   *
   * @param name the column name as selected
   * @param type its value type
   */
  record Column(String name, ClusteringType type) {
  }

  /**
   * What a plan returned.
   *
   * @param columns     the result columns (empty for statements without rows)
   * @param rows        the rows, each one value per column (null = absent), Java types as in
   *                    {@link ClusteringType}
   * @param pagingState where to continue, or null when there are no more pages
   * @param trace       trace lines (the verbs used and their latency) when tracing was on
   */
  record Result(List<Column> columns, List<List<Object>> rows, byte[] pagingState,
      List<String> trace) {
    /** Copies the lists (rows may hold nulls). */
    public Result {
      columns = List.copyOf(columns);
      rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(
          new java.util.ArrayList<>(r))).toList();
      trace = List.copyOf(trace);
    }

    /** A result without rows. */
    public static Result empty(List<String> trace) {
      return new Result(List.of(), List.of(), null, trace);
    }
  }
}
