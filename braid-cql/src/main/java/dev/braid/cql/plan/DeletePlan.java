package dev.braid.cql.plan;

import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.PositionRange;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code DELETE}, in the form Cassandra's DeleteStatement gives it.
 *
 * @param table            the table
 * @param partitionKeys    the partition keys (one typed value per partition-key column)
 * @param kind             what is deleted
 * @param rows             for {@link Kind#ROWS} and {@link Kind#CELLS}: full clustering keys
 * @param clusteringRanges for {@link Kind#RANGES}: the legacy ranges, in clustering order
 * @param ranges           for {@link Kind#RANGES}: the same as position ranges (the range
 *                         tombstones); for {@link Kind#ROWS} each row as {@code [before(k),
 *                         after(k))}; empty otherwise
 * @param columns          for {@link Kind#CELLS} and {@link Kind#STATIC_CELLS}: the columns
 * @param timestamp        {@code USING TIMESTAMP} (µs), absent to let the server choose
 */
public record DeletePlan(TableMetadata table, List<List<Object>> partitionKeys, Kind kind,
    List<ClusteringPrefix> rows, List<ClusteringRange> clusteringRanges, List<PositionRange> ranges,
    List<String> columns, OptionalLong timestamp) implements Plan {
  /** What a DELETE removes. */
  public enum Kind {
    /** The whole partition (a partition tombstone; covers the static row). */
    PARTITION,
    /** Whole rows with full clustering keys (row tombstones). */
    ROWS,
    /** Range tombstones over clustering ranges (never the static row). */
    RANGES,
    /** Named cells of full rows (cell tombstones; static columns among them hit the static row). */
    CELLS,
    /** Named static cells of the partitions (only the partition key is restricted). */
    STATIC_CELLS
  }

  /** Copies the lists. */
  public DeletePlan {
    partitionKeys = partitionKeys.stream().map(k -> List.copyOf(k)).toList();
    rows = List.copyOf(rows);
    clusteringRanges = List.copyOf(clusteringRanges);
    ranges = List.copyOf(ranges);
    columns = List.copyOf(columns);
  }
}
