package dev.braid.cql.plan;

import dev.braid.cql.schema.TableMetadata;

/**
 * {@code CREATE TABLE}.
 *
 * @param table       the table to create
 * @param ifNotExists whether an existing table is not an error
 */
public record CreateTablePlan(TableMetadata table, boolean ifNotExists) implements Plan {
}
