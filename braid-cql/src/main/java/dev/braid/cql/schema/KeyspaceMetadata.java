package dev.braid.cql.schema;

import java.util.Map;
import java.util.Objects;

/**
 * A keyspace: its name and replication options.
 *
 * @param name              the keyspace name
 * @param replicationFactor the replication factor
 * @param replication       the replication map as given, e.g. {@code class -> SimpleStrategy}
 */
public record KeyspaceMetadata(String name, int replicationFactor, Map<String, String> replication) {
  /** Validates and copies. */
  public KeyspaceMetadata {
    Objects.requireNonNull(name, "name");
    replication = Map.copyOf(replication);
  }

  /** The CREATE KEYSPACE statement of this keyspace. */
  public String toCql() {
    return "CREATE KEYSPACE " + TableMetadata.quote(name)
        + " WITH replication = {'class': '"
        + replication.getOrDefault("class", "SimpleStrategy")
        + "', 'replication_factor': '" + replicationFactor + "'};";
  }
}
