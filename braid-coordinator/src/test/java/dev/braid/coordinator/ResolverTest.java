package dev.braid.coordinator;

import static dev.braid.coordinator.TestCluster.deleteRow;
import static dev.braid.coordinator.TestCluster.insert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.cluster.FeatureSnapshot;
import dev.braid.query.ClusteringType;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.ResultRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's resolvers with fake replicas (in-process StoreEngines) on a manual clock:
 * every future completes synchronously unless a replica holds its calls, so nothing sleeps.
 */
class ResolverTest {
  static final int K = 1;
  TestCluster cl;
  String r0;
  String r1;
  String r2;

  @BeforeEach
  void setUp() throws Exception {
    cl = new TestCluster(TestCluster.options());
    List<String> rs = cl.replicasOf(K);
    assertThat(rs).hasSize(3);
    r0 = rs.get(0);
    r1 = rs.get(1);
    r2 = rs.get(2);
  }

  @AfterEach
  void tearDown() throws Exception {
    cl.close();
  }

  static List<Integer> cs(QueryResult r) {
    List<Integer> out = new ArrayList<>();
    for (var p : r.getPartitionsList()) {
      for (ResultRow row : p.getRowsList()) {
        out.add((Integer) ClusteringType.INT.decode(row.getClustering(0).toByteArray()));
      }
    }
    return out;
  }

  static List<String> vs(QueryResult r) {
    List<String> out = new ArrayList<>();
    for (var p : r.getPartitionsList()) {
      for (ResultRow row : p.getRowsList()) {
        out.add((String) ClusteringType.TEXT.decode(row.getCells(0).getValue().toByteArray()));
      }
    }
    return out;
  }

  ReadPage read(ReplicaRead r, ConsistencyLevel level) throws Exception {
    CompletableFuture<ReadPage> f = cl.coordinator.read("ks", r, level);
    assertThat(f).isDone();
    return f.get();
  }

  void writeAll(Mutation... ms) throws Exception {
    cl.coordinator.write("ks", List.of(ms), ConsistencyLevel.ALL).get();
  }

