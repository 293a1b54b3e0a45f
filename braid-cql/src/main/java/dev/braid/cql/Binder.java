package dev.braid.cql;

import dev.braid.cql.Ast.*;
import dev.braid.cql.plan.*;
import dev.braid.cql.schema.KeyspaceMetadata;
import dev.braid.cql.schema.SchemaView;
import dev.braid.cql.schema.TableMetadata;
import dev.braid.cql.schema.TableMetadata.Column;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Validates a parsed statement against the schema, with Cassandra's rules and (where they are
 * quoted in the reference) its messages, and turns it into a {@link Plan}.
 */
final class Binder {
  static final int MAX_TTL = 630_720_000;
  static final int MAX_KEY_BYTES = 65_535;

  private final SchemaView schema;
  private final String currentKeyspace;
  private final String text;

  Binder(SchemaView schema, String currentKeyspace, String text) {
    this.schema = schema;
    this.currentKeyspace = currentKeyspace;
    this.text = text;
  }

  CqlException invalid(String reason, Token at) {
    return new CqlException(CqlException.Kind.INVALID, reason, text,
        at == null ? text.length() : at.start());
  }

  Plan bind(Stmt stmt) {
    if (stmt instanceof CreateKeyspace s) {
      return createKeyspace(s);
    } else if (stmt instanceof DropKeyspace s) {
      if (!s.ifExists() && schema.keyspace(s.keyspace().name()).isEmpty()) {
        throw invalid("Cannot drop non existing keyspace '" + s.keyspace().name() + "'.",
            s.keyspace().at());
      }
      return new DropKeyspacePlan(s.keyspace().name(), s.ifExists());
    } else if (stmt instanceof Use s) {
      if (schema.keyspace(s.keyspace().name()).isEmpty()) {
        throw invalid("Keyspace '" + s.keyspace().name() + "' does not exist", s.keyspace().at());
      }
      return new UsePlan(s.keyspace().name());
    } else if (stmt instanceof CreateTable s) {
      return createTable(s);
    } else if (stmt instanceof DropTable s) {
      String ks = keyspaceOf(s.table());
      if (!s.ifExists() && schema.table(ks, s.table().name().name()).isEmpty()) {
        throw invalid("Table '" + ks + "." + s.table().name().name() + "' doesn't exist",
            s.table().name().at());
      }
      return new DropTablePlan(ks, s.table().name().name(), s.ifExists());
    } else if (stmt instanceof Insert s) {
      return insert(s);
    } else if (stmt instanceof Update s) {
      return update(s);
    } else if (stmt instanceof Delete s) {
      return delete(s);
    } else if (stmt instanceof Select s) {
      return select(s);
    } else {
      return shell(stmt);
    }
  }

  // ---- schema statements ----

