package dev.braid.query;

/** Sort direction of a clustering column. */
public enum ClusteringOrder {
    /** Ascending: the type's natural order. */
    ASC,
    /** Descending: the reverse of the type's natural order. */
    DESC;

    /** The opposite direction. */
    public ClusteringOrder reversed() {
        return this == ASC ? DESC : ASC;
    }
}
