package dev.braid.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StoreEngine} runs.
 *
 * @param syncPolicy                 when the WAL is fsync'd (see {@link SyncPolicy})
 * @param syncInterval               the period of {@link SyncPolicy#PERIODIC}
 * @param blockCacheBytes            size of RocksDB's block cache
 * @param tombstoneFailureThreshold  a read (without a tombstone limit) that meets more tombstones
 *                                   fails with a tombstone-overload error
 */
public record StoreOptions(SyncPolicy syncPolicy, Duration syncInterval, long blockCacheBytes,
    long tombstoneFailureThreshold) {
  /** Validates. */
  public StoreOptions {
    Objects.requireNonNull(syncPolicy, "syncPolicy");
    Objects.requireNonNull(syncInterval, "syncInterval");
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("syncInterval must be positive");
    }
  }

  /** The defaults: periodic sync every 1 s, 64 MiB block cache, 100,000 tombstones per read. */
  public static StoreOptions defaults() {
    return new StoreOptions(SyncPolicy.PERIODIC, Duration.ofSeconds(1), 64L << 20, 100_000);
  }

  /** These options with another sync policy. */
  public StoreOptions withSyncPolicy(SyncPolicy p) {
    return new StoreOptions(p, syncInterval, blockCacheBytes, tombstoneFailureThreshold);
  }

  /** These options with another tombstone failure threshold. */
  public StoreOptions withTombstoneFailureThreshold(long n) {
    return new StoreOptions(syncPolicy, syncInterval, blockCacheBytes, n);
  }

  /**
   * When a write's WAL record is forced to stable storage. Either way a write is acknowledged
   * only after RocksDB has accepted it into its WAL (written to the OS) and memtable, so a
   * process kill (SIGKILL, crash of the JVM) loses no acknowledged write.
   */
  public enum SyncPolicy {
    /**
     * fsync the WAL before acknowledging each write batch ({@code WriteOptions.sync = true}):
     * a machine crash or power loss loses no acknowledged write either. Slowest.
     */
    EVERY_WRITE,
    /**
     * Acknowledge after the WAL write, fsync the WAL every {@code syncInterval} in the
     * background (like Cassandra's {@code commitlog_sync: periodic}): a machine crash or power
     * loss may lose the writes of the last interval. The default.
     */
    PERIODIC
  }
}
