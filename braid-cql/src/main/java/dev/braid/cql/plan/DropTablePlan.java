package dev.braid.cql.plan;

/**
 * {@code DROP TABLE}.
 *
 * @param keyspace the keyspace
 * @param table    the table
 * @param ifExists whether a missing table is not an error
 */
public record DropTablePlan(String keyspace, String table, boolean ifExists) implements Plan {
}
