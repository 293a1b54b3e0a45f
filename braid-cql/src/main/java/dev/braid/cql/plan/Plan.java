package dev.braid.cql.plan;

/**
 * What a bound statement asks for: a schema change, a write, a delete, a read, or a shell
 * setting. Plans are plain immutable data; a backend executes them. Values in plans are the
 * Java representations {@link dev.braid.query.ClusteringType} lists ({@code Integer}, {@code
 * Long}, {@code String}, {@code Bytes}, {@code Boolean}, {@code Double}, {@code UUID}, {@code
 * Instant}); {@code null} stands for a CQL null.
 */
public sealed interface Plan permits CreateKeyspacePlan, DropKeyspacePlan, UsePlan,
    CreateTablePlan, DropTablePlan, WritePlan, DeletePlan, SelectPlan, ShellPlan {
}
