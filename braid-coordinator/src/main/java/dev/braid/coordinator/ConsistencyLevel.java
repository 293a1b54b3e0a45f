package dev.braid.coordinator;

/** How many replicas must answer a read or acknowledge a write. */
public enum ConsistencyLevel {
  ONE,
  QUORUM,
  ALL;

  /** The number of replicas required out of {@code rf}. */
  public int blockFor(int rf) {
    switch (this) {
      case ONE:
        return 1;
      case QUORUM:
        return rf / 2 + 1;
      default:
        return rf;
    }
  }
}
