package dev.braid.store;

import dev.braid.store.proto.Mutation;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link DurabilityTest}: applies mutations to the store in {@code args[0]}
 * (table ks.t, sync policy {@code args[2]}), starting at row {@code args[1]}, and prints
 * {@code ack N} on standard output after each write is acknowledged, until it is killed.
 */
public final class DurabilityChild {
  private DurabilityChild() {}

  /** Runs until killed (or 100,000 writes). */
  public static void main(String[] args) throws Exception {
    StoreEngine e = StoreEngine.open(Path.of(args[0]),
        StoreOptions.defaults().withSyncPolicy(StoreOptions.SyncPolicy.valueOf(args[2])));
    TableSchema t = e.table("ks", "t");
    int start = Integer.parseInt(args[1]);
    System.out.println("open");
    System.out.flush();
    for (int n = start; n < start + 100_000; n++) {
      Mutation m = Fixtures.insert(t, n % 7, n, "v" + n, 1_000 + n);
      e.apply(List.of(m), 1_000, 0);
      System.out.println("ack " + n);
      System.out.flush();
    }
    e.close();
  }
}
