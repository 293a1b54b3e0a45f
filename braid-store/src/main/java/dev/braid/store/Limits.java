package dev.braid.store;

/**
 * The limits the replica enforces on writes (each violation is an {@link
 * InvalidRequestException} naming the limit). Sized so that one row fits in one braid message.
 */
public final class Limits {
  /** Largest cell value: 1 MiB. */
  public static final int MAX_VALUE_BYTES = 1 << 20;
  /** Largest row (sum of its cell values and key): 2 MiB. */
  public static final int MAX_ROW_BYTES = 2 << 20;
  /** Largest partition-key or clustering-key component, and serialized partition key: 65,535. */
  public static final int MAX_KEY_BYTES = 65_535;
  /** Largest TTL (Cassandra's MAX_TTL, 20 years). */
  public static final int MAX_TTL_SECONDS = 630_720_000;
  /** Most mutations in one Mutate call. */
  public static final int MAX_MUTATIONS_PER_CALL = 10_000;

  private Limits() {}
}
