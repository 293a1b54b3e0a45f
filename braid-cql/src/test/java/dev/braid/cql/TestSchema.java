package dev.braid.cql;

import dev.braid.cql.schema.KeyspaceMetadata;
import dev.braid.cql.schema.SchemaView;
import dev.braid.cql.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A mutable in-memory schema for tests. */
final class TestSchema implements SchemaView {
  private final Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
  private final Map<String, Map<String, TableMetadata>> tables = new TreeMap<>();

  TestSchema addKeyspace(String name) {
    keyspaces.put(name, new KeyspaceMetadata(name, 1, Map.of("class", "SimpleStrategy")));
    tables.putIfAbsent(name, new TreeMap<>());
    return this;
  }

  TestSchema table(TableMetadata t) {
    addKeyspace(t.keyspace());
    tables.get(t.keyspace()).put(t.name(), t);
    return this;
  }

  /** Creates tables by running CREATE TABLE statements through the binder. */
  TestSchema create(String ks, String... statements) {
    addKeyspace(ks);
    for (String s : statements) {
      var plan = (dev.braid.cql.plan.CreateTablePlan) Cql.prepare(s, this, ks);
      table(plan.table());
    }
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
    return new ArrayList<>(tables.getOrDefault(keyspace, Map.of()).values());
  }
}
