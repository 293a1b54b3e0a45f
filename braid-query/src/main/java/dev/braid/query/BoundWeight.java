package dev.braid.query;

/**
 * The weight of a clustered position relative to its key prefix: just before the prefix and all
 * keys extending it, exactly at it, or just after it and all keys extending it.
 */
public enum BoundWeight {
    /** Before the prefix and every key it prefixes (-1). */
    BEFORE_ALL_PREFIXED(-1),
    /** Exactly the key (0); a clustering row when the key is full. */
    EQUAL(0),
    /** After the prefix and every key it prefixes (+1). */
    AFTER_ALL_PREFIXED(1);

    private final int value;

    BoundWeight(int value) {
        this.value = value;
    }

    /** -1, 0 or +1 (int8 on the wire). */
    public int value() {
        return value;
    }

    /** The negated weight (used by reversal). */
    public BoundWeight negate() {
        return fromValue(-value);
    }

    /**
     * The weight with value {@code value}.
     *
     * @throws IllegalArgumentException unless {@code value} is -1, 0 or 1
     */
    public static BoundWeight fromValue(int value) {
        switch (value) {
            case -1:
                return BEFORE_ALL_PREFIXED;
            case 0:
                return EQUAL;
            case 1:
                return AFTER_ALL_PREFIXED;
            default:
                throw new IllegalArgumentException("bound weight must be -1, 0 or 1, got " + value);
        }
    }
}
