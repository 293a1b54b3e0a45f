package dev.braid.query;

/**
 * The empty (zero-length) component value of the types without a natural empty value (all but
 * text and blob, whose empty values are {@code ""} and the empty {@link Bytes}). It sorts before
 * every non-empty value of the column's type (after every value on a DESC column). It exists so
 * that {@link PositionInPartition#afterKey(ClusteringSchema, ClusteringPrefix)} can pad a strict
 * prefix exactly as the reference defines; it is encoded on the wire as an empty byte string.
 */
public enum EmptyValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "empty";
    }
}