  private Plan createKeyspace(CreateKeyspace s) {
    String name = s.keyspace().name();
    if (!name.matches("\\w{1,48}")) {
      throw invalid("Keyspace name must not be empty, more than 48 characters long, or contain"
          + " non-alphanumeric-underscore characters (got \"" + name + "\")", s.keyspace().at());
    }
    Map<String, String> repl = new LinkedHashMap<>();
    Map<String, Token> at = new HashMap<>();
    for (MapEntry e : s.replication()) {
      if (e.key().kind() != LiteralKind.STRING) {
        throw invalid("replication option names must be quoted strings, e.g. 'class'",
            e.key().at());
      }
      if (repl.put(e.key().text(), e.value().text()) != null) {
        throw invalid("Multiple definition for replication option '" + e.key().text() + "'",
            e.key().at());
      }
      at.put(e.key().text(), e.value().at());
    }
    String cls = repl.get("class");
    if (cls == null) {
      throw invalid("Missing mandatory replication strategy class", s.replicationAt());
    }
    if (!cls.equals("SimpleStrategy") && !cls.equals("org.apache.cassandra.locator.SimpleStrategy")) {
      throw invalid("Unsupported replication strategy '" + cls + "' (braid supports"
          + " SimpleStrategy)", at.get("class"));
    }
    for (String k : repl.keySet()) {
      if (!k.equals("class") && !k.equals("replication_factor")) {
        throw invalid("Unrecognized strategy option {" + k + "} passed to SimpleStrategy for"
            + " keyspace " + name, at.get(k));
      }
    }
    String rf = repl.get("replication_factor");
    if (rf == null) {
      throw invalid("SimpleStrategy requires a replication_factor strategy option.",
          s.replicationAt());
    }
    int n;
    try {
      n = Integer.parseInt(rf.trim());
    } catch (NumberFormatException e) {
      throw invalid("Replication factor must be numeric; found " + rf, at.get("replication_factor"));
    }
    if (n < 1) {
      throw invalid("Replication factor must be at least 1; found " + rf,
          at.get("replication_factor"));
    }
    if (!s.ifNotExists() && schema.keyspace(name).isPresent()) {
      throw invalid("Keyspace " + name + " already exists", s.keyspace().at());
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("class", "SimpleStrategy");
    m.put("replication_factor", Integer.toString(n));
    return new CreateKeyspacePlan(new KeyspaceMetadata(name, n, m), s.ifNotExists());
  }

  private Plan createTable(CreateTable s) {
    String ks = keyspaceOf(s.table());
    String tname = s.table().name().name();
    if (!tname.matches("\\w{1,48}")) {
      throw invalid("Table name must not be empty, more than 48 characters long, or contain"
          + " non-alphanumeric-underscore characters (got \"" + tname + "\")", s.table().name().at());
    }
    Map<String, ColumnDef> defs = new LinkedHashMap<>();
    for (ColumnDef d : s.columns()) {
      if (defs.put(d.name().name(), d) != null) {
        throw invalid("Multiple definition of identifier " + d.name().name(), d.name().at());
      }
    }
    Set<String> inPk = new HashSet<>();
    for (Ident id : concat(s.partitionKey(), s.clustering())) {
      if (!defs.containsKey(id.name())) {
        throw invalid("Unknown definition " + id.name() + " referenced in PRIMARY KEY", id.at());
      }
      if (!inPk.add(id.name())) {
        throw invalid("Column " + id.name() + " appears more than once in the PRIMARY KEY",
            id.at());
      }
      if (defs.get(id.name()).isStatic()) {
        throw invalid("Static column " + id.name() + " cannot be part of the PRIMARY KEY",
            defs.get(id.name()).name().at());
      }
    }
    Map<String, ClusteringOrder> orders = new HashMap<>();
    if (!s.clusteringOrder().isEmpty()) {
      for (Ordering o : s.clusteringOrder()) {
        if (!s.clustering().stream().anyMatch(c -> c.name().equals(o.column().name()))) {
          throw invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive"
              + " (" + o.column().name() + " is not one)", o.column().at());
        }
      }
      if (s.clusteringOrder().size() != s.clustering().size()) {
        throw invalid("Clustering key columns must exactly match columns in CLUSTERING ORDER BY"
            + " directive", s.clusteringOrder().get(0).column().at());
      }
      for (int i = 0; i < s.clustering().size(); i++) {
        Ordering o = s.clusteringOrder().get(i);
        if (!o.column().name().equals(s.clustering().get(i).name())) {
          throw invalid("The order of columns in the CLUSTERING ORDER directive must be the one of"
              + " the clustering key (expected " + s.clustering().get(i).name() + " here)",
              o.column().at());
        }
        orders.put(o.column().name(), o.descending() ? ClusteringOrder.DESC : ClusteringOrder.ASC);
      }
    }
    List<Column> cols = new ArrayList<>();
    for (ColumnDef d : s.columns()) {
      ClusteringType type = type(d.type());
      String n = d.name().name();
      int pk = indexOf(s.partitionKey(), n);
      int ck = indexOf(s.clustering(), n);
      if (pk >= 0) {
        cols.add(new Column(n, type, TableMetadata.Kind.PARTITION_KEY, pk, ClusteringOrder.ASC));
      } else if (ck >= 0) {
        cols.add(new Column(n, type, TableMetadata.Kind.CLUSTERING, ck,
            orders.getOrDefault(n, ClusteringOrder.ASC)));
      } else if (d.isStatic()) {
        if (s.clustering().isEmpty()) {
          throw invalid("Static columns are only useful (and thus allowed) if the table has at"
              + " least one clustering column", d.name().at());
        }
        cols.add(new Column(n, type, TableMetadata.Kind.STATIC, 0, ClusteringOrder.ASC));
      } else {
        cols.add(new Column(n, type, TableMetadata.Kind.REGULAR, 0, ClusteringOrder.ASC));
      }
    }
    if (schema.keyspace(ks).isEmpty()) {
      throw invalid("Keyspace '" + ks + "' does not exist", s.table().at());
    }
    if (!s.ifNotExists() && schema.table(ks, tname).isPresent()) {
      throw invalid("Table " + ks + "." + tname + " already exists", s.table().name().at());
    }
    return new CreateTablePlan(TableMetadata.of(ks, tname, cols), s.ifNotExists());
  }

