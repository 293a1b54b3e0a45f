package dev.braid.cql.schema;

import dev.braid.query.ClusteringColumn;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A table as the CQL binder sees it: keyspace, name and columns, each a partition-key,
 * clustering, static or regular column with a {@link ClusteringType} (every kind of column uses
 * those types) and, for clustering columns, an order. Immutable.
 *
 * <p>Columns are kept in the order partition key, clustering columns, then the others in their
 * declared order.
 */
public final class TableMetadata {
  /** The kind of a column. */
  public enum Kind {
    /** Part of the partition key. */
    PARTITION_KEY,
    /** A clustering column. */
    CLUSTERING,
    /** A static column: one value per partition. */
    STATIC,
    /** A regular column. */
    REGULAR
  }

  /**
   * A column.
   *
   * @param name     the column name (case kept as declared; unquoted names are lower case)
   * @param type     the value type
   * @param kind     partition key, clustering, static or regular
   * @param position index within its kind (partition-key or clustering position; 0 otherwise)
   * @param order    ASC or DESC for clustering columns, ASC for the others
   */
  public record Column(String name, ClusteringType type, Kind kind, int position,
      ClusteringOrder order) {
    /** Validates the components. */
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(order, "order");
    }

    /** Whether this column is part of the primary key. */
    public boolean isPrimaryKey() {
      return kind == Kind.PARTITION_KEY || kind == Kind.CLUSTERING;
    }
  }

  private final String keyspace;
  private final String name;
  private final List<Column> columns;
  private final List<Column> partitionKey;
  private final List<Column> clustering;
  private final ClusteringSchema clusteringSchema;

  private TableMetadata(String keyspace, String name, List<Column> columns) {
    this.keyspace = keyspace;
    this.name = name;
    List<Column> pk = new ArrayList<>();
    List<Column> ck = new ArrayList<>();
    List<Column> rest = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Column c : columns) {
      if (!names.add(c.name())) {
        throw new IllegalArgumentException("duplicate column " + c.name());
      }
      switch (c.kind()) {
        case PARTITION_KEY -> pk.add(c);
        case CLUSTERING -> ck.add(c);
        default -> rest.add(c);
      }
    }
    if (pk.isEmpty()) {
      throw new IllegalArgumentException("a table needs a partition key");
    }
    pk.sort((a, b) -> Integer.compare(a.position(), b.position()));
    ck.sort((a, b) -> Integer.compare(a.position(), b.position()));
    for (int i = 0; i < pk.size(); i++) {
      if (pk.get(i).position() != i) {
        throw new IllegalArgumentException("partition key positions must be 0.." + (pk.size() - 1));
      }
    }
    for (int i = 0; i < ck.size(); i++) {
      if (ck.get(i).position() != i) {
        throw new IllegalArgumentException("clustering positions must be 0.." + (ck.size() - 1));
      }
    }
    List<Column> all = new ArrayList<>(pk);
    all.addAll(ck);
    all.addAll(rest);
    this.columns = List.copyOf(all);
    this.partitionKey = List.copyOf(pk);
    this.clustering = List.copyOf(ck);
    this.clusteringSchema = ClusteringSchema.of(
        ck.stream().map(c -> new ClusteringColumn(c.type(), c.order())).toList());
  }

  /**
   * A table.
   *
   * @throws IllegalArgumentException for duplicate names, no partition key or bad positions
   */
  public static TableMetadata of(String keyspace, String name, List<Column> columns) {
    return new TableMetadata(Objects.requireNonNull(keyspace, "keyspace"),
        Objects.requireNonNull(name, "name"), columns);
  }

  /** The keyspace. */
  public String keyspace() {
    return keyspace;
  }

  /** The table name. */
  public String name() {
    return name;
  }

  /** {@code keyspace.name}. */
  public String qualifiedName() {
    return keyspace + "." + name;
  }

  /** All columns: partition key, clustering, then the others as declared. */
  public List<Column> columns() {
    return columns;
  }

  /** The partition-key columns in order. */
  public List<Column> partitionKey() {
    return partitionKey;
  }

  /** The clustering columns in order. */
  public List<Column> clustering() {
    return clustering;
  }

  /** The static columns. */
  public List<Column> staticColumns() {
    return columns.stream().filter(c -> c.kind() == Kind.STATIC).toList();
  }

  /** The regular columns. */
  public List<Column> regularColumns() {
    return columns.stream().filter(c -> c.kind() == Kind.REGULAR).toList();
  }

  /** The clustering columns as a braid-query schema (types and orders). */
  public ClusteringSchema clusteringSchema() {
    return clusteringSchema;
  }

  /** The column named {@code name} (exact, case-sensitive), if any. */
  public Optional<Column> column(String name) {
    for (Column c : columns) {
      if (c.name().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The CREATE TABLE statement of this table (as DESCRIBE prints it). */
  public String toCql() {
    StringBuilder b = new StringBuilder();
    b.append("CREATE TABLE ").append(quote(keyspace)).append('.').append(quote(name))
        .append(" (\n");
    for (Column c : columns) {
      b.append("    ").append(quote(c.name())).append(' ').append(c.type().cqlName());
      if (c.kind() == Kind.STATIC) {
        b.append(" static");
      }
      b.append(",\n");
    }
    b.append("    PRIMARY KEY (");
    StringJoiner pk = new StringJoiner(", ", partitionKey.size() > 1 ? "(" : "",
        partitionKey.size() > 1 ? ")" : "");
    partitionKey.forEach(c -> pk.add(quote(c.name())));
    b.append(pk);
    for (Column c : clustering) {
      b.append(", ").append(quote(c.name()));
    }
    b.append(")\n)");
    if (!clustering.isEmpty()) {
      StringJoiner o = new StringJoiner(", ");
      clustering.forEach(c -> o.add(quote(c.name()) + " " + c.order()));
      b.append(" WITH CLUSTERING ORDER BY (").append(o).append(')');
    }
    return b.append(';').toString();
  }

  /** The name as CQL needs it: unquoted when it is a lower-case identifier, else in quotes. */
  public static String quote(String name) {
    if (name.matches("[a-z_][a-z0-9_]*")) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableMetadata t && keyspace.equals(t.keyspace) && name.equals(t.name)
        && columns.equals(t.columns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyspace, name, columns);
  }

  @Override
  public String toString() {
    return toCql();
  }
}