  @Test
  void digestMatchAnswersFromTheDataReplica() throws Exception {
    writeAll(insert(K, 1, "a", 10), insert(K, 2, "b", 10));
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 100, false), ConsistencyLevel.QUORUM);
    assertThat(cs(p.result())).containsExactly(1, 2);
    assertThat(cl.replica(r0).calls).containsExactly("ReadDataV2+digest");
    assertThat(cl.replica(r1).calls).containsExactly("ReadDigestV2");
    assertThat(cl.replica(r2).calls).isEmpty();
    assertThat(p.trace()).contains("digest match");
    assertThat(p.pagingState()).isNull();
    assertThat(cl.scheduler.pending()).as("timeout and speculation cancelled").isZero();
  }

  @Test
  void oneAsksOneReplicaForDataWithoutDigest() throws Exception {
    writeAll(insert(K, 1, "a", 10));
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 100, false), ConsistencyLevel.ONE);
    assertThat(cs(p.result())).containsExactly(1);
    assertThat(cl.replica(r0).calls).containsExactly("ReadDataV2");
    assertThat(cl.replica(r1).calls).isEmpty();
  }

  @Test
  void withoutThePositionRangeFeatureEveryVerbIsV1() throws Exception {
    writeAll(insert(K, 1, "a", 10));
    cl.direct(r1, insert(K, 1, "z", 20));
    cl.snapshot = new FeatureSnapshot(3, Set.of());
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 100, false), ConsistencyLevel.QUORUM);
    assertThat(vs(p.result())).containsExactly("z");
    assertThat(cl.replica(r0).calls).containsExactly("ReadData+digest",
        "ReadMutationData limit 100", "Mutate", "ReadData");
    assertThat(cl.replica(r1).calls).containsExactly("ReadDigest", "ReadMutationData limit 100");
  }

  @Test
  void digestMismatchReconcilesRepairsAndAnswersTheMerge() throws Exception {
    writeAll(insert(K, 1, "a", 10), insert(K, 2, "b", 10));
    cl.direct(r1, insert(K, 2, "newer", 20));
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 100, false), ConsistencyLevel.QUORUM);
    assertThat(vs(p.result())).containsExactly("a", "newer");
    assertThat(p.trace()).contains("digest mismatch");
    assertThat(cl.replica(r0).calls).containsExactly("ReadDataV2+digest",
        "ReadMutationDataV2 limit 100", "Mutate", "ReadDataV2");
    assertThat(cl.replica(r1).calls).containsExactly("ReadDigestV2",
        "ReadMutationDataV2 limit 100");
    assertThat(cl.replica(r2).calls).isEmpty();
    // the repair of r0 is exactly the newer row: marker and cell at 20
    List<Mutation> repair = cl.replica(r0).mutations.get(0);
    assertThat(repair).hasSize(1);
    assertThat(repair.get(0).getRowsList()).hasSize(1);
    var row = repair.get(0).getRows(0);
    assertThat(row.getClustering(0)).isEqualTo(TestCluster.i(2));
    assertThat(row.getMarker().getTimestamp()).isEqualTo(20);
    assertThat(row.getCellsList()).singleElement().satisfies(c -> {
      assertThat(c.getTimestamp()).isEqualTo(20);
      assertThat(c.getValue()).isEqualTo(TestCluster.s("newer"));
    });
    assertThat(cl.digest(r0, K)).isEqualTo(cl.digest(r1, K));
    assertThat(cl.digest(r2, K)).as("not contacted, not repaired").isNotEqualTo(cl.digest(r0, K));
  }

  @Test
  void repairMutationsAreComputedPerReplica() throws Exception {
    writeAll(insert(K, 1, "a", 10), insert(K, 2, "b", 10), insert(K, 3, "c", 10));
    cl.direct(r0, insert(K, 1, "a0", 30));
    cl.direct(r1, deleteRow(K, 3, 40));
    cl.direct(r2, insert(K, 2, "b2", 50));
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 100, false), ConsistencyLevel.ALL);
    assertThat(cs(p.result())).containsExactly(1, 2);
    assertThat(vs(p.result())).containsExactly("a0", "b2");
    for (String h : List.of(r0, r1, r2)) {
      assertThat(cl.replica(h).mutations).as(h).hasSize(1);
    }
    // each replica gets the two rows it lacks, never its own newest row
    assertThat(rowsOf(cl.replica(r0).mutations.get(0))).containsExactlyInAnyOrder(2, 3);
    assertThat(rowsOf(cl.replica(r1).mutations.get(0))).containsExactlyInAnyOrder(1, 2);
    assertThat(rowsOf(cl.replica(r2).mutations.get(0))).containsExactlyInAnyOrder(1, 3);
    Mutation toR0 = cl.replica(r0).mutations.get(0).get(0);
    var del = toR0.getRowsList().stream().filter(r -> r.getClustering(0).equals(TestCluster.i(3)))
        .findFirst().orElseThrow();
    assertThat(del.getDeletion().getMarkedForDeleteAt()).isEqualTo(40);
    assertThat(del.getCellsList()).as("r0 already holds the shadowed cell").isEmpty();
    assertThat(cl.digest(r0, K)).isEqualTo(cl.digest(r1, K)).isEqualTo(cl.digest(r2, K));
  }

  static List<Integer> rowsOf(List<Mutation> ms) {
    List<Integer> out = new ArrayList<>();
    for (Mutation m : ms) {
      for (var r : m.getRowsList()) {
        out.add((Integer) ClusteringType.INT.decode(r.getClustering(0).toByteArray()));
      }
    }
    return out;
  }

  @Test
  void shortReadAfterTheMergeIsRetriedWithALargerLimit() throws Exception {
    writeAll(insert(K, 1, "a", 10), insert(K, 2, "b", 10), insert(K, 3, "c", 10),
        insert(K, 4, "d", 10));
    // r1 deleted rows 1 and 2; r0 still has them: r0's two rows are hidden by the merge
    cl.direct(r1, deleteRow(K, 1, 20), deleteRow(K, 2, 20));
    cl.clearCalls();
    ReadPage p = read(cl.select(K, 2, false), ConsistencyLevel.QUORUM);
    assertThat(cs(p.result())).containsExactly(3, 4);
    assertThat(cl.replica(r0).calls).containsExactly("ReadDataV2+digest",
        "ReadMutationDataV2 limit 2", "ReadMutationDataV2 limit 4", "Mutate", "ReadDataV2");
    assertThat(p.trace()).anyMatch(s -> s.startsWith("short read: 0 live rows of 2"));
    assertThat(rowsOf(cl.replica(r0).mutations.get(0))).containsExactly(1, 2);
    assertThat(cl.replica(r1).mutations).as("r1 holds the whole merge").isEmpty();
  }

  @Test
  void pagesResumeStrictlyAfterThePagingStateWithASnapshotPerPage() throws Exception {
    for (int c = 1; c <= 5; c++) {
      writeAll(insert(K, c, "v" + c, 10));
    }
    int before = cl.snapshotsTaken;
    List<Integer> seen = new ArrayList<>();
    ReplicaRead r = cl.select(K, 2, false);
    int pages = 0;
    while (r != null) {
      if (pages == 1) {
        cl.snapshot = new FeatureSnapshot(9, Set.of());   // the feature view changes mid-read
      }
      cl.clearCalls();
      ReadPage p = read(r, ConsistencyLevel.QUORUM);
      assertThat(cl.replica(r0).calls.get(0)).isEqualTo(pages == 0 ? "ReadDataV2+digest"
          : "ReadData+digest");
      seen.addAll(cs(p.result()));
      r = p.next();
      pages++;
    }
    assertThat(seen).containsExactly(1, 2, 3, 4, 5);
    assertThat(pages).isEqualTo(3);
    assertThat(cl.snapshotsTaken - before).isEqualTo(3);
  }

  @Test
  void aPagingStateAsBytesResumesTheQueryAndGarbageIsRefused() throws Exception {
    for (int c = 1; c <= 3; c++) {
      writeAll(insert(K, c, "v" + c, 10));
    }
    ReplicaRead first = cl.select(K, 2, false);
    ReadPage p = read(first, ConsistencyLevel.QUORUM);
    byte[] state = p.pagingStateBytes();
    assertThat(cs(read(ReadPage.resume(first, state), ConsistencyLevel.QUORUM).result()))
        .containsExactly(3);
    assertThatThrownBy(() -> ReadPage.resume(first, new byte[] {(byte) 0xff, 1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value for the paging state");
    assertThatThrownBy(() -> ReadPage.resume(cl.select(K + 1, 2, false), state))
        .as("a state of another partition's query").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reversedPagesResumeStrictlyAfterThePagingState() throws Exception {
    for (int c = 1; c <= 5; c++) {
      writeAll(insert(K, c, "v" + c, 10));
    }
    List<Integer> seen = new ArrayList<>();
    ReplicaRead r = cl.select(K, 2, true);
    while (r != null) {
      ReadPage p = read(r, ConsistencyLevel.QUORUM);
      seen.addAll(cs(p.result()));
      r = p.next();
    }
    assertThat(seen).containsExactly(5, 4, 3, 2, 1);
  }

  @Test
  void thePagingStateIsTheLeastAdvancedReplicasPosition() throws Exception {
    for (int c = 1; c <= 4; c++) {
      writeAll(insert(K, c, "v" + c, 10));
    }
    // r1 answers its digest as if it had stopped after row 1 (an empty page at a tombstone
    // limit would do that): the digests match, the page must resume after row 1, not row 3.
    ReplicaRead probe = cl.select(K, 1, false);
    var earlier = cl.replica(r1).engine.readDigest(probe.command(), probe.range(), 0,
        Long.MAX_VALUE).lastPosition();
    assertThat(earlier).isNotNull();
    EngineReplica real = cl.replica(r1);
    ReplicaClient shifted = new ReplicaClient() {
      @Override
      public CompletableFuture<dev.braid.store.proto.ReadDataResponse> readData(
          dev.braid.cluster.Verb v, ReplicaRead read, boolean d, Call c) {
        return real.readData(v, read, d, c);
      }

      @Override
      public CompletableFuture<dev.braid.store.proto.ReadDigestResponse> readDigest(
          dev.braid.cluster.Verb v, ReplicaRead read, Call c) {
        return real.readDigest(v, read, c).thenApply(x -> x.toBuilder()
            .setLastPosition(earlier).build());
      }

      @Override
      public CompletableFuture<dev.braid.store.proto.ReadMutationDataResponse> readMutationData(
          dev.braid.cluster.Verb v, ReplicaRead read, Call c) {
        return real.readMutationData(v, read, c);
      }

      @Override
      public CompletableFuture<dev.braid.store.proto.MutateResponse> mutate(List<Mutation> m,
          Call c) {
        return real.mutate(m, c);
      }
    };
    Coordinator co = new Coordinator(() -> TokenRing.of(1, java.util.Map.of(r0, List.of(-10L),
        r1, List.of(0L), r2, List.of(10L))), ks -> 3,
        h -> h.equals(r1) ? shifted : cl.replica(h), h -> true,
        () -> RequestScope.of(cl.snapshot), cl.scheduler, TestCluster.options());
    List<String> order = co.replicas("ks", dev.braid.store.Murmur3Token.token(
        TestCluster.key(K)));
    ReplicaRead r = cl.select(K, 3, false);
    ReadPage p = co.read("ks", r, ConsistencyLevel.ALL).get();
    assertThat(order.get(0)).as("the data replica is not the shifted one").isNotEqualTo(r1);
    assertThat(cs(p.result())).containsExactly(1, 2, 3);
    assertThat(p.pagingState()).isEqualTo(earlier);
    ReadPage second = co.read("ks", p.next(), ConsistencyLevel.ALL).get();
    assertThat(cs(second.result())).containsExactly(2, 3, 4);
  }

  @Test
  void unavailableBeforeAnythingIsSent() throws Exception {
    cl.down.add(r1);
    cl.down.add(r2);
    CompletableFuture<ReadPage> f = cl.coordinator.read("ks", cl.select(K, 10, false),
        ConsistencyLevel.QUORUM);
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(CoordinatorException.Unavailable.class, u -> {
          assertThat(u.required).isEqualTo(2);
          assertThat(u.alive).isEqualTo(1);
        });
    CompletableFuture<Void> w = cl.coordinator.write("ks", List.of(insert(K, 1, "a", 1)),
        ConsistencyLevel.ALL);
    assertThatThrownBy(w::get).cause().isInstanceOf(CoordinatorException.Unavailable.class)
        .hasMessageContaining("3 replicas required, 1 alive");
    for (String h : List.of(r0, r1, r2)) {
      assertThat(cl.replica(h).calls).as(h).isEmpty();
    }
    // ONE still works on the live replica
    cl.coordinator.write("ks", List.of(insert(K, 1, "a", 1)), ConsistencyLevel.ONE).get();
    assertThat(cl.replica(r0).calls).containsExactly("Mutate");
  }

  @Test
  void writeTimeoutSaysHowManyAcknowledged() throws Exception {
    cl.replica(r2).hold = true;
    CompletableFuture<Void> quorum = cl.coordinator.write("ks", List.of(insert(K, 1, "a", 1)),
        ConsistencyLevel.QUORUM);
    assertThat(quorum).isCompleted();
    CompletableFuture<Void> all = cl.coordinator.write("ks", List.of(insert(K, 2, "b", 1)),
        ConsistencyLevel.ALL);
    assertThat(all).isNotDone();
    cl.scheduler.advance(Duration.ofMillis(1999));
    assertThat(all).isNotDone();
    cl.scheduler.advance(Duration.ofMillis(1));
    assertThatThrownBy(all::get).cause()
        .isInstanceOfSatisfying(CoordinatorException.WriteTimeout.class, t -> {
          assertThat(t.acknowledged).isEqualTo(2);
          assertThat(t.required).isEqualTo(3);
        }).hasMessageContaining("received only 2 responses of 3");
    assertThat(cl.replica(r2).calls).containsExactly("Mutate", "Mutate");
  }

  @Test
  void speculativeRetryAsksOneMoreReplicaAfterTheDelay() throws Exception {
    writeAll(insert(K, 1, "a", 10));
    cl.clearCalls();
    cl.replica(r1).hold = true;
    CompletableFuture<ReadPage> f = cl.coordinator.read("ks", cl.select(K, 10, false),
        ConsistencyLevel.QUORUM);
    assertThat(f).isNotDone();
    cl.scheduler.advance(Duration.ofMillis(49));
    assertThat(cl.replica(r2).calls).isEmpty();
    cl.scheduler.advance(Duration.ofMillis(1));
    assertThat(cl.replica(r2).calls).containsExactly("ReadDigestV2");
    assertThat(f).isDone();
    assertThat(cs(f.get().result())).containsExactly(1);
    assertThat(f.get().trace()).contains("speculative retry to " + r2, "digest match");
    cl.replica(r1).release();   // the late answer is ignored
    assertThat(cs(f.get().result())).containsExactly(1);
  }

  @Test
  void readTimeoutWhenTooFewAnswer() throws Exception {
    cl.replica(r1).hold = true;
    cl.replica(r2).hold = true;
    CompletableFuture<ReadPage> f = cl.coordinator.read("ks", cl.select(K, 10, false),
        ConsistencyLevel.QUORUM);
    cl.scheduler.advance(Duration.ofSeconds(2));
    assertThatThrownBy(f::get).cause()
        .isInstanceOfSatisfying(CoordinatorException.ReadTimeout.class,
            t -> assertThat(t.received).isEqualTo(1));
  }

  @Test
  void aFailingReplicaIsReplacedByAnUntriedOne() throws Exception {
    writeAll(insert(K, 1, "a", 10));
    cl.clearCalls();
    cl.replica(r0).fail = true;
    ReadPage p = read(cl.select(K, 10, false), ConsistencyLevel.QUORUM);
    assertThat(cs(p.result())).containsExactly(1);
    assertThat(cl.replica(r0).calls).containsExactly("ReadDataV2+digest");
    assertThat(cl.replica(r1).calls).containsExactly("ReadDataV2+digest");
    assertThat(cl.replica(r2).calls).containsExactly("ReadDigestV2");
    assertThat(p.trace()).anyMatch(s -> s.startsWith("replica " + r0 + " failed"));
    cl.coordinator.write("ks", List.of(insert(K, 2, "b", 10)), ConsistencyLevel.QUORUM).get();
    CompletableFuture<Void> all = cl.coordinator.write("ks", List.of(insert(K, 3, "c", 10)),
        ConsistencyLevel.ALL);
    assertThatThrownBy(all::get).cause().isInstanceOf(CoordinatorException.ReplicaError.class)
        .hasMessageContaining("write failed on 1 of 3 replicas at ALL");
    cl.replica(r1).fail = true;
    CompletableFuture<ReadPage> f = cl.coordinator.read("ks", cl.select(K, 10, false),
        ConsistencyLevel.QUORUM);
    assertThat(f).as("fails at once: only one replica can still answer").isDone();
    assertThatThrownBy(f::get).cause().isInstanceOf(CoordinatorException.ReplicaError.class)
        .hasMessageContaining("read failed on 2 of 3 live replicas at QUORUM");
  }

  @Test
  void downReplicasAreSkippedWhenEnoughOthersAreUp() throws Exception {
    writeAll(insert(K, 1, "a", 10));
    cl.clearCalls();
    cl.down.add(r0);
    ReadPage p = read(cl.select(K, 10, false), ConsistencyLevel.QUORUM);
    assertThat(cs(p.result())).containsExactly(1);
    assertThat(cl.replica(r0).calls).isEmpty();
    assertThat(cl.replica(r1).calls).containsExactly("ReadDataV2+digest");
    assertThat(cl.replica(r2).calls).containsExactly("ReadDigestV2");
  }
}
