package dev.braid.query;

/** The region of a partition a position lies in; the primary sort key of positions. */
public enum PartitionRegion {
    /** Before everything in the partition. */
    PARTITION_START(0),
    /** The static row. */
    STATIC_ROW(1),
    /** Clustered rows and the bounds between them; the only region whose positions have a key. */
    CLUSTERED(2),
    /** After everything in the partition. */
    PARTITION_END(3);

    private final int code;

    PartitionRegion(int code) {
        this.code = code;
    }

    /** The wire value (uint8). */
    public int code() {
        return code;
    }

    /**
     * The region with wire value {@code code}.
     *
     * @throws IllegalArgumentException for an unknown value
     */
    public static PartitionRegion fromCode(int code) {
        for (PartitionRegion r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown partition region " + code);
    }
}