  private ClusteringType type(Ident t) {
    String n = t.name().toLowerCase(Locale.ROOT);
    if (n.equals("varchar")) {
      return ClusteringType.TEXT;
    }
    ClusteringType type = ClusteringType.byName(n);
    if (type == null) {
      throw invalid("Unknown type " + t.name() + " (braid supports int, bigint, text, varchar,"
          + " blob, boolean, double, uuid, timestamp)", t.at());
    }
    return type;
  }

  private static int indexOf(List<Ident> ids, String name) {
    for (int i = 0; i < ids.size(); i++) {
      if (ids.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private String keyspaceOf(QualifiedName n) {
    if (n.keyspace() != null) {
      return n.keyspace().name();
    }
    if (currentKeyspace == null) {
      throw invalid("No keyspace has been specified. USE a keyspace, or explicitly specify"
          + " keyspace.tablename", n.name().at());
    }
    return currentKeyspace;
  }

  private TableMetadata table(QualifiedName n) {
    String ks = keyspaceOf(n);
    if (schema.keyspace(ks).isEmpty()) {
      throw invalid("Keyspace " + ks + " does not exist", n.at());
    }
    return schema.table(ks, n.name().name()).orElseThrow(
        () -> invalid("unconfigured table " + n.name().name() + " (no table " + ks + "."
            + n.name().name() + ")", n.name().at()));
  }

  private Column column(TableMetadata t, Ident id) {
    return t.column(id.name()).orElseThrow(() -> invalid("Undefined column name " + id.name()
        + " in table " + t.qualifiedName(), id.at()));
  }

  // ---- values ----

  private Object value(Term term, Column c) {
    if (term instanceof TupleTerm tt) {
      throw invalid("Invalid tuple literal for \"" + c.name() + "\" of type " + c.type().cqlName(),
          tt.at());
    }
    return Values.of((Literal) term, c.type(), c.name(), text);
  }

  private Object keyValue(Term term, Column c) {
    Object v = value(term, c);
    if (v == null) {
      throw invalid("Invalid null value in condition for column " + c.name(), term.at());
    }
    checkKeyValue(v, c, term.at());
    return v;
  }

  private void checkKeyValue(Object v, Column c, Token at) {
    int len = c.type().encode(v).length;
    if (len > MAX_KEY_BYTES) {
      throw invalid("Key length of " + len + " is longer than maximum of " + MAX_KEY_BYTES, at);
    }
  }

  // ---- WHERE ----

  /** The WHERE clause resolved: partition-key values per column, clustering restrictions. */
  private final class Where {
    final TableMetadata table;
    final List<List<Object>> pkValues = new ArrayList<>();
    final Token[] pkAt;
    final ClusteringRestrictions ck;
    final List<Relation> nonPk = new ArrayList<>();

    Where(TableMetadata table, List<Relation> relations) {
      this.table = table;
      this.pkAt = new Token[table.partitionKey().size()];
      for (int i = 0; i < table.partitionKey().size(); i++) {
        pkValues.add(null);
      }
      this.ck = new ClusteringRestrictions(table.clustering(), table.clusteringSchema());
      for (Relation r : relations) {
        add(r);
      }
    }

    private void add(Relation r) {
      if (r instanceof TokenRelation tr) {
        throw invalid("token() restrictions in WHERE are not supported by braid (a query without"
            + " a partition key restriction scans in token order)", tr.at());
      }
      if (r instanceof MultiRelation m) {
        addMulti(m);
        return;
      }
      SingleRelation s = (SingleRelation) r;
      Column c = column(table, s.column());
      switch (c.kind()) {
        case PARTITION_KEY -> {
          if (s.op() != Op.EQ && s.op() != Op.IN) {
            throw invalid("Only EQ and IN relation are supported on the partition key (unless you"
                + " use the token() function or ALLOW FILTERING)", s.at());
          }
          if (pkValues.get(c.position()) != null) {
            throw invalid(c.name() + " cannot be restricted by more than one relation if it"
                + " includes " + (s.op() == Op.EQ ? "an Equal" : "a IN"), s.at());
          }
          List<Object> vals = new ArrayList<>();
          if (s.op() == Op.EQ) {
            vals.add(keyValue(s.value(), c));
          } else {
            for (Term t : s.inValues()) {
              vals.add(keyValue(t, c));
            }
          }
          pkValues.set(c.position(), List.copyOf(new LinkedHashSet<>(vals)));
          pkAt[c.position()] = s.at();
        }
        case CLUSTERING -> {
          if (s.op() == Op.IN) {
            List<Object> vals = new ArrayList<>();
            for (Term t : s.inValues()) {
              vals.add(keyValue(t, c));
            }
            ck.addSingle(c, s.op(), null, vals, s, Binder.this);
          } else {
            ck.addSingle(c, s.op(), keyValue(s.value(), c), null, s, Binder.this);
          }
        }
        default -> nonPk.add(s);
      }
    }

    private void addMulti(MultiRelation m) {
      List<Column> cols = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      int previous = -1;
      for (Ident id : m.columns()) {
        Column c = column(table, id);
        if (c.kind() != TableMetadata.Kind.CLUSTERING) {
          throw invalid("Multi-column relations can only be applied to clustering columns but was"
              + " applied to: " + c.name(), id.at());
        }
        if (!seen.add(c.name())) {
          throw invalid("Column \"" + c.name() + "\" appeared twice in a relation: " + m.text(),
              id.at());
        }
        if (c.position() != previous + 1) {
          if (previous == -1) {
            throw invalid("Clustering columns may not be skipped in multi-column relations. They"
                + " should appear in the PRIMARY KEY order. Got " + m.text(), id.at());
          }
          throw invalid("Clustering columns must appear in the PRIMARY KEY order in multi-column"
              + " relations: " + m.text(), id.at());
        }
        previous = c.position();
        cols.add(c);
      }
      if (m.op() == Op.IN) {
        List<List<Object>> tuples = new ArrayList<>();
        for (TupleTerm t : m.inValues()) {
          tuples.add(tupleValues(t, cols));
        }
        ck.addMulti(m, null, tuples, cols, Binder.this);
      } else {
        ck.addMulti(m, tupleValues(m.value(), cols), null, cols, Binder.this);
      }
    }

    private List<Object> tupleValues(TupleTerm t, List<Column> cols) {
      if (t.elements().size() != cols.size()) {
        throw invalid("Expected " + cols.size() + " elements in value tuple, but got "
            + t.elements().size() + ": " + text.substring(t.at().start(), endOf(t)), t.at());
      }
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < cols.size(); i++) {
        out.add(keyValue(t.elements().get(i), cols.get(i)));
      }
      return out;
    }

    /** Names of partition-key columns without a restriction. */
    List<String> missingPk() {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < pkValues.size(); i++) {
        if (pkValues.get(i) == null) {
          out.add(table.partitionKey().get(i).name());
        }
      }
      return out;
    }

    boolean pkUnrestricted() {
      return missingPk().size() == pkValues.size();
    }

    /** The cross product of partition-key values. */
    List<List<Object>> partitionKeys() {
      List<List<Object>> keys = new ArrayList<>();
      keys.add(List.of());
      for (List<Object> vals : pkValues) {
        List<List<Object>> next = new ArrayList<>();
        for (List<Object> k : keys) {
          for (Object v : vals) {
            List<Object> kk = new ArrayList<>(k);
            kk.add(v);
            next.add(kk);
          }
        }
        keys = next;
      }
      if (table.partitionKey().size() == 1) {
        for (List<Object> k : keys) {
          if (table.partitionKey().get(0).type().encode(k.get(0)).length == 0) {
            throw invalid("Key may not be empty", pkAt[0]);
          }
        }
      }
      return keys;
    }

    /** For modifications: the full partition key must be restricted by = or IN. */
    void requireFullPk(Token whereAt) {
      List<String> missing = missingPk();
      if (!missing.isEmpty()) {
        throw invalid("Some partition key parts are missing: " + String.join(", ", missing),
            whereAt);
      }
    }

    void rejectNonPkForModification() {
      if (!nonPk.isEmpty()) {
        Relation r = nonPk.get(0);
        throw invalid("Non PRIMARY KEY columns found in where clause: "
            + ((SingleRelation) r).column().name(), r.at());
      }
    }

    /** Full clustering keys from =/IN restrictions covering every clustering column. */
    List<ClusteringPrefix> fullKeys() {
      List<ClusteringPrefix> out = new ArrayList<>();
      for (ClusteringRange r : ck.ranges().legacy()) {
        out.add(r.start().orElseThrow().prefix());
      }
      return out;
    }
  }

  private int endOf(TupleTerm t) {
    int depth = 0;
    for (int i = t.at().start(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i + 1;
      }
    }
    return text.length();
  }

  // ---- INSERT / UPDATE / DELETE ----

  private Plan insert(Insert s) {
    TableMetadata t = table(s.table());
    if (s.columns().size() != s.values().size()) {
      throw invalid("Unmatched column names/values", s.valuesAt());
    }
    Map<String, Object> vals = new LinkedHashMap<>();
    Map<String, Token> at = new HashMap<>();
    for (int i = 0; i < s.columns().size(); i++) {
      Ident id = s.columns().get(i);
      Column c = column(t, id);
      if (vals.containsKey(c.name())) {
        throw invalid("The column names contains duplicates", id.at());
      }
      Term term = s.values().get(i);
      Object v = value(term, c);
      if (c.isPrimaryKey()) {
        if (v == null) {
          throw invalid("Invalid null value for " + (c.kind() == TableMetadata.Kind.PARTITION_KEY
              ? "partition" : "clustering") + " key part " + c.name(), term.at());
        }
        checkKeyValue(v, c, term.at());
      }
      vals.put(c.name(), v);
      at.put(c.name(), term.at());
    }
    List<String> missingPk = new ArrayList<>();
    List<Object> pk = new ArrayList<>();
    for (Column c : t.partitionKey()) {
      if (!vals.containsKey(c.name())) {
        missingPk.add(c.name());
      } else {
        pk.add(vals.get(c.name()));
      }
    }
    if (!missingPk.isEmpty()) {
      throw invalid("Some partition key parts are missing: " + String.join(", ", missingPk),
          s.table().name().at());
    }
    if (t.partitionKey().size() == 1 && t.partitionKey().get(0).type().encode(pk.get(0)).length == 0) {
      throw invalid("Key may not be empty", at.get(t.partitionKey().get(0).name()));
    }
    List<String> missingCk = new ArrayList<>();
    List<Object> ck = new ArrayList<>();
    for (Column c : t.clustering()) {
      if (!vals.containsKey(c.name())) {
        missingCk.add(c.name());
      } else {
        ck.add(vals.get(c.name()));
      }
    }
    List<WritePlan.Cell> cells = new ArrayList<>();
    boolean onlyStatic = true;
    boolean anyNonPk = false;
    for (Map.Entry<String, Object> e : vals.entrySet()) {
      Column c = t.column(e.getKey()).orElseThrow();
      if (!c.isPrimaryKey()) {
        cells.add(new WritePlan.Cell(c.name(), e.getValue()));
        anyNonPk = true;
        onlyStatic &= c.kind() == TableMetadata.Kind.STATIC;
      }
    }
    List<ClusteringPrefix> clusterings;
    if (missingCk.isEmpty()) {
      clusterings = List.of(ClusteringPrefix.of(ck));
    } else if (ck.isEmpty() && anyNonPk && onlyStatic) {
      clusterings = List.of();
    } else {
      throw invalid("Some clustering keys are missing: " + String.join(", ", missingCk),
          s.table().name().at());
    }
    BoundUsing u = using(s.using());
    return new WritePlan(t, true, List.of(pk), clusterings, cells, u.timestamp, u.ttl);
  }

  private record BoundUsing(OptionalLong timestamp, OptionalInt ttl) {
  }

  private BoundUsing using(Ast.Using u) {
    OptionalLong ts = OptionalLong.empty();
    OptionalInt ttl = OptionalInt.empty();
    if (u.timestamp() != null) {
      Literal l = u.timestamp();
      if (l.kind() != LiteralKind.INTEGER) {
        throw invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"[timestamp]\" of"
            + " type bigint", l.at());
      }
      try {
        ts = OptionalLong.of(Long.parseLong(l.text()));
      } catch (NumberFormatException e) {
        throw invalid("Invalid INTEGER constant (" + l.text() + ") for \"[timestamp]\" of type"
            + " bigint: out of range", l.at());
      }
    }
    if (u.ttl() != null) {
      Literal l = u.ttl();
      if (l.kind() != LiteralKind.INTEGER) {
        throw invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"[ttl]\" of type"
            + " int", l.at());
      }
      long v;
      try {
        v = Long.parseLong(l.text());
      } catch (NumberFormatException e) {
        throw invalid("ttl is too large. requested (" + l.text() + ") maximum (" + MAX_TTL + ")",
            l.at());
      }
      if (v < 0) {
        throw invalid("A TTL must be greater or equal to 0, but was " + v, l.at());
      }
      if (v > MAX_TTL) {
        throw invalid("ttl is too large. requested (" + v + ") maximum (" + MAX_TTL + ")", l.at());
      }
      ttl = OptionalInt.of((int) v);
    }
    return new BoundUsing(ts, ttl);
  }

  private Plan update(Update s) {
    TableMetadata t = table(s.table());
    Map<String, Object> vals = new LinkedHashMap<>();
    boolean onlyStatic = true;
    for (Assignment a : s.assignments()) {
      Column c = column(t, a.column());
      if (c.isPrimaryKey()) {
        throw invalid("PRIMARY KEY part " + c.name() + " found in SET part", a.column().at());
      }
      if (vals.containsKey(c.name())) {
        throw invalid("Multiple incompatible setting of column " + c.name(), a.column().at());
      }
      vals.put(c.name(), value(a.value(), c));
      onlyStatic &= c.kind() == TableMetadata.Kind.STATIC;
    }
    Where w = new Where(t, s.where());
    w.rejectNonPkForModification();
    w.requireFullPk(s.whereAt());
    List<ClusteringPrefix> clusterings;
    if (onlyStatic && !t.clustering().isEmpty()) {
      if (w.ck.isRestricted()) {
        throw invalid("Invalid restrictions on clustering columns since the UPDATE statement"
            + " modifies only static columns", s.whereAt());
      }
      clusterings = List.of();
    } else {
      clusterings = requireFullClustering(w, "UPDATE", s.whereAt());
    }
    List<WritePlan.Cell> cells = new ArrayList<>();
    vals.forEach((k, v) -> cells.add(new WritePlan.Cell(k, v)));
    BoundUsing u = using(s.using());
    return new WritePlan(t, false, w.partitionKeys(), clusterings, cells, u.timestamp, u.ttl);
  }

  private List<ClusteringPrefix> requireFullClustering(Where w, String stmt, Token whereAt) {
    if (w.ck.hasSlice()) {
      throw invalid("Slice restrictions are not supported on the clustering columns in " + stmt
          + " statements", whereAt);
    }
    if (!w.ck.isRestricted() && !w.table.clustering().isEmpty()) {
      throw invalid("Some clustering keys are missing: " + String.join(", ",
          w.table.clustering().stream().map(Column::name).toList()), whereAt);
    }
    if (!w.ck.isRestricted()) {
      return List.of(ClusteringPrefix.empty());
    }
    w.ck.checkPrefix(this);
    if (!w.ck.selectsFullKeys()) {
      List<Column> ck = w.table.clustering();
      List<String> missing = ck.subList(w.ck.coveredColumns(), ck.size()).stream()
          .map(Column::name).toList();
      throw invalid("Some clustering keys are missing: " + String.join(", ", missing), whereAt);
    }
    return w.fullKeys();
  }

  private Plan delete(Delete s) {
    TableMetadata t = table(s.table());
    List<String> cols = new ArrayList<>();
    boolean onlyStatic = true;
    for (Ident id : s.columns()) {
      Column c = column(t, id);
      if (c.isPrimaryKey()) {
        throw invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY"
            + " KEY part)", id.at());
      }
      if (!cols.contains(c.name())) {
        cols.add(c.name());
      }
      onlyStatic &= c.kind() == TableMetadata.Kind.STATIC;
    }
    Where w = new Where(t, s.where());
    w.rejectNonPkForModification();
    w.requireFullPk(s.whereAt());
    List<List<Object>> pks = w.partitionKeys();
    OptionalLong ts = using(s.using()).timestamp;
    if (!cols.isEmpty() && onlyStatic) {
      if (w.ck.isRestricted()) {
        throw invalid("Invalid restrictions on clustering columns since the DELETE statement"
            + " modifies only static columns", s.whereAt());
      }
      return new DeletePlan(t, pks, DeletePlan.Kind.STATIC_CELLS, List.of(), List.of(), List.of(),
          cols, ts);
    }
    if (!w.ck.isRestricted()) {
      if (cols.isEmpty()) {
        return new DeletePlan(t, pks, DeletePlan.Kind.PARTITION, List.of(), List.of(), List.of(),
            List.of(), ts);
      }
      if (t.clustering().isEmpty()) {
        return new DeletePlan(t, pks, DeletePlan.Kind.CELLS, List.of(ClusteringPrefix.empty()),
            List.of(), List.of(), cols, ts);
      }
      throw invalid("Range deletions are not supported for specific columns", s.whereAt());
    }
    w.ck.checkPrefix(this);
    ClusteringRestrictions.Ranges ranges = w.ck.ranges();
    if (w.ck.selectsFullKeys()) {
      List<ClusteringPrefix> rows = w.fullKeys();
      if (!cols.isEmpty()) {
        return new DeletePlan(t, pks, DeletePlan.Kind.CELLS, rows, List.of(), List.of(), cols, ts);
      }
      return new DeletePlan(t, pks, DeletePlan.Kind.ROWS, rows, List.of(), ranges.positions(),
          List.of(), ts);
    }
    if (!cols.isEmpty()) {
      throw invalid("Range deletions are not supported for specific columns", s.whereAt());
    }
    return new DeletePlan(t, pks, DeletePlan.Kind.RANGES, List.of(), ranges.legacy(),
        ranges.positions(), List.of(), ts);
  }

  // ---- SELECT ----

  private Plan select(Select s) {
    TableMetadata t = table(s.table());
    List<SelectPlan.Selected> sel = new ArrayList<>();
    boolean onlyStatic = s.selectors() != null;
    boolean anyStatic = false;
    if (s.selectors() == null) {
      for (Column c : t.columns()) {
        sel.add(new SelectPlan.Selected(c.name(), c.name(), c.type()));
      }
    } else {
      for (Selector x : s.selectors()) {
        if (x instanceof ColumnSelector cs) {
          Column c = column(t, cs.column());
          sel.add(new SelectPlan.Selected(c.name(), c.name(), c.type()));
          if (c.kind() == TableMetadata.Kind.STATIC) {
            anyStatic = true;
          } else if (!c.isPrimaryKey()) {
            onlyStatic = false;
          } else if (c.kind() == TableMetadata.Kind.CLUSTERING) {
            onlyStatic = false;
          }
        } else {
          TokenSelector ts = (TokenSelector) x;
          List<String> names = new ArrayList<>();
          for (Ident id : ts.columns()) {
            column(t, id);
            names.add(id.name());
          }
          List<String> pk = t.partitionKey().stream().map(Column::name).toList();
          if (!names.equals(pk)) {
            throw invalid("token() must be applied to the partition key columns in order: token("
                + String.join(", ", pk) + ")", ts.at());
          }
          sel.add(new SelectPlan.Selected("token(" + String.join(", ", pk) + ")", null,
              ClusteringType.BIGINT));
        }
      }
    }
    Where w = new Where(t, s.where());
    if (!w.nonPk.isEmpty()) {
      throw invalid("Cannot execute this query as it might involve data filtering and thus may"
          + " have unpredictable performance. If you want to execute this query despite the"
          + " performance unpredictability, use ALLOW FILTERING (braid does not filter: restrict"
          + " primary key columns only)", w.nonPk.get(0).at());
    }
    boolean scan = w.pkUnrestricted();
    if (!scan && !w.missingPk().isEmpty()) {
      throw invalid("Partition key parts: " + String.join(", ", w.missingPk()) + " must be"
          + " restricted as other parts are", firstPkAt(w));
    }
    if (w.ck.isRestricted()) {
      if (scan) {
        throw invalid("Cannot execute this query as it might involve data filtering and thus may"
            + " have unpredictable performance. If you want to execute this query despite the"
            + " performance unpredictability, use ALLOW FILTERING (braid does not filter:"
            + " restrict the partition key with = or IN)", s.where().get(0).at());
      }
      w.ck.checkPrefix(this);
      if (onlyStatic && anyStatic) {
        throw invalid("Cannot restrict clustering columns when selecting only static columns",
            s.where().get(0).at());
      }
    }
    ClusteringRestrictions.Ranges ranges = w.ck.ranges();
    boolean reversed = orderBy(s, t, w, scan);
    OptionalInt ppl = limit(s.perPartitionLimit(), "PER PARTITION LIMIT");
    OptionalInt limit = limit(s.limit(), "LIMIT");
    return new SelectPlan(t, scan ? List.of() : w.partitionKeys(), scan, sel, ranges.legacy(),
        ranges.positions(), w.ck.isRestricted(), reversed, !s.orderBy().isEmpty(), ppl, limit);
  }

  private Token firstPkAt(Where w) {
    for (Token tk : w.pkAt) {
      if (tk != null) {
        return tk;
      }
    }
    return null;
  }

  private boolean orderBy(Select s, TableMetadata t, Where w, boolean scan) {
    if (s.orderBy().isEmpty()) {
      return false;
    }
    if (scan) {
      throw invalid("ORDER BY is only supported when the partition key is restricted by an EQ or"
          + " an IN.", s.orderByAt());
    }
    Boolean reversed = null;
    int next = 0;
    for (Ordering o : s.orderBy()) {
      Column c = column(t, o.column());
      if (c.kind() != TableMetadata.Kind.CLUSTERING) {
        throw invalid("Order by is currently only supported on the clustered columns of the"
            + " PRIMARY KEY, got " + c.name(), o.column().at());
      }
      while (next < c.position() && w.ck.isRestrictedByEq(next)) {
        next++;
      }
      if (c.position() != next) {
        throw invalid("Order by currently only supports the ordering of columns following their"
            + " declared order in the PRIMARY KEY", o.column().at());
      }
      next++;
      boolean r = o.descending() != (c.order() == ClusteringOrder.DESC);
      if (reversed == null) {
        reversed = r;
      } else if (reversed != r) {
        throw invalid("Unsupported order by relation", o.column().at());
      }
    }
    return reversed;
  }

  private OptionalInt limit(Literal l, String what) {
    if (l == null) {
      return OptionalInt.empty();
    }
    if (l.kind() == LiteralKind.NULL) {
      throw invalid("Invalid null value of limit", l.at());
    }
    if (l.kind() != LiteralKind.INTEGER) {
      throw invalid("Invalid limit value: " + what + " takes a positive integer", l.at());
    }
    long v;
    try {
      v = Long.parseLong(l.text());
    } catch (NumberFormatException e) {
      throw invalid("Invalid limit value", l.at());
    }
    if (v <= 0) {
      throw invalid(what + " must be strictly positive", l.at());
    }
    if (v > Integer.MAX_VALUE) {
      throw invalid("Invalid limit value: " + what + " is at most " + Integer.MAX_VALUE, l.at());
    }
    return OptionalInt.of((int) v);
  }

  // ---- shell ----

  private Plan shell(Stmt stmt) {
    if (stmt instanceof Paging p) {
      if (p.pageSize() != null) {
        int n;
        try {
          n = Integer.parseInt(p.pageSize().text());
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n <= 0) {
          throw invalid("PAGING needs a positive page size, ON or OFF", p.pageSize().at());
        }
        return new ShellPlan.Paging(OptionalInt.of(n), false, false);
      }
      return new ShellPlan.Paging(OptionalInt.empty(), p.off(), p.on());
    }
    if (stmt instanceof Tracing tr) {
      return new ShellPlan.Tracing(tr.on());
    }
    if (stmt instanceof ConsistencyStmt c) {
      if (c.level() == null) {
        return new ShellPlan.SetConsistency(null);
      }
      try {
        return new ShellPlan.SetConsistency(
            Consistency.valueOf(c.level().name().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw invalid("Improper CONSISTENCY command: unknown level " + c.level().name()
            + " (supported: ONE, QUORUM, ALL)", c.level().at());
      }
    }
    if (stmt instanceof Ast.Describe d) {
      switch (d.kind()) {
        case KEYSPACES:
          return new ShellPlan.Describe(ShellPlan.Describe.Kind.KEYSPACES, null, null);
        case TABLES:
          return new ShellPlan.Describe(ShellPlan.Describe.Kind.TABLES, currentKeyspace, null);
        case KEYSPACE: {
          String ks = d.name() == null ? currentKeyspace : d.name().name().name();
          if (ks == null) {
            throw invalid("No keyspace specified and no current keyspace", null);
          }
          if (schema.keyspace(ks).isEmpty()) {
            throw invalid("Keyspace '" + ks + "' not found", d.name() == null ? null
                : d.name().at());
          }
          return new ShellPlan.Describe(ShellPlan.Describe.Kind.KEYSPACE, ks, null);
        }
        default: {
          TableMetadata t = table(d.name());
          return new ShellPlan.Describe(ShellPlan.Describe.Kind.TABLE, t.keyspace(), t.name());
        }
      }
    }
    if (stmt instanceof ShowCluster) {
      return new ShellPlan.ShowCluster();
    }
    if (stmt instanceof Ast.Source src) {
      return new ShellPlan.Source(src.file());
    }
    if (stmt instanceof Ast.Help) {
      return new ShellPlan.Help();
    }
    if (stmt instanceof Ast.Exit) {
      return new ShellPlan.Exit();
    }
    throw new AssertionError(stmt);
  }
}
