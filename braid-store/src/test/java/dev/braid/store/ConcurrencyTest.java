package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.PositionRange;
import dev.braid.store.proto.QueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Writes are atomic batches and reads see one snapshot: while a writer inserts rows 2i and 2i+1
 * of one partition in one call, concurrent readers never see an odd number of rows.
 */
class ConcurrencyTest {
  @Test
  void readersSeeWholeBatches() throws Exception {
    Path dir = Files.createTempDirectory("braid-store-conc");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (StoreEngine e = StoreEngine.open(dir, StoreOptions.defaults())) {
      e.createKeyspace(Fixtures.keyspace("ks"), false);
      TableSchema t = e.createTable(Fixtures.table("ks", "t"), false);
      AtomicBoolean done = new AtomicBoolean();
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 400; i++) {
          e.apply(List.of(Fixtures.insert(t, 1, 2 * i, "a", 1), Fixtures.insert(t, 1, 2 * i + 1, "b", 1)), 1000, 0);
        }
        done.set(true);
        return null;
      });
      List<Future<Integer>> readers = List.of(pool.submit(() -> read(e, t, done)), pool.submit(() -> read(e, t, done)));
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Integer> r : readers) {
        assertThat(r.get(60, TimeUnit.SECONDS)).isGreaterThan(0);
      }
      QueryResult last = e.readData(Fixtures.select(t, List.of(PositionRange.allClusteredRows()), false, 1000),
          PartitionRanges.singlePartition(Fixtures.key(1)), false, 0, Long.MAX_VALUE).result();
      assertThat(last.getRowCount()).isEqualTo(800);
    } finally {
      pool.shutdownNow();
      TestFiles.deleteRecursively(dir);
    }
  }

  static int read(StoreEngine e, TableSchema t, AtomicBoolean done) throws Exception {
    int reads = 0;
    while (!done.get() || reads == 0) {
      long n = e.readData(Fixtures.select(t, List.of(PositionRange.allClusteredRows()), reads % 2 == 1, 1000),
          PartitionRanges.singlePartition(Fixtures.key(1)), false, 0, Long.MAX_VALUE).result().getRowCount();
      assertThat(n % 2).as("rows seen: %d", n).isZero();
      reads++;
    }
    return reads;
  }
}
