package dev.braid.cql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cql.plan.DeletePlan;
import dev.braid.cql.plan.SelectPlan;
import dev.braid.cql.schema.TableMetadata;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.ClusteringType;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.RangeConversions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The binder's clustering ranges against an independent oracle: for random schemas (1-3
 * clustering columns of int or text, mixed ASC/DESC), random WHERE clauses (single-column =, IN
 * and slices; multi-column =, IN and slices with bounds of different lengths) and every full
 * clustering key of a small domain, "the key satisfies the WHERE clause, evaluated on the values
 * with CQL tuple-comparison semantics" iff "the key's row position lies in one of the produced
 * position ranges". Checked for SELECT forward, SELECT reversed (native layout under the
 * reversed schema), the legacy ranges, and DELETE.
 *
 * <p>The oracle below never looks at ranges, positions or storage order: it compares values in
 * their type's natural order only.
 */
class WherePredicateProperties {
  static final int DOMAIN = 4;

  /** A generated case: column types/orders and the WHERE clause as data. */
  record Case(List<ClusteringType> types, List<ClusteringOrder> orders, List<Rel> rels,
      long seed) {
    @Override
    public String toString() {
      return "types=" + types + " orders=" + orders + " where=" + where();
    }

    String where() {
      StringJoiner j = new StringJoiner(" AND ");
      j.add("k = 0");
      for (Rel r : rels) {
        j.add(r.render(this));
      }
      return j.toString();
    }
  }

  /** A relation: columns 0..arity-1 (multi) or one column; op; values (one tuple or several). */
  record Rel(boolean multi, int column, int arity, String op, List<List<Integer>> values) {
    String render(Case c) {
      if (!multi) {
        String col = "c" + column;
        if (op.equals("IN")) {
          StringJoiner j = new StringJoiner(", ", "(", ")");
          values.forEach(v -> j.add(lit(c, column, v.get(0))));
          return col + " IN " + j;
        }
        return col + " " + op + " " + lit(c, column, values.get(0).get(0));
      }
      StringJoiner cols = new StringJoiner(", ", "(", ")");
      for (int i = 0; i < arity; i++) {
        cols.add("c" + i);
      }
      if (op.equals("IN")) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        values.forEach(v -> j.add(tuple(c, v)));
        return cols + " IN " + j;
      }
      return cols + " " + op + " " + tuple(c, values.get(0));
    }

