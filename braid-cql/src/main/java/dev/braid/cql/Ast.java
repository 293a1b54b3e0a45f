package dev.braid.cql;

import java.util.List;

/** The syntax tree of the CQL subset. Every node keeps the token it starts at. */
final class Ast {
  private Ast() {
  }

  /** An identifier. */
  record Ident(String name, Token at) {
  }

  /** {@code [ks.]name}. */
  record QualifiedName(Ident keyspace, Ident name) {
    Token at() {
      return keyspace != null ? keyspace.at() : name.at();
    }
  }

  /** Literal kinds, as Cassandra names them in its error messages. */
  enum LiteralKind {
    STRING, INTEGER, FLOAT, HEX, UUID, BOOLEAN, NULL
  }

  /** A term: a literal or a tuple of terms. */
  sealed interface Term permits Literal, TupleTerm {
    Token at();
  }

  /** A literal; {@code text} is the value as written (strings unescaped). */
  record Literal(LiteralKind kind, String text, Token at) implements Term {
  }

  /** {@code (t1, t2, ...)}. */
  record TupleTerm(List<Term> elements, Token at) implements Term {
  }

  /** Comparison operators of relations. */
  enum Op {
    EQ("="), LT("<"), LTE("<="), GT(">"), GTE(">="), IN("IN"), NEQ("!=");

    final String text;

    Op(String text) {
      this.text = text;
    }

    boolean isSlice() {
      return this == LT || this == LTE || this == GT || this == GTE;
    }
  }

  /** A WHERE relation. */
  sealed interface Relation permits SingleRelation, MultiRelation, TokenRelation {
    Token at();
  }

  /** {@code col op term} or {@code col IN (terms)}. */
  record SingleRelation(Ident column, Op op, Term value, List<Term> inValues, Token at)
      implements Relation {
  }

  /** {@code (c1, c2) op (v1, v2)} or {@code (c1, c2) IN ((..), (..))}. */
  record MultiRelation(List<Ident> columns, Op op, TupleTerm value, List<TupleTerm> inValues,
      Token at, String text) implements Relation {
  }

  /** {@code token(k) op term}: parsed so that it can be rejected clearly. */
  record TokenRelation(List<Ident> columns, Op op, Term value, Token at) implements Relation {
  }

  /** {@code USING TIMESTAMP n AND TTL n}. */
  record Using(Literal timestamp, Literal ttl) {
    static final Using NONE = new Using(null, null);
  }

  /** A selected item. */
  sealed interface Selector permits ColumnSelector, TokenSelector {
    Token at();
  }

  /** A column. */
  record ColumnSelector(Ident column) implements Selector {
    public Token at() {
      return column.at();
    }
  }

  /** {@code token(k1, k2)}. */
  record TokenSelector(List<Ident> columns, Token at) implements Selector {
  }

  /** {@code col ASC|DESC}. */
  record Ordering(Ident column, boolean descending) {
  }

  /** {@code key: value} of a map literal. */
  record MapEntry(Literal key, Literal value) {
  }

  /** A parsed statement. */
  sealed interface Stmt permits CreateKeyspace, DropKeyspace, Use, CreateTable, DropTable,
      Insert, Update, Delete, Select, Paging, Tracing, ConsistencyStmt, Describe, ShowCluster,
      Source, Help, Exit {
  }

  record CreateKeyspace(Ident keyspace, boolean ifNotExists, List<MapEntry> replication,
      Token replicationAt) implements Stmt {
  }

  record DropKeyspace(Ident keyspace, boolean ifExists) implements Stmt {
  }

  record Use(Ident keyspace) implements Stmt {
  }

  record ColumnDef(Ident name, Ident type, boolean isStatic) {
  }

  record CreateTable(QualifiedName table, boolean ifNotExists, List<ColumnDef> columns,
      List<Ident> partitionKey, List<Ident> clustering, List<Ordering> clusteringOrder,
      Token primaryKeyAt) implements Stmt {
  }

  record DropTable(QualifiedName table, boolean ifExists) implements Stmt {
  }

  record Insert(QualifiedName table, List<Ident> columns, List<Term> values, Using using,
      Token valuesAt) implements Stmt {
  }

  record Assignment(Ident column, Term value) {
  }

  record Update(QualifiedName table, Using using, List<Assignment> assignments,
      List<Relation> where, Token whereAt) implements Stmt {
  }

  record Delete(List<Ident> columns, QualifiedName table, Using using, List<Relation> where,
      Token whereAt) implements Stmt {
  }

  record Select(List<Selector> selectors, QualifiedName table, List<Relation> where,
      List<Ordering> orderBy, Literal perPartitionLimit, Literal limit, Token orderByAt)
      implements Stmt {
  }

  /** {@code PAGING n | OFF}; {@code pageSize} null = OFF, absent statement value = show. */
  record Paging(Literal pageSize, boolean off, boolean on) implements Stmt {
  }

  record Tracing(Boolean on) implements Stmt {
  }

  record ConsistencyStmt(Ident level) implements Stmt {
  }

  enum DescribeKind {
    KEYSPACES, TABLES, TABLE, KEYSPACE
  }

  record Describe(DescribeKind kind, QualifiedName name) implements Stmt {
  }

  record ShowCluster() implements Stmt {
  }

  record Source(String file) implements Stmt {
  }

  record Help() implements Stmt {
  }

  record Exit() implements Stmt {
  }
}
