package dev.braid.store;

import dev.braid.query.ClusteringColumn;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import dev.braid.query.ReadCommand;
import dev.braid.query.proto.Uuid;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.TableDef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A validated table schema: its {@link TableDef}, its columns by kind, its clustering order and
 * its version. Immutable and thread-safe.
 *
 * <p>The version is derived from the content: a name-based (type 3) UUID of the deterministic
 * serialization of the definition with the version field cleared, so two replicas that hold the
 * same definition agree on the version. The reversed schema (native reversed reads) has version
 * {@link ReadCommand#reversedSchemaVersion(UUID)} of it.
 */
public final class TableSchema {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  private final TableDef def;
  private final UUID id;
  private final UUID version;
  private final List<ColumnDef> partitionKey = new ArrayList<>();
  private final List<ColumnDef> clustering = new ArrayList<>();
  private final List<ColumnDef> statics = new ArrayList<>();
  private final List<ColumnDef> regulars = new ArrayList<>();
  private final List<ClusteringType> pkTypes = new ArrayList<>();
  private final List<ClusteringType> staticTypes = new ArrayList<>();
  private final List<ClusteringType> regularTypes = new ArrayList<>();
  private final ClusteringSchema clusteringSchema;

  private TableSchema(TableDef def) {
    this.def = def;
    this.id = Uuids.fromProto(def.getId());
    this.version = Uuids.fromProto(def.getVersion());
    List<ClusteringColumn> cc = new ArrayList<>();
    for (ColumnDef c : def.getColumnsList()) {
      ClusteringType t = ClusteringType.byName(c.getType());
      switch (c.getKind()) {
        case PARTITION_KEY -> {
          partitionKey.add(c);
          pkTypes.add(t);
        }
        case CLUSTERING -> {
          clustering.add(c);
          cc.add(new ClusteringColumn(t, c.getDescending() ? ClusteringOrder.DESC
              : ClusteringOrder.ASC));
        }
        case STATIC -> {
          statics.add(c);
          staticTypes.add(t);
        }
        default -> {
          regulars.add(c);
          regularTypes.add(t);
        }
      }
    }
    this.clusteringSchema = ClusteringSchema.of(cc);
  }

  /**
   * Validates a definition and completes it: a random table id if absent, the version derived
   * from the content, names lower-cased, columns ordered by kind (partition key, clustering,
   * static, regular; each kind in the given order).
   *
   * @throws IllegalArgumentException with a message naming what is wrong
   */
  public static TableSchema create(TableDef in) {
    checkName("keyspace", in.getKeyspace());
    checkName("table", in.getName());
    if (in.getColumnsCount() == 0) {
      throw new IllegalArgumentException("table " + in.getName() + " has no columns");
    }
    Set<String> names = new HashSet<>();
    List<ColumnDef> ordered = new ArrayList<>();
    for (ColumnKind k : List.of(ColumnKind.PARTITION_KEY, ColumnKind.CLUSTERING, ColumnKind.STATIC,
        ColumnKind.REGULAR)) {
      for (ColumnDef c : in.getColumnsList()) {
        if (c.getKind() != k) {
          continue;
        }
        checkName("column", c.getName());
        String n = c.getName().toLowerCase(Locale.ROOT);
        if (!names.add(n)) {
          throw new IllegalArgumentException("column " + n + " is defined twice");
        }
        if (ClusteringType.byName(c.getType()) == null) {
          throw new IllegalArgumentException("column " + n + " has unknown type '" + c.getType()
              + "' (known: int, bigint, text, blob, boolean, double, uuid, timestamp)");
        }
        if (c.getDescending() && k != ColumnKind.CLUSTERING) {
          throw new IllegalArgumentException("column " + n + " is not a clustering column but has"
              + " a DESC clustering order");
        }
        ordered.add(c.toBuilder().setName(n)
            .setType(ClusteringType.byName(c.getType()).cqlName()).build());
      }
    }
    if (ordered.size() != in.getColumnsCount()) {
      throw new IllegalArgumentException("table " + in.getName() + " has a column of unknown kind");
    }
    if (ordered.stream().noneMatch(c -> c.getKind() == ColumnKind.PARTITION_KEY)) {
      throw new IllegalArgumentException("table " + in.getName() + " has no partition key column");
    }
    boolean hasClustering = ordered.stream().anyMatch(c -> c.getKind() == ColumnKind.CLUSTERING);
    if (!hasClustering && ordered.stream().anyMatch(c -> c.getKind() == ColumnKind.STATIC)) {
      throw new IllegalArgumentException(
          "Static columns are only useful (and thus allowed) if the table has at least one"
              + " clustering column");
    }
    TableDef.Builder b = in.toBuilder().clearColumns().addAllColumns(ordered)
        .setKeyspace(in.getKeyspace().toLowerCase(Locale.ROOT))
        .setName(in.getName().toLowerCase(Locale.ROOT)).clearVersion();
    if (!in.hasId()) {
      b.setId(Uuids.toProto(UUID.randomUUID()));
    }
    TableDef content = b.build();
    UUID v = UUID.nameUUIDFromBytes(content.toByteArray());
    return new TableSchema(content.toBuilder().setVersion(Uuids.toProto(v)).build());
  }

  /**
   * A complete definition as the replica returns it (from {@code CreateTable} or {@code
   * DescribeSchema}: with id and version). Clients such as a shell or a coordinator use this to
   * build commands (clustering schema, column ids, schema versions).
   *
   * @throws IllegalArgumentException if the id or version is missing or a column type is unknown
   */
  public static TableSchema load(TableDef def) {
    if (!def.hasId() || !def.hasVersion()) {
      throw new IllegalArgumentException("table definition " + def.getKeyspace() + "."
          + def.getName()
          + " lacks its id or version (use create() for a new definition)");
    }
    for (ColumnDef c : def.getColumnsList()) {
      if (ClusteringType.byName(c.getType()) == null) {
        throw new IllegalArgumentException("column " + c.getName() + " has unknown type "
            + c.getType());
      }
    }
    return new TableSchema(def);
  }

  /** The id of the static column named {@code name}, or -1. */
  public int staticColumnId(String name) {
    for (int i = 0; i < statics.size(); i++) {
      if (statics.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The id of the regular column named {@code name}, or -1. */
  public int regularColumnId(String name) {
    for (int i = 0; i < regulars.size(); i++) {
      if (regulars.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  static void checkName(String what, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid " + what + " name '" + name
          + "': letters, digits and _ only, starting with a letter, at most 48 characters");
    }
  }

  /** The complete definition (with id and version). */
  public TableDef def() {
    return def;
  }

  /** The keyspace name. */
  public String keyspace() {
    return def.getKeyspace();
  }

  /** The table name. */
  public String name() {
    return def.getName();
  }

  /** The table id. */
  public UUID id() {
    return id;
  }

  /** The schema version (content-derived). */
  public UUID version() {
    return version;
  }

  /** The version of the reversed schema, used by native reversed reads. */
  public UUID reversedVersion() {
    return ReadCommand.reversedSchemaVersion(version);
  }

  /** The clustering columns' types and orders (the order of positions in a partition). */
  public ClusteringSchema clusteringSchema() {
    return clusteringSchema;
  }

  /** Partition-key columns in key order. */
  public List<ColumnDef> partitionKeyColumns() {
    return partitionKey;
  }

  /** Clustering columns in key order. */
  public List<ColumnDef> clusteringColumns() {
    return clustering;
  }

  /** Static columns; a static column's id is its index here. */
  public List<ColumnDef> staticColumns() {
    return statics;
  }

  /** Regular columns; a regular column's id is its index here. */
  public List<ColumnDef> regularColumns() {
    return regulars;
  }

  /** Type of partition-key column {@code i}. */
  public ClusteringType partitionKeyType(int i) {
    return pkTypes.get(i);
  }

  /** Type of static column {@code id}. */
  public ClusteringType staticType(int id) {
    return staticTypes.get(id);
  }

  /** Type of regular column {@code id}. */
  public ClusteringType regularType(int id) {
    return regularTypes.get(id);
  }

  /** Whether the table has static columns. */
  public boolean hasStatics() {
    return !statics.isEmpty();
  }

  /** {@code keyspace.table}. */
  @Override
  public String toString() {
    return keyspace() + "." + name();
  }

  /** UUID conversions between java.util.UUID and the wire message. */
  public static final class Uuids {
    private Uuids() {}

    /** The wire form. */
    public static Uuid toProto(UUID u) {
      return Uuid.newBuilder().setMsb(u.getMostSignificantBits())
          .setLsb(u.getLeastSignificantBits())
          .build();
    }

    /** The Java form. */
    public static UUID fromProto(Uuid u) {
      return new UUID(u.getMsb(), u.getLsb());
    }
  }
}
