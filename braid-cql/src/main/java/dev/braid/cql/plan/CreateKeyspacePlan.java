package dev.braid.cql.plan;

import dev.braid.cql.schema.KeyspaceMetadata;

/**
 * {@code CREATE KEYSPACE}.
 *
 * @param keyspace    the keyspace to create
 * @param ifNotExists whether an existing keyspace is not an error
 */
public record CreateKeyspacePlan(KeyspaceMetadata keyspace, boolean ifNotExists) implements Plan {
}
