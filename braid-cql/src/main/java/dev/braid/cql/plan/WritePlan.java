package dev.braid.cql.plan;

import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.ClusteringPrefix;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code INSERT} or {@code UPDATE}: the same cells written to every row named by the cross
 * product of {@link #partitionKeys()} and {@link #clusterings()}.
 *
 * @param table         the table
 * @param insert        true for INSERT (which writes the row marker), false for UPDATE
 * @param partitionKeys the partition keys, each one typed value per partition-key column
 * @param clusterings   full clustering keys ({@link ClusteringPrefix#empty()} for a table without
 *                      clustering columns); empty when only static columns are written
 * @param cells         the cells; a null value writes a cell tombstone
 * @param timestamp     {@code USING TIMESTAMP} (µs), absent to let the server choose
 * @param ttl           {@code USING TTL} in seconds (0 = none), absent when not given
 */
public record WritePlan(TableMetadata table, boolean insert, List<List<Object>> partitionKeys,
    List<ClusteringPrefix> clusterings, List<Cell> cells, OptionalLong timestamp,
    OptionalInt ttl) implements Plan {
  /**
   * A written cell.
   *
   * @param column the column name
   * @param value  the typed value, or null for a tombstone
   */
  public record Cell(String column, Object value) {
    /** Validates. */
    public Cell {
      Objects.requireNonNull(column, "column");
    }
  }

  /** Copies the lists. */
  public WritePlan {
    partitionKeys = partitionKeys.stream().map(k -> List.copyOf(k)).toList();
    clusterings = List.copyOf(clusterings);
    cells = List.copyOf(cells);
  }

  /** Whether only static columns are written (no clustering row, no row marker). */
  public boolean staticOnly() {
    return clusterings.isEmpty();
  }

  /** Whether the write carries a row marker: INSERT of a clustering row. */
  public boolean rowMarker() {
    return insert && !clusterings.isEmpty();
  }
}
