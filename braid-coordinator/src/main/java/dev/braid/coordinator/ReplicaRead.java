package dev.braid.coordinator;

import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.store.TableSchema;
import dev.braid.store.proto.PartitionRange;

/**
 * One read as the coordinator sends it to a replica: the command in its v2 form (the
 * coordinator's native form) and the partition range. A v1 verb sends {@link #legacy()}.
 *
 * @param table the table's schema (for the v1 conversion and for paging)
 * @param command the command (position ranges)
 * @param range the partition range
 */
public record ReplicaRead(TableSchema table, ReadCommandV2 command, PartitionRange range) {
  /** The v1 form of the command (legacy clustering ranges). */
  public ReadCommand legacy() {
    boolean reversed = command.slice().isReversed();
    return command.toLegacy(reversed ? table.clusteringSchema().reversed()
        : table.clusteringSchema());
  }

  /** The same read with another command. */
  public ReplicaRead with(ReadCommandV2 cmd) {
    return new ReplicaRead(table, cmd, range);
  }
}
