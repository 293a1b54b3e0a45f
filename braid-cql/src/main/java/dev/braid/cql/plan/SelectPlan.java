package dev.braid.cql.plan;

import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringType;
import dev.braid.query.PositionRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code SELECT}: which partitions, which rows of each, which columns, in which order.
 *
 * <p>Rows: {@link #positionRanges()} are sorted in clustering order, pairwise disjoint and
 * non-empty; {@link #clusteringRanges()} are the same ranges in legacy form (one per position
 * range, as Cassandra and ScyllaDB build them, "inverted" shapes such as {@code [(5,6,7), (5,6)]}
 * included). An empty list selects no clustering row. For a reversed read, {@link
 * #nativeReversedRanges()} gives the native reversed layout to be read under the reversed schema.
 *
 * @param table                    the table
 * @param partitionKeys            the partition keys in IN order, duplicates removed (each one
 *                                 typed value per partition-key column); empty for a scan
 * @param scan                     whether the partition key is unrestricted (a scan in token order)
 * @param selection                the selected columns in order
 * @param clusteringRanges         legacy ranges in clustering order
 * @param positionRanges           position ranges in clustering order
 * @param hasClusteringRestriction whether the WHERE clause restricts clustering columns (the
 *                                 static-row rule: without one, a partition with a live static
 *                                 row and no live rows returns one row of statics)
 * @param reversed                 whether rows come in reverse clustering order (ORDER BY)
 * @param orderBy                  whether ORDER BY was given
 * @param perPartitionLimit        PER PARTITION LIMIT, if given
 * @param limit                    LIMIT, if given
 */
public record SelectPlan(TableMetadata table, List<List<Object>> partitionKeys, boolean scan,
    List<Selected> selection, List<ClusteringRange> clusteringRanges,
    List<PositionRange> positionRanges, boolean hasClusteringRestriction, boolean reversed,
    boolean orderBy, OptionalInt perPartitionLimit, OptionalInt limit) implements Plan {

  /**
   * A selected item: a column, or {@code token(pk...)} (type bigint).
   *
   * @param name   the result column name ({@code token(k)} for the token)
   * @param column the column name, or null for the token
   * @param type   the value type
   */
  public record Selected(String name, String column, ClusteringType type) {
    /** Whether this is {@code token(...)}. */
    public boolean isToken() {
      return column == null;
    }
  }

  /** Copies the lists. */
  public SelectPlan {
    partitionKeys = partitionKeys.stream().map(k -> List.copyOf(k)).toList();
    selection = List.copyOf(selection);
    clusteringRanges = List.copyOf(clusteringRanges);
    positionRanges = List.copyOf(positionRanges);
  }

  /**
   * The ranges as a reversed read sends them (ScyllaDB's native layout): the list in reverse
   * order, each {@code [s, e)} as {@code [e.reversed(), s.reversed())}, to be compared under
   * {@code table().clusteringSchema().reversed()}. For a forward read, {@link #positionRanges()}.
   */
  public List<PositionRange> nativeReversedRanges() {
    if (!reversed) {
      return positionRanges;
    }
    List<PositionRange> out = new ArrayList<>();
    for (PositionRange r : positionRanges) {
      out.add(r.reversed());
    }
    Collections.reverse(out);
    return List.copyOf(out);
  }

  /** The column names this read needs from the store (the token needs none). */
  public List<String> selectedColumns() {
    return selection.stream().filter(s -> !s.isToken()).map(Selected::column).distinct().toList();
  }
}
