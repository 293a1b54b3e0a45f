package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.PositionRange;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.ResultPartition;
import dev.braid.store.proto.ResultRow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Durability under SIGKILL: a child JVM applies mutations and prints each acknowledgement; it is
 * killed at a random moment (after a random number of acknowledgements); the database reopens
 * with every acknowledged mutation present. 20 rounds, alternating the sync policies (a process
 * kill loses nothing acknowledged under either).
 */
class DurabilityTest {
  static final int ROUNDS = 20;

  @Test
  void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
    Path dir = Files.createTempDirectory("braid-store-durability");
    try {
      try (StoreEngine e = StoreEngine.open(dir, StoreOptions.defaults())) {
        e.createKeyspace(Fixtures.keyspace("ks"), false);
        e.createTable(Fixtures.table("ks", "t"), false);
      }
      Random r = new Random(42);
      Set<Integer> acked = new HashSet<>();
      int next = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int rounds = 0;
      for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
        rounds++;
        String policy = round % 2 == 0 ? "PERIODIC" : "EVERY_WRITE";
        int killAfter = 1 + r.nextInt(round % 2 == 0 ? 400 : 60);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
            DurabilityChild.class.getName(), dir.toString(), Integer.toString(next), policy)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int seen = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            if (line.startsWith("ack ")) {
              acked.add(Integer.parseInt(line.substring(4)));
              if (++seen >= killAfter) {
                p.destroyForcibly(); // SIGKILL
                break;
              }
            }
          }
        } finally {
          p.destroyForcibly();
          assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        next += 100_000;
        // reopen: every acknowledged row is there
        try (StoreEngine e = StoreEngine.open(dir, StoreOptions.defaults())) {
          TableSchema t = e.table("ks", "t");
          QueryResult all = e.readData(Fixtures.select(t, List.of(PositionRange.allClusteredRows()), false, 1000),
              PartitionRanges.all(), false, 0, Long.MAX_VALUE).result();
          Set<Integer> present = new HashSet<>();
          for (ResultPartition rp : all.getPartitionsList()) {
            for (ResultRow row : rp.getRowsList()) {
              present.add(java.nio.ByteBuffer.wrap(row.getClustering(0).toByteArray()).getInt());
            }
          }
          List<Integer> missing = new ArrayList<>();
          for (int a : acked) {
            if (!present.contains(a)) {
              missing.add(a);
            }
          }
          assertThat(missing).as("round %d (%s): acknowledged but missing", round, policy).isEmpty();
        }
      }
      assertThat(rounds).as("rounds run within the time bound").isEqualTo(ROUNDS);
      assertThat(acked.size()).isGreaterThanOrEqualTo(ROUNDS);
    } finally {
      TestFiles.deleteRecursively(dir);
    }
  }

}
