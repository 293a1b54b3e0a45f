/** Plans: what bound CQL statements ask a backend to do. */
package dev.braid.cql.plan;
