package dev.braid.cql.schema;

import java.util.List;
import java.util.Optional;

/**
 * What the binder needs to know about the schema: keyspaces and their tables. Implementations
 * answer from whatever holds the schema (a store, a fake, a cached copy).
 */
public interface SchemaView {
  /** The keyspace names, sorted. */
  List<String> keyspaces();

  /** The keyspace named {@code name}, if it exists. */
  Optional<KeyspaceMetadata> keyspace(String name);

  /** The tables of {@code keyspace}, sorted by name (empty if it does not exist). */
  List<TableMetadata> tables(String keyspace);

  /** The table {@code keyspace.name}, if it exists. */
  default Optional<TableMetadata> table(String keyspace, String name) {
    return tables(keyspace).stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
