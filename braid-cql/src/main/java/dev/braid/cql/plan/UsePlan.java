package dev.braid.cql.plan;

/**
 * {@code USE ks}: the shell's current keyspace (checked to exist when bound).
 *
 * @param keyspace the keyspace
 */
public record UsePlan(String keyspace) implements Plan {
}
