package dev.braid.query;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The v2 read command: the same fields as {@link ReadCommand} (every field, in the same order,
 * with the same defaults) but carrying a {@link PartitionSliceV2} whose ranges are position
 * ranges. Immutable; build with {@link #builder()}. A reversed v2 command is always native: the
 * slice in native reversed layout and the reversed schema's version.
 */
public final class ReadCommandV2 {
    private final UUID tableId;
    private final UUID schemaVersion;
    private final PartitionSliceV2 slice;
    private final long rowLimit;
    private final Instant timestamp;
    private final TraceInfo traceInfo;
    private final long partitionLimit;
    private final UUID queryId;
    private final boolean firstPage;
    private final MaxResultSize maxResultSize;
    private final long tombstoneLimit;
    private final long readTimestamp;
    private final boolean allowLimit;

    private ReadCommandV2(Builder b) {
        this.tableId = b.tableId;
        this.schemaVersion = b.schemaVersion;
        this.slice = b.slice;
        this.rowLimit = b.rowLimit;
        this.timestamp = b.timestamp;
        this.traceInfo = b.traceInfo;
        this.partitionLimit = b.partitionLimit;
        this.queryId = b.queryId;
        this.firstPage = b.firstPage;
        this.maxResultSize = b.maxResultSize;
        this.tombstoneLimit = b.tombstoneLimit;
        this.readTimestamp = b.readTimestamp;
        this.allowLimit = b.allowLimit;
    }

    /** A builder; table id, schema version, slice and timestamp are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialized from this command. */
    public Builder toBuilder() {
        return new Builder().tableId(tableId).schemaVersion(schemaVersion).slice(slice).rowLimit(rowLimit)
                .timestamp(timestamp).traceInfo(traceInfo).partitionLimit(partitionLimit).queryId(queryId)
                .firstPage(firstPage).maxResultSize(maxResultSize).tombstoneLimit(tombstoneLimit)
                .readTimestamp(readTimestamp).allowLimit(allowLimit);
    }


    /** The v2 form of a v1 command: the slice through {@link PartitionSliceV2#fromLegacy}, every other field copied. */
    public static ReadCommandV2 fromLegacy(ReadCommand c) {
        Builder b = builder();
        b.tableId = c.tableId();
        b.schemaVersion = c.schemaVersion();
        b.slice = PartitionSliceV2.fromLegacy(c.slice());
        b.rowLimit = c.rowLimit();
        b.timestamp = c.timestamp();
        b.traceInfo = c.traceInfo().orElse(null);
        b.partitionLimit = c.partitionLimit();
        b.queryId = c.queryId();
        b.firstPage = c.isFirstPage();
        b.maxResultSize = c.maxResultSize().orElse(null);
        b.tombstoneLimit = c.tombstoneLimit();
        b.readTimestamp = c.readTimestamp();
        b.allowLimit = c.allowLimit();
        return b.build();
    }

    /**
     * The v1 form: the slice through {@link PartitionSliceV2#toLegacy(ClusteringSchema)}, every
     * other field copied.
     *
     * @param schema the schema of {@link #schemaVersion()} (the reversed schema for a reversed command)
     */
    public ReadCommand toLegacy(ClusteringSchema schema) {
        return ReadCommand.builder().tableId(tableId).schemaVersion(schemaVersion).slice(slice.toLegacy(schema))
                .rowLimit(rowLimit).timestamp(timestamp).traceInfo(traceInfo).partitionLimit(partitionLimit)
                .queryId(queryId).firstPage(firstPage).maxResultSize(maxResultSize).tombstoneLimit(tombstoneLimit)
                .readTimestamp(readTimestamp).allowLimit(allowLimit).build();
    }

    /** The table. */
    public UUID tableId() {
        return tableId;
    }

    /** The schema version the command is expressed in (the reversed schema's for native reversed reads). */
    public UUID schemaVersion() {
        return schemaVersion;
    }

    /** The slice. */
    public PartitionSliceV2 slice() {
        return slice;
    }

    /** Total live-row limit, unsigned 64-bit. */
    public long rowLimit() {
        return rowLimit;
    }

    /** Low 32 bits of the row limit. */
    public int rowLimitLowBits() {
        return (int) rowLimit;
    }

    /** High 32 bits of the row limit. */
    public int rowLimitHighBits() {
        return (int) (rowLimit >>> 32);
    }

    /** The query's "now" (whole seconds). */
    public Instant timestamp() {
        return timestamp;
    }

    /** Tracing state, if traced. */
    public Optional<TraceInfo> traceInfo() {
        return Optional.ofNullable(traceInfo);
    }

    /** Maximum live partitions, unsigned 32-bit. */
    public long partitionLimit() {
        return partitionLimit;
    }

    /** The paged query's id ({@link ReadCommand#NULL_QUERY_ID} if none). */
    public UUID queryId() {
        return queryId;
    }

    /** Whether this is the first page of a (maybe) paged query. */
    public boolean isFirstPage() {
        return firstPage;
    }

    /** Memory/page-size limits, if set. */
    public Optional<MaxResultSize> maxResultSize() {
        return Optional.ofNullable(maxResultSize);
    }

    /** Tombstone limit, unsigned 64-bit. */
    public long tombstoneLimit() {
        return tombstoneLimit;
    }

    /** Coordinator-local read timestamp (micros), not serialized. */
    public long readTimestamp() {
        return readTimestamp;
    }

    /** Coordinator-local: whether per-partition rate limiting applies; not serialized. */
    public boolean allowLimit() {
        return allowLimit;
    }

    /**
     * The native reversed command: {@link PartitionSliceV2#reversed()} and the schema version
     * flipped with {@link ReadCommand#reversedSchemaVersion(UUID)}. An involution.
     */
    public ReadCommandV2 reversed() {
        return toBuilder().slice(slice.reversed()).schemaVersion(ReadCommand.reversedSchemaVersion(schemaVersion)).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadCommandV2 c && tableId.equals(c.tableId) && schemaVersion.equals(c.schemaVersion)
                && slice.equals(c.slice) && rowLimit == c.rowLimit && timestamp.equals(c.timestamp)
                && Objects.equals(traceInfo, c.traceInfo) && partitionLimit == c.partitionLimit
                && queryId.equals(c.queryId) && firstPage == c.firstPage
                && Objects.equals(maxResultSize, c.maxResultSize) && tombstoneLimit == c.tombstoneLimit
                && readTimestamp == c.readTimestamp && allowLimit == c.allowLimit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableId, schemaVersion, slice, rowLimit, timestamp, traceInfo, partitionLimit, queryId,
                firstPage, maxResultSize, tombstoneLimit, readTimestamp, allowLimit);
    }

    @Override
    public String toString() {
        return "ReadCommandV2{table=" + tableId + ", schemaVersion=" + schemaVersion + ", slice=" + slice
                + ", rowLimit=" + Long.toUnsignedString(rowLimit) + ", timestamp=" + timestamp
                + ", partitionLimit=" + partitionLimit + ", queryId=" + queryId + ", firstPage=" + firstPage
                + (maxResultSize == null ? "" : ", maxResultSize=" + maxResultSize)
                + ", tombstoneLimit=" + Long.toUnsignedString(tombstoneLimit) + "}";
    }

    /** Builds {@link ReadCommandV2}s; {@link #build()} validates. */
    public static final class Builder {
        private UUID tableId;
        private UUID schemaVersion;
        private PartitionSliceV2 slice;
        private long rowLimit = ReadCommand.NO_ROW_LIMIT;
        private Instant timestamp;
        private TraceInfo traceInfo;
        private long partitionLimit = ReadCommand.NO_PARTITION_LIMIT;
        private UUID queryId = ReadCommand.NULL_QUERY_ID;
        private boolean firstPage;
        private MaxResultSize maxResultSize;
        private long tombstoneLimit = ReadCommand.NO_TOMBSTONE_LIMIT;
        private long readTimestamp = ReadCommand.MISSING_TIMESTAMP;
        private boolean allowLimit;

        private Builder() {
        }

        /** Sets the table id. */
        public Builder tableId(UUID v) {
            this.tableId = v;
            return this;
        }

        /** Sets the schema version. */
        public Builder schemaVersion(UUID v) {
            this.schemaVersion = v;
            return this;
        }

        /** Sets the slice. */
        public Builder slice(PartitionSliceV2 v) {
            this.slice = v;
            return this;
        }

        /** Sets the row limit (unsigned 64-bit). */
        public Builder rowLimit(long v) {
            this.rowLimit = v;
            return this;
        }

        /** Sets the row limit from its two wire halves. */
        public Builder rowLimit(int lowBits, int highBits) {
            this.rowLimit = ((long) highBits << 32) | (lowBits & 0xFFFF_FFFFL);
            return this;
        }

        /** Sets the query time (whole seconds). */
        public Builder timestamp(Instant v) {
            this.timestamp = v;
            return this;
        }

        /** Sets (or clears, with null) the trace info. */
        public Builder traceInfo(TraceInfo v) {
            this.traceInfo = v;
            return this;
        }

        /** Sets the partition limit (0..2^32-1). */
        public Builder partitionLimit(long v) {
            this.partitionLimit = v;
            return this;
        }

        /** Sets the query id. */
        public Builder queryId(UUID v) {
            this.queryId = v;
            return this;
        }

        /** Sets the first-page flag. */
        public Builder firstPage(boolean v) {
            this.firstPage = v;
            return this;
        }

        /** Sets (or clears, with null) the max result size. */
        public Builder maxResultSize(MaxResultSize v) {
            this.maxResultSize = v;
            return this;
        }

        /** Sets the tombstone limit (unsigned 64-bit). */
        public Builder tombstoneLimit(long v) {
            this.tombstoneLimit = v;
            return this;
        }

        /** Sets the coordinator-local read timestamp. */
        public Builder readTimestamp(long v) {
            this.readTimestamp = v;
            return this;
        }

        /** Sets the coordinator-local allow-limit flag. */
        public Builder allowLimit(boolean v) {
            this.allowLimit = v;
            return this;
        }

        /**
         * Builds the command.
         *
         * @throws NullPointerException     if table id, schema version, slice, timestamp or query id is missing
         * @throws IllegalArgumentException if the partition limit is outside 0..2^32-1 or the
         *                                  timestamp has a fraction of a second
         */
        public ReadCommandV2 build() {
            ReadCommand.validate(tableId, schemaVersion, slice, timestamp, queryId, partitionLimit);
            return new ReadCommandV2(this);
        }
    }
}
