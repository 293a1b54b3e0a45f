/**
 * The CQL subset of braid: a hand-written lexer and recursive-descent parser, and a binder that
 * validates statements as Cassandra does and turns them into {@link dev.braid.cql.plan.Plan
 * plans} whose clustering restrictions are clustering ranges and position ranges of braid-query.
 * Entry point: {@link dev.braid.cql.Cql}.
 */
package dev.braid.cql;
