package dev.braid.cql;

import dev.braid.cql.Ast.MultiRelation;
import dev.braid.cql.Ast.Op;
import dev.braid.cql.schema.TableMetadata.Column;
import dev.braid.query.ClusteringOrder;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PositionRange;
import dev.braid.query.RangeConversions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The restrictions on clustering columns of one statement, merged and checked as Cassandra
 * does, and the clustering ranges they select.
 *
 * <p>Single-column restrictions: each {@code =} or {@code IN} extends a cross product of
 * prefixes; a slice ends the walk and is attached to every prefix (bound sides swapped on a DESC
 * column); a prefix of equalities becomes the singular range {@code {p}}. Multi-column
 * restrictions: a tuple comparison is taken with CQL tuple semantics (lexicographic in each
 * column's natural order), split into one storage-order range per run of same-direction columns
 * (ScyllaDB's get_equivalent_ranges, Cassandra's mixed-order slices); lower and upper bounds are
 * intersected in position space, so shapes such as {@code (c1,c2,c3) >= (5,6,7) AND (c1,c2) <=
 * (5,6)} (ScyllaDB #21604) become the non-empty {@code [(5,6,7), (5,6)]} instead of an empty or
 * illegal interval (#8157).
 */
final class ClusteringRestrictions {
  /** A bound of a slice: the values (one per column of the relation) and inclusiveness. */
  record SliceBound(List<Object> values, boolean inclusive, Ast.Relation from) {
  }

  /** Merged restriction of one clustering column (single-column mode). */
  static final class ColumnRestriction {
    final Column column;
    Object eq;
    List<Object> in;
    SliceBound lower;
    SliceBound upper;

    ColumnRestriction(Column column) {
      this.column = column;
    }

    boolean isSlice() {
      return lower != null || upper != null;
    }

    boolean isEqOrIn() {
      return eq != null || in != null;
    }
  }

  private final List<Column> columns;
  private final ClusteringSchema schema;
  private final ColumnRestriction[] single;
  private boolean anySingle;
  // multi-column mode
  private List<Object> multiEq;
  private List<List<Object>> multiIn;
  private SliceBound multiLower;
  private SliceBound multiUpper;
  private boolean anyMulti;
  private Ast.Relation firstMulti;
  private boolean multiIsSlice;
  private int multiInArity;

  ClusteringRestrictions(List<Column> clustering, ClusteringSchema schema) {
    this.columns = clustering;
    this.schema = schema;
    this.single = new ColumnRestriction[clustering.size()];
  }

  /** Whether any clustering column is restricted. */
  boolean isRestricted() {
    return anySingle || anyMulti;
  }

  /** Whether there is a slice (range) restriction. */
  boolean hasSlice() {
    if (anyMulti) {
      return multiIsSlice;
    }
    for (ColumnRestriction r : single) {
      if (r != null && r.isSlice()) {
        return true;
      }
    }
    return false;
  }

  /** Whether column {@code position} is restricted by a single-column {@code =} or a multi-column {@code =} covering it. */
  boolean isRestrictedByEq(int position) {
    if (anyMulti) {
      return multiEq != null && multiEq.size() > position;
    }
    return single[position] != null && single[position].eq != null;
  }

  void addSingle(Column c, Op op, Object value, List<Object> inValues, Ast.Relation rel,
      Binder b) {
    if (anyMulti) {
      throw b.invalid("Mixing single column relations and multi column relations on clustering"
          + " columns is not allowed", rel.at());
    }
    anySingle = true;
    eqRelations.putIfAbsent(c.position(), rel);
    ColumnRestriction r = single[c.position()];
    if (r == null) {
      r = new ColumnRestriction(c);
      single[c.position()] = r;
    } else if (r.eq != null) {
      throw b.invalid(c.name() + " cannot be restricted by more than one relation if it includes"
          + " an Equal", rel.at());
    } else if (r.in != null) {
      throw b.invalid(c.name() + " cannot be restricted by more than one relation if it includes"
          + " a IN", rel.at());
    } else if (op == Op.EQ || op == Op.IN) {
      throw b.invalid("Column \"" + c.name() + "\" cannot be restricted by both an equality and"
          + " an inequality relation", rel.at());
    }
    switch (op) {
      case EQ -> r.eq = value;
      case IN -> r.in = dedupe(inValues);
      case GT, GTE -> {
        if (r.lower != null) {
          throw b.invalid("More than one restriction was found for the start bound on "
              + c.name(), rel.at());
        }
        r.lower = new SliceBound(List.of(value), op == Op.GTE, rel);
      }
      case LT, LTE -> {
        if (r.upper != null) {
          throw b.invalid("More than one restriction was found for the end bound on "
              + c.name(), rel.at());
        }
        r.upper = new SliceBound(List.of(value), op == Op.LTE, rel);
      }
      default -> throw new AssertionError(op);
    }
  }

  void addMulti(MultiRelation rel, List<Object> value, List<List<Object>> inValues,
      List<Column> cols, Binder b) {
    if (anySingle) {
      throw b.invalid("Mixing single column relations and multi column relations on clustering"
          + " columns is not allowed", rel.at());
    }
    String names = String.join(", ", cols.stream().map(Column::name).toList());
    if (anyMulti) {
      String common = commonNames(cols);
      if (multiEq != null) {
        throw b.invalid(common + " cannot be restricted by more than one relation if it includes"
            + " an Equal", rel.at());
      }
      if (multiIn != null) {
        throw b.invalid(common + " cannot be restricted by more than one relation if it includes"
            + " a IN", rel.at());
      }
      if (rel.op() == Op.EQ || rel.op() == Op.IN) {
        throw b.invalid("Column \"" + columns.get(0).name() + "\" cannot be restricted by both an"
            + " equality and an inequality relation", rel.at());
      }
    }
    anyMulti = true;
    if (firstMulti == null) {
      firstMulti = rel;
    }
    switch (rel.op()) {
      case EQ -> multiEq = value;
      case IN -> {
        multiIn = dedupeTuples(inValues);
        multiInArity = cols.size();
      }
      case GT, GTE -> {
        if (multiLower != null) {
          throw b.invalid("More than one restriction was found for the start bound on "
              + commonNames(cols), rel.at());
        }
        multiLower = new SliceBound(value, rel.op() == Op.GTE, rel);
        multiIsSlice = true;
      }
      case LT, LTE -> {
        if (multiUpper != null) {
          throw b.invalid("More than one restriction was found for the end bound on "
              + commonNames(cols), rel.at());
        }
        multiUpper = new SliceBound(value, rel.op() == Op.LTE, rel);
        multiIsSlice = true;
      }
      default -> throw new AssertionError(names);
    }
  }

  private String commonNames(List<Column> cols) {
    int n = cols.size();
    if (multiEq != null) {
      n = Math.min(n, multiEq.size());
    }
    if (multiLower != null) {
      n = Math.min(n, multiLower.values().size());
    }
    if (multiUpper != null) {
      n = Math.min(n, multiUpper.values().size());
    }
    if (multiIn != null && !multiIn.isEmpty()) {
      n = Math.min(n, multiIn.get(0).size());
    }
    return String.join(", ", cols.subList(0, Math.max(1, n)).stream().map(Column::name).toList());
  }

  /**
   * Checks the prefix rules (single-column mode): no gap, nothing after a slice.
   *
   * @return the number of leading columns restricted
   */
  int checkPrefix(Binder b) {
    int n = 0;
    for (int i = 0; i < single.length; i++) {
      if (single[i] == null) {
        for (int j = i + 1; j < single.length; j++) {
          if (single[j] != null) {
            throw b.invalid("PRIMARY KEY column \"" + columns.get(j).name() + "\" cannot be"
                + " restricted as preceding column \"" + columns.get(i).name()
                + "\" is not restricted", firstRelation(single[j]).at());
          }
        }
        break;
      }
      if (i > 0 && single[i - 1].isSlice()) {
        throw b.invalid("Clustering column \"" + columns.get(i).name() + "\" cannot be restricted"
            + " (preceding column \"" + columns.get(i - 1).name() + "\" is restricted by a"
            + " non-EQ relation)", firstRelation(single[i]).at());
      }
      n++;
    }
    return n;
  }

  private Ast.Relation firstRelation(ColumnRestriction r) {
    return eqRelations.get(r.column.position());
  }

  private final java.util.Map<Integer, Ast.Relation> eqRelations = new java.util.HashMap<>();

  /**
   * Whether the restrictions select exact rows: every clustering column restricted by
   * {@code =}/{@code IN} (a "names" query).
   */
  boolean selectsFullKeys() {
    if (columns.isEmpty()) {
      return true;
    }
    if (anyMulti) {
      if (multiEq != null) {
        return multiEq.size() == columns.size();
      }
      if (multiIn != null) {
        return multiInArity == columns.size();
      }
      return false;
    }
    for (ColumnRestriction r : single) {
      if (r == null || !r.isEqOrIn()) {
        return false;
      }
    }
    return true;
  }


  /** How many leading clustering columns are restricted by =/IN (single or multi-column). */
  int coveredColumns() {
    if (anyMulti) {
      return multiEq != null ? multiEq.size() : multiIn != null ? multiInArity : 0;
    }
    int n = 0;
    while (n < single.length && single[n] != null && single[n].isEqOrIn()) {
      n++;
    }
    return n;
  }

  /** The legacy ranges and their position ranges, sorted in clustering order, empty ones dropped. */
  Ranges ranges() {
    if (!isRestricted()) {
      return new Ranges(List.of(ClusteringRange.full()), List.of(PositionRange.allClusteredRows()));
    }
    List<ClusteringRange> legacy = new ArrayList<>();
    List<PositionRange> positions = new ArrayList<>();
    if (anyMulti) {
      multiRanges(legacy, positions);
    } else {
      singleRanges(legacy, positions);
    }
    return sortAndDropEmpty(legacy, positions);
  }

  /** Sorted legacy ranges with their position ranges. */
  record Ranges(List<ClusteringRange> legacy, List<PositionRange> positions) {
  }

  private void singleRanges(List<ClusteringRange> legacy, List<PositionRange> positions) {
    List<ClusteringPrefix> prefixes = List.of(ClusteringPrefix.empty());
    ColumnRestriction slice = null;
    for (ColumnRestriction r : single) {
      if (r == null) {
        break;
      }
      if (r.isSlice()) {
        slice = r;
        break;
      }
      List<Object> vals = r.eq != null ? List.of(r.eq) : r.in;
      List<ClusteringPrefix> next = new ArrayList<>();
      for (ClusteringPrefix p : prefixes) {
        for (Object v : vals) {
          next.add(p.extend(v));
        }
      }
      prefixes = next;
    }
    for (ClusteringPrefix p : prefixes) {
      ClusteringRange cr;
      if (slice == null) {
        cr = ClusteringRange.singular(p);
      } else {
        boolean desc = slice.column.order() == ClusteringOrder.DESC;
        SliceBound startCql = desc ? slice.upper : slice.lower;
        SliceBound endCql = desc ? slice.lower : slice.upper;
        Optional<ClusteringRange.Bound> start = startCql != null
            ? Optional.of(new ClusteringRange.Bound(p.extend(startCql.values().get(0)),
                startCql.inclusive()))
            : p.isEmpty() ? Optional.empty() : Optional.of(ClusteringRange.Bound.inclusive(p));
        Optional<ClusteringRange.Bound> end = endCql != null
            ? Optional.of(new ClusteringRange.Bound(p.extend(endCql.values().get(0)),
                endCql.inclusive()))
            : p.isEmpty() ? Optional.empty() : Optional.of(ClusteringRange.Bound.inclusive(p));
        cr = ClusteringRange.of(start, end);
      }
      legacy.add(cr);
      positions.add(RangeConversions.fromLegacy(cr));
    }
  }

  private void multiRanges(List<ClusteringRange> legacy, List<PositionRange> positions) {
    if (multiEq != null) {
      ClusteringRange cr = ClusteringRange.singular(ClusteringPrefix.of(multiEq));
      legacy.add(cr);
      positions.add(RangeConversions.fromLegacy(cr));
      return;
    }
    if (multiIn != null) {
      for (List<Object> t : multiIn) {
        ClusteringRange cr = ClusteringRange.singular(ClusteringPrefix.of(t));
        legacy.add(cr);
        positions.add(RangeConversions.fromLegacy(cr));
      }
      return;
    }
    List<ClusteringRange> lower = multiLower == null ? List.of(ClusteringRange.full())
        : pieces(multiLower.values(), true, multiLower.inclusive());
    List<ClusteringRange> upper = multiUpper == null ? List.of(ClusteringRange.full())
        : pieces(multiUpper.values(), false, multiUpper.inclusive());
    if (lower.size() == 1 && upper.size() == 1) {
      // one storage range per side: keep Cassandra's/ScyllaDB's shape, e.g. [(5,6,7), (5,6)]
      ClusteringRange l = lower.get(0);
      ClusteringRange u = upper.get(0);
      // all ASC: the lower CQL bound starts the storage range; all DESC: it ends it
      ClusteringRange cr = null;
      if (l.end().isEmpty() && u.start().isEmpty()) {
        cr = ClusteringRange.of(l.start(), u.end());
      } else if (l.start().isEmpty() && u.end().isEmpty()) {
        cr = ClusteringRange.of(u.start(), l.end());
      }
      if (cr != null) {
        legacy.add(cr);
        positions.add(RangeConversions.fromLegacy(cr));
        return;
      }
    }
    for (ClusteringRange l : lower) {
      PositionRange lp = RangeConversions.fromLegacy(l);
      for (ClusteringRange u : upper) {
        Optional<PositionRange> x = lp.intersection(schema, RangeConversions.fromLegacy(u));
        if (x.isPresent()) {
          Optional<ClusteringRange> cr = RangeConversions.toLegacy(schema, x.get());
          if (cr.isPresent()) {
            legacy.add(cr.get());
            positions.add(RangeConversions.fromLegacy(cr.get()));
          }
        }
      }
    }
  }

  /**
   * The storage-order ranges of keys whose first {@code v.size()} components compare greater
   * ({@code lower}) or less than {@code v} in CQL tuple order (equal included when {@code
   * inclusive}). One range per run of same-direction columns, disjoint.
   */
  private List<ClusteringRange> pieces(List<Object> v, boolean lower, boolean inclusive) {
    List<ClusteringRange> out = new ArrayList<>();
    int k = v.size();
    int s = 0;
    while (s < k) {
      ClusteringOrder dir = columns.get(s).order();
      int e = s;
      while (e + 1 < k && columns.get(e + 1).order() == dir) {
        e++;
      }
      boolean last = e == k - 1;
      ClusteringPrefix p = ClusteringPrefix.of(v.subList(0, s));
      ClusteringPrefix pv = ClusteringPrefix.of(v.subList(0, e + 1));
      boolean incl = last && inclusive;
      // "after pv" in CQL order is "after" in storage order on an ASC run, "before" on DESC
      boolean towardsEnd = lower == (dir == ClusteringOrder.ASC);
      Optional<ClusteringRange.Bound> pBound =
          p.isEmpty() ? Optional.empty() : Optional.of(ClusteringRange.Bound.inclusive(p));
      Optional<ClusteringRange.Bound> vBound = Optional.of(new ClusteringRange.Bound(pv, incl));
      out.add(towardsEnd ? ClusteringRange.of(vBound, pBound) : ClusteringRange.of(pBound, vBound));
      s = e + 1;
    }
    return out;
  }

  private Ranges sortAndDropEmpty(List<ClusteringRange> legacy, List<PositionRange> positions) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < positions.size(); i++) {
      if (!positions.get(i).isEmpty(schema)) {
        idx.add(i);
      }
    }
    Comparator<PositionRange> byStart = (a, b) -> schema.compare(a.start(), b.start());
    idx.sort((a, b) -> byStart.compare(positions.get(a), positions.get(b)));
    List<ClusteringRange> l = new ArrayList<>();
    List<PositionRange> p = new ArrayList<>();
    for (int i : idx) {
      if (!p.isEmpty() && p.get(p.size() - 1).equals(positions.get(i))) {
        continue;
      }
      l.add(legacy.get(i));
      p.add(positions.get(i));
    }
    return new Ranges(List.copyOf(l), List.copyOf(p));
  }

  private static List<Object> dedupe(List<Object> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }

  private static List<List<Object>> dedupeTuples(List<List<Object>> values) {
    return List.copyOf(new LinkedHashSet<>(values));
  }
}