    private static String tuple(Case c, List<Integer> v) {
      StringJoiner j = new StringJoiner(", ", "(", ")");
      for (int i = 0; i < v.size(); i++) {
        j.add(lit(c, i, v.get(i)));
      }
      return j.toString();
    }
  }

  static String lit(Case c, int column, int v) {
    return c.types().get(column) == ClusteringType.TEXT ? "'" + (char) ('a' + v) + "'"
        : Integer.toString(v - 1); // ints -1..2: negative values too
  }

  static Object value(ClusteringType t, int v) {
    return t == ClusteringType.TEXT ? String.valueOf((char) ('a' + v)) : (Object) (v - 1);
  }

  // ---- the oracle: direct evaluation on values ----

  static boolean satisfies(Case c, List<Integer> key) {
    for (Rel r : c.rels()) {
      if (!satisfies(r, key)) {
        return false;
      }
    }
    return true;
  }

  static boolean satisfies(Rel r, List<Integer> key) {
    // domain indexes are ordered exactly as the values' natural order (ints v-1, text 'a'+v)
    if (r.op().equals("IN")) {
      for (List<Integer> v : r.values()) {
        if (compareTuple(key, r, v) == 0) {
          return true;
        }
      }
      return false;
    }
    int cmp = compareTuple(key, r, r.values().get(0));
    switch (r.op()) {
      case "=":
        return cmp == 0;
      case "<":
        return cmp < 0;
      case "<=":
        return cmp <= 0;
      case ">":
        return cmp > 0;
      case ">=":
        return cmp >= 0;
      default:
        throw new AssertionError(r.op());
    }
  }

  /** Lexicographic comparison of the restricted key components with the values. */
  static int compareTuple(List<Integer> key, Rel r, List<Integer> v) {
    int from = r.multi() ? 0 : r.column();
    for (int i = 0; i < v.size(); i++) {
      int c = Integer.compare(key.get(from + i), v.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  // ---- generators ----

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.longs().map(WherePredicateProperties::generate);
  }

  static Case generate(long seed) {
    Random rnd = new Random(seed);
    int n = 1 + rnd.nextInt(3);
    List<ClusteringType> types = new ArrayList<>();
    List<ClusteringOrder> orders = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      types.add(rnd.nextBoolean() ? ClusteringType.INT : ClusteringType.TEXT);
      orders.add(rnd.nextBoolean() ? ClusteringOrder.ASC : ClusteringOrder.DESC);
    }
    List<Rel> rels = new ArrayList<>();
    if (rnd.nextBoolean()) {
      int eqs = rnd.nextInt(n + 1);
      for (int i = 0; i < eqs; i++) {
        if (rnd.nextInt(3) == 0) {
          int m = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(3);
          List<List<Integer>> vs = new ArrayList<>();
          for (int j = 0; j < m; j++) {
            vs.add(List.of(rnd.nextInt(DOMAIN)));
          }
          rels.add(new Rel(false, i, 1, "IN", vs));
        } else {
          rels.add(new Rel(false, i, 1, "=", List.of(List.of(rnd.nextInt(DOMAIN)))));
        }
      }
      if (eqs < n && rnd.nextInt(4) != 0) {
        int which = rnd.nextInt(3);
        if (which != 1) {
          rels.add(new Rel(false, eqs, 1, rnd.nextBoolean() ? ">" : ">=",
              List.of(List.of(rnd.nextInt(DOMAIN)))));
        }
        if (which != 0) {
          rels.add(new Rel(false, eqs, 1, rnd.nextBoolean() ? "<" : "<=",
              List.of(List.of(rnd.nextInt(DOMAIN)))));
        }
      }
    } else {
      int kind = rnd.nextInt(4);
      if (kind == 0) {
        int k = 1 + rnd.nextInt(n);
        rels.add(new Rel(true, 0, k, "=", List.of(tuple(rnd, k))));
      } else if (kind == 1) {
        int k = 1 + rnd.nextInt(n);
        List<List<Integer>> vs = new ArrayList<>();
        int m = rnd.nextInt(4);
        for (int j = 0; j < m; j++) {
          vs.add(tuple(rnd, k));
        }
        rels.add(new Rel(true, 0, k, "IN", vs));
      } else {
        int which = rnd.nextInt(3);
        if (which != 1) {
          int k = 1 + rnd.nextInt(n);
          rels.add(new Rel(true, 0, k, rnd.nextBoolean() ? ">" : ">=", List.of(tuple(rnd, k))));
        }
        if (which != 0) {
          int k = 1 + rnd.nextInt(n);
          rels.add(new Rel(true, 0, k, rnd.nextBoolean() ? "<" : "<=", List.of(tuple(rnd, k))));
        }
      }
    }
    Collections.shuffle(rels, rnd);
    return new Case(types, orders, rels, seed);
  }

  private static List<Integer> tuple(Random rnd, int k) {
    List<Integer> t = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      t.add(rnd.nextInt(DOMAIN));
    }
    return t;
  }

  // ---- the property ----

  static TableMetadata table(Case c) {
    List<TableMetadata.Column> cols = new ArrayList<>();
    cols.add(new TableMetadata.Column("k", ClusteringType.INT, TableMetadata.Kind.PARTITION_KEY,
        0, ClusteringOrder.ASC));
    for (int i = 0; i < c.types().size(); i++) {
      cols.add(new TableMetadata.Column("c" + i, c.types().get(i), TableMetadata.Kind.CLUSTERING,
          i, c.orders().get(i)));
    }
    cols.add(new TableMetadata.Column("v", ClusteringType.INT, TableMetadata.Kind.REGULAR, 0,
        ClusteringOrder.ASC));
    return TableMetadata.of("ks", "t", cols);
  }

  static List<List<Integer>> allKeys(int n) {
    List<List<Integer>> keys = new ArrayList<>();
    keys.add(List.of());
    for (int i = 0; i < n; i++) {
      List<List<Integer>> next = new ArrayList<>();
      for (List<Integer> k : keys) {
        for (int v = 0; v < DOMAIN; v++) {
          List<Integer> kk = new ArrayList<>(k);
          kk.add(v);
          next.add(kk);
        }
      }
      keys = next;
    }
    return keys;
  }

  static ClusteringPrefix prefix(Case c, List<Integer> key) {
    List<Object> vals = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      vals.add(value(c.types().get(i), key.get(i)));
    }
    return ClusteringPrefix.of(vals);
  }

  static boolean inAny(ClusteringSchema schema, List<PositionRange> ranges, ClusteringPrefix k) {
    PositionInPartition p = PositionInPartition.forKey(k);
    return ranges.stream().anyMatch(r -> r.contains(schema, p));
  }

  @Property(tries = 1500)
  void selectRangesSelectExactlyTheSatisfyingKeys(@ForAll("cases") Case c) {
    TableMetadata t = table(c);
    TestSchema schema = new TestSchema().table(t);
    ClusteringSchema cs = t.clusteringSchema();
    SelectPlan fwd = (SelectPlan) Cql.prepare("SELECT * FROM t WHERE " + c.where(), schema, "ks");
    String opposite = c.orders().get(0) == ClusteringOrder.ASC ? "DESC" : "ASC";
    SelectPlan rev = (SelectPlan) Cql.prepare("SELECT * FROM t WHERE " + c.where()
        + " ORDER BY c0 " + opposite, schema, "ks");
    assertThat(fwd.reversed()).isFalse();
    assertThat(rev.reversed()).isTrue();
    assertThat(fwd.hasClusteringRestriction()).isEqualTo(!c.rels().isEmpty());
    assertThat(fwd.clusteringRanges()).hasSameSizeAs(fwd.positionRanges());
    // sorted, disjoint, non-empty
    for (int i = 0; i < fwd.positionRanges().size(); i++) {
      PositionRange r = fwd.positionRanges().get(i);
      assertThat(r.isEmpty(cs)).as("empty range %s", r).isFalse();
      if (i > 0) {
        PositionRange p = fwd.positionRanges().get(i - 1);
        assertThat(cs.compare(p.end(), r.start())).as("%s then %s", p, r).isLessThanOrEqualTo(0);
      }
    }
    List<PositionRange> fromLegacy = RangeConversions.fromLegacy(fwd.clusteringRanges());
    ClusteringSchema reversedSchema = cs.reversed();
    for (List<Integer> key : allKeys(c.types().size())) {
      ClusteringPrefix k = prefix(c, key);
      boolean expected = satisfies(c, key);
      assertThat(inAny(cs, fwd.positionRanges(), k)).as("key %s in %s", k, fwd.positionRanges())
          .isEqualTo(expected);
      assertThat(inAny(cs, fromLegacy, k)).as("key %s in legacy %s", k, fwd.clusteringRanges())
          .isEqualTo(expected);
      assertThat(inAny(reversedSchema, rev.nativeReversedRanges(), k))
          .as("key %s in reversed %s", k, rev.nativeReversedRanges()).isEqualTo(expected);
    }
  }

  @Property(tries = 700)
  void deleteCoversExactlyTheSatisfyingKeys(@ForAll("cases") Case c) {
    TableMetadata t = table(c);
    TestSchema schema = new TestSchema().table(t);
    ClusteringSchema cs = t.clusteringSchema();
    DeletePlan d = (DeletePlan) Cql.prepare("DELETE FROM t USING TIMESTAMP 5 WHERE " + c.where(),
        schema, "ks");
    for (List<Integer> key : allKeys(c.types().size())) {
      ClusteringPrefix k = prefix(c, key);
      boolean expected = satisfies(c, key);
      boolean deleted = switch (d.kind()) {
        case PARTITION -> true;
        case ROWS -> d.rows().contains(k) && inAny(cs, d.ranges(), k);
        case RANGES -> inAny(cs, d.ranges(), k);
        default -> throw new AssertionError(d.kind());
      };
      assertThat(deleted).as("key %s, plan %s", k, d.kind()).isEqualTo(expected);
    }
    assertThat(d.timestamp()).hasValue(5);
  }
}
