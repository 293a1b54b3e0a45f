/** The schema model the CQL binder validates statements against. */
package dev.braid.cql.schema;
