/**
 * Clustering positions and ranges for braid reads.
 *
 * <p>The model follows the position-range semantics of wide-column stores: a clustering
 * {@link dev.braid.query.ClusteringSchema schema} orders {@link dev.braid.query.ClusteringPrefix
 * clustering-key prefixes}; a {@link dev.braid.query.PositionInPartition position} is a point in
 * a partition (partition start, static row, a clustered position with a bound weight, partition
 * end) and positions are totally ordered by the schema; a {@link dev.braid.query.PositionRange}
 * is a half-open range {@code [start, end)} of positions. Legacy {@link
 * dev.braid.query.ClusteringRange clustering ranges} (intervals of prefixes) are kept only as a
 * wire/compatibility form and are converted to positions by {@link
 * dev.braid.query.RangeConversions} before any algebra. {@link
 * dev.braid.query.ClusteringIntervalSet} provides correct set algebra on positions.
 *
 * <p>{@link dev.braid.query.PartitionSlice} / {@link dev.braid.query.ReadCommand} are the v1
 * (legacy-range) request forms; {@link dev.braid.query.PartitionSliceV2} / {@link
 * dev.braid.query.ReadCommandV2} carry position ranges only. {@link dev.braid.query.Notation}
 * parses and prints the text notation documented in {@code docs/ranges.md}.
 */
package dev.braid.query;
