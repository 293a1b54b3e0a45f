package dev.braid.query;

/**
 * The partition-slice options; each is bit {@code 1 << ordinal()} of the wire mask. New options
 * must be appended (the mask of a peer that does not know a bit is rejected).
 */
public enum SliceOption {
    /** Include the clustering key in each result row. */
    SEND_CLUSTERING_KEY,
    /** Include the partition key in each result partition. */
    SEND_PARTITION_KEY,
    /** Include each cell's write timestamp. */
    SEND_TIMESTAMP,
    /** Include each cell's expiry time. */
    SEND_EXPIRY,
    /** Reverse clustering order; ranges are in native reversed layout. */
    REVERSED,
    /** SELECT DISTINCT: partition-level/static data only. */
    DISTINCT,
    /** Collections serialized as maps. */
    COLLECTIONS_AS_MAPS,
    /** Include each cell's TTL. */
    SEND_TTL,
    /** The replica may stop early at the page-size limit. */
    ALLOW_SHORT_READ,
    /** Set by the replica when a digest is requested. */
    WITH_DIGEST,
    /** Do not use or populate the row cache. */
    BYPASS_CACHE,
    /** Return the static row even if no clustering row matches. */
    ALWAYS_RETURN_STATIC_CONTENT,
    /** Use the data variant for range scans. */
    RANGE_SCAN_DATA_VARIANT,
    /** A mutation read may end a page with no live row. */
    ALLOW_MUTATION_READ_PAGE_WITHOUT_LIVE_ROW,
    /** Per-element timestamps and TTLs of collections. */
    SEND_COLLECTION_TIMESTAMPS;

    /** This option's bit in the mask. */
    public long bit() {
        return 1L << ordinal();
    }
}
