package dev.braid.query;

/**
 * Memory and page-size limits of a read, unsigned 64-bit byte counts. A {@code pageSize} of 0
 * (also the value decoded when the field is absent) selects the legacy interpretation where the
 * soft and hard limits double as the page size.
 *
 * @param softLimit result size at which the replica should stop
 * @param hardLimit result size at which the replica must fail or stop
 * @param pageSize  page size, or 0
 */
public record MaxResultSize(long softLimit, long hardLimit, long pageSize) {
    /** Limits without a separate page size. */
    public static MaxResultSize of(long softLimit, long hardLimit) {
        return new MaxResultSize(softLimit, hardLimit, 0);
    }

    /** Validates: the soft limit must not exceed the hard limit (unsigned). */
    public MaxResultSize {
        if (Long.compareUnsigned(softLimit, hardLimit) > 0) {
            throw new IllegalArgumentException("soft limit " + Long.toUnsignedString(softLimit)
                    + " exceeds hard limit " + Long.toUnsignedString(hardLimit));
        }
    }
}
