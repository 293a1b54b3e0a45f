package dev.braid.cql.plan;

/**
 * {@code DROP KEYSPACE}.
 *
 * @param keyspace the keyspace
 * @param ifExists whether a missing keyspace is not an error
 */
public record DropKeyspacePlan(String keyspace, boolean ifExists) implements Plan {
}
