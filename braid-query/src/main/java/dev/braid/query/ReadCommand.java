package dev.braid.query;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The v1 read command: a {@link PartitionSlice} (legacy clustering ranges) plus the table, schema
 * version, limits and paging state of a read. Immutable; build with {@link #builder()}.
 *
 * <p>Fields not present in older encodings take these defaults: trace info absent, partition
 * limit 2^32-1, query id all zeros, not first page, max result size absent, row-limit high bits
 * 0, tombstone limit 2^64-1. {@code readTimestamp} and {@code allowLimit} are coordinator-local
 * and never serialized.
 */
public final class ReadCommand {
    /** Unlimited rows (2^64 - 1 as unsigned). */
    public static final long NO_ROW_LIMIT = -1L;
    /** Unlimited partitions (2^32 - 1). */
    public static final long NO_PARTITION_LIMIT = 0xFFFF_FFFFL;
    /** Unlimited tombstones (2^64 - 1 as unsigned). */
    public static final long NO_TOMBSTONE_LIMIT = -1L;
    /** The "no query id" value. */
    public static final UUID NULL_QUERY_ID = new UUID(0, 0);
    /** The "missing" read timestamp. */
    public static final long MISSING_TIMESTAMP = Long.MIN_VALUE;

    private static final long REVERSED_VERSION_MASK = 0x2c1f_5a3e_9b07_d461L;

    private final UUID tableId;
    private final UUID schemaVersion;
    private final PartitionSlice slice;
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

    private ReadCommand(Builder b) {
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

    /**
     * The schema version of the reversed schema of a table whose version is {@code version}
     * (braid's convention: a fixed XOR, hence an involution).
     */
    public static UUID reversedSchemaVersion(UUID version) {
        return new UUID(version.getMostSignificantBits() ^ REVERSED_VERSION_MASK,
                version.getLeastSignificantBits() ^ REVERSED_VERSION_MASK);
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
    public PartitionSlice slice() {
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

    /** The paged query's id ({@link #NULL_QUERY_ID} if none). */
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
     * The native reversed command: {@link PartitionSlice#reversed()} and the schema version
     * flipped with {@link #reversedSchemaVersion(UUID)}. An involution.
     */
    public ReadCommand reversed() {
        return toBuilder().slice(slice.reversed()).schemaVersion(reversedSchemaVersion(schemaVersion)).build();
    }

    /**
     * Detects and converts the legacy reversed format: a reversed slice expressed in the table's
     * own schema version is in the half-reversed layout; it is converted to native layout and the
     * reversed schema version. Any other command is returned unchanged.
     */
    public ReadCommand toNativeReversed(UUID tableSchemaVersion) {
        if (slice.isReversed() && schemaVersion.equals(tableSchemaVersion)) {
            return toBuilder().slice(slice.legacyReversedToNative())
                    .schemaVersion(reversedSchemaVersion(schemaVersion)).build();
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadCommand c && tableId.equals(c.tableId) && schemaVersion.equals(c.schemaVersion)
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
        return "ReadCommand{table=" + tableId + ", schemaVersion=" + schemaVersion + ", slice=" + slice
                + ", rowLimit=" + Long.toUnsignedString(rowLimit) + ", timestamp=" + timestamp
                + ", partitionLimit=" + partitionLimit + ", queryId=" + queryId + ", firstPage=" + firstPage
                + (maxResultSize == null ? "" : ", maxResultSize=" + maxResultSize)
                + ", tombstoneLimit=" + Long.toUnsignedString(tombstoneLimit) + "}";
    }

    /** Builds {@link ReadCommand}s; {@link #build()} validates. */
    public static final class Builder {
        private UUID tableId;
        private UUID schemaVersion;
        private PartitionSlice slice;
        private long rowLimit = NO_ROW_LIMIT;
        private Instant timestamp;
        private TraceInfo traceInfo;
        private long partitionLimit = NO_PARTITION_LIMIT;
        private UUID queryId = NULL_QUERY_ID;
        private boolean firstPage;
        private MaxResultSize maxResultSize;
        private long tombstoneLimit = NO_TOMBSTONE_LIMIT;
        private long readTimestamp = MISSING_TIMESTAMP;
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
        public Builder slice(PartitionSlice v) {
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
        public ReadCommand build() {
            validate(tableId, schemaVersion, slice, timestamp, queryId, partitionLimit);
            return new ReadCommand(this);
        }
    }

    static void validate(UUID tableId, UUID schemaVersion, Object slice, Instant timestamp, UUID queryId,
            long partitionLimit) {
        Objects.requireNonNull(tableId, "tableId");
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(slice, "slice");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(queryId, "queryId");
        if (timestamp.getNano() != 0) {
            throw new IllegalArgumentException("timestamp must be whole seconds, got " + timestamp);
        }
        if (partitionLimit < 0 || partitionLimit > NO_PARTITION_LIMIT) {
            throw new IllegalArgumentException("partition limit must be 0..2^32-1, got " + partitionLimit);
        }
    }
}
