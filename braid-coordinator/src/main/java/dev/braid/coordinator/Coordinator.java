package dev.braid.coordinator;

import dev.braid.cluster.Verb;
import dev.braid.cluster.VerbFamily;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.query.proto.FullPosition;
import dev.braid.store.Murmur3Token;
import dev.braid.store.Paging;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.QueryResult;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadMutationDataResponse;
import dev.braid.store.proto.ReconcilableResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * The coordinator of replicated single-partition reads and writes at ONE / QUORUM / ALL.
 *
 * <p>Writes go to every live replica and complete when the consistency level acknowledged;
 * with too few live replicas they fail with {@link CoordinatorException.Unavailable} before
 * anything is sent; past the write timeout with {@link CoordinatorException.WriteTimeout}
 * (carrying the acknowledgement count).
 *
 * <p>Reads send one data request (with a digest when more than one replica is asked) and
 * digest requests to the other replicas the level needs, optionally one speculative request to
 * a further replica after a delay. Matching digests answer; a mismatch reads mutation data from
 * every contacted replica, merges it ({@link Reconciler}, the store's conflict rules), retries
 * with a larger limit when the merge may be short (short-read protection), writes each
 * replica's difference back (waited for), and answers. Each page takes its own
 * {@link RequestScope}, used by every RPC of that page.
 *
 * <p>Threading: every method may be called from any thread and returns without blocking; the
 * state of one request is guarded by that request's monitor. Callbacks run on the replica
 * clients' threads or the scheduler's.
 */
public final class Coordinator {
  /**
   * Timeouts and policies.
   *
   * @param writeTimeout how long a write waits for its consistency level
   * @param readTimeout how long each phase of a read (digests, mutation data, repair) waits
   * @param speculativeDelay after this, one more replica is asked (null: never)
   * @param maxShortReadRetries how many times a short merge is re-read with a larger limit
   */
  public record Options(Duration writeTimeout, Duration readTimeout, Duration speculativeDelay,
      int maxShortReadRetries) {
    /** 2 s writes and reads, speculation after 50 ms, 3 short-read retries. */
    public static Options defaults() {
      return new Options(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50), 3);
    }
  }

  /** The largest row limit a short-read retry asks for. */
  static final long MAX_RETRY_LIMIT = 1L << 20;

  private final Supplier<TokenRing> ring;
  private final ToIntFunction<String> replicationFactor;
  private final Function<String, ReplicaClient> clients;
  private final Predicate<String> alive;
  private final Supplier<RequestScope> scopes;
  private final Scheduler scheduler;
  private final Options options;

  /**
   * A coordinator.
   *
   * @param ring the current token ring (e.g. {@code placement::ring})
   * @param replicationFactor a keyspace's replication factor
   * @param clients the client of a host id
   * @param alive whether a host is believed up (down hosts are skipped)
   * @param scopes a new request scope (feature snapshot), taken once per request or page
   * @param scheduler timers
   * @param options timeouts and policies
   */
  public Coordinator(Supplier<TokenRing> ring, ToIntFunction<String> replicationFactor,
      Function<String, ReplicaClient> clients, Predicate<String> alive,
      Supplier<RequestScope> scopes, Scheduler scheduler, Options options) {
    this.ring = ring;
    this.replicationFactor = replicationFactor;
    this.clients = clients;
    this.alive = alive;
    this.scopes = scopes;
    this.scheduler = scheduler;
    this.options = options;
  }

  /** The replicas of a partition key's token in {@code keyspace}, primary first. */
  public List<String> replicas(String keyspace, long token) {
    return ring.get().replicas(token, replicationFactor.applyAsInt(keyspace));
  }

  /**
   * Where a partition's request goes: its live replicas (primary first), how many must answer
   * at the consistency level, and the Unavailable error when fewer than that are live (or
   * exist), else null.
   */
  private record Placement(List<String> live, int blockFor,
      CoordinatorException.Unavailable unavailable) {}

  /** Places the partition at {@code token} in {@code keyspace} for a request at {@code cl}. */
  private Placement place(String keyspace, long token, ConsistencyLevel cl) {
    int rf = replicationFactor.applyAsInt(keyspace);
    List<String> replicas = ring.get().replicas(token, rf);
    int blockFor = cl.blockFor(rf);
    List<String> live = replicas.stream().filter(alive).toList();
    boolean enough = live.size() >= blockFor && replicas.size() >= blockFor;
    return new Placement(live, blockFor,
        enough ? null : new CoordinatorException.Unavailable(cl, blockFor, live.size()));
  }

  // ------------------------------------------------------------------------------ writes

  /**
   * Writes mutations of one partition at {@code cl}.
   *
   * @throws IllegalArgumentException when the mutations are not all of one partition
   */
  public CompletableFuture<Void> write(String keyspace, List<Mutation> mutations,
      ConsistencyLevel cl) {
    if (mutations.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    for (Mutation m : mutations) {
      if (!m.getKey().equals(mutations.get(0).getKey())) {
        throw new IllegalArgumentException("a coordinated write holds one partition's mutations");
      }
    }
    long token = Murmur3Token.token(QueryCodec.decode(mutations.get(0).getKey()));
    Placement p = place(keyspace, token, cl);
    if (p.unavailable() != null) {
      return CompletableFuture.failedFuture(p.unavailable());
    }
    RequestScope scope = scopes.get();
    return sendWrites(p.live(), h -> mutations, p.blockFor(), cl, scope, false);
  }

  /** Sends per-host mutations; completes when {@code blockFor} acknowledged. */
  private CompletableFuture<Void> sendWrites(List<String> hosts,
      Function<String, List<Mutation>> what, int blockFor, ConsistencyLevel cl,
      RequestScope scope, boolean repair) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Duration timeout = repair ? options.readTimeout() : options.writeTimeout();
    int[] acks = {0};
    int[] failures = {0};
    Object lock = new Object();
    Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
      int a;
      synchronized (lock) {
        a = acks[0];
      }
      done.completeExceptionally(repair
          ? new CoordinatorException.ReadTimeout(cl, a, blockFor, "read repair writes")
          : new CoordinatorException.WriteTimeout(cl, a, blockFor));
    });
    ReplicaClient.Call call = new ReplicaClient.Call(timeout, scope.metadata());
    for (String h : hosts) {
      clients.apply(h).mutate(what.apply(h), call).whenComplete((r, e) -> {
        boolean ok = e == null && !r.hasException();
        synchronized (lock) {
          if (ok) {
            acks[0]++;
          } else {
            failures[0]++;
          }
          if (acks[0] >= blockFor) {
            timer.cancel();
            done.complete(null);
          } else if (failures[0] > hosts.size() - blockFor) {
            timer.cancel();
            done.completeExceptionally(new CoordinatorException.ReplicaError("write failed on "
                + failures[0] + " of " + hosts.size() + " replicas at " + cl + ": "
                + (e != null ? e.getMessage() : r.getException().getMessage()), e));
          }
        }
      });
    }
    return done;
  }

  // ------------------------------------------------------------------------------- reads

  /**
   * Reads one page of a single-partition read at {@code cl}.
   *
   * @throws IllegalArgumentException when the range is not a single partition
   */
  public CompletableFuture<ReadPage> read(String keyspace, ReplicaRead read,
      ConsistencyLevel cl) {
    if (!read.range().getSingular()) {
      throw new IllegalArgumentException("the coordinator reads single partitions only");
    }
    long token = Murmur3Token.token(QueryCodec.decode(read.range().getStart().getPosition()
        .getKey()));
    Placement p = place(keyspace, token, cl);
    if (p.unavailable() != null) {
      return CompletableFuture.failedFuture(p.unavailable());
    }
    ReadExecution ex = new ReadExecution(read, cl, p.blockFor(), p.live(), scopes.get());
    ex.start();
    return ex.done;
  }

  /** One page's read. Guarded by its own monitor. */
  private final class ReadExecution {
    final ReplicaRead read;
    final ConsistencyLevel cl;
    final int blockFor;
    final List<String> live;
    final RequestScope scope;
    final ReplicaClient.Call call;
    final CompletableFuture<ReadPage> done = new CompletableFuture<>();
    final List<String> trace = new ArrayList<>();
    final List<String> contacted = new ArrayList<>();
    final List<String> responded = new ArrayList<>();
    final List<byte[]> digests = new ArrayList<>();
    final List<FullPosition> positions = new ArrayList<>();
    int failures;
    int dataOutstanding;
    QueryResult data;
    boolean resolved;
    Scheduler.Cancellable timer;
    Scheduler.Cancellable speculation;

    ReadExecution(ReplicaRead read, ConsistencyLevel cl, int blockFor, List<String> live,
        RequestScope scope) {
      this.read = read;
      this.cl = cl;
      this.blockFor = blockFor;
      this.live = live;
      this.scope = scope;
      this.call = new ReplicaClient.Call(options.readTimeout(), scope.metadata());
      trace.add("snapshot epoch " + scope.snapshot().epoch() + ", enabled "
          + scope.snapshot().enabled());
    }

    synchronized void start() {
      timer = scheduler.schedule(options.readTimeout(), () -> timeout("digest phase"));
      sendData(live.get(0), blockFor > 1);
      // a replica failing at once is replaced inside sendData/sendDigest, so take the next
      // untried replica each time rather than a fixed index
      for (int i = 1; i < blockFor && !resolved && contacted.size() < live.size(); i++) {
        sendDigest(live.get(contacted.size()));
      }
      if (!resolved && options.speculativeDelay() != null && live.size() > blockFor) {
        speculation = scheduler.schedule(options.speculativeDelay(), this::speculate);
      }
    }

    private synchronized void speculate() {
      if (resolved || contacted.size() >= live.size()) {
        return;
      }
      String extra = live.get(contacted.size());
      trace.add("speculative retry to " + extra);
      if (data != null) {
        sendDigest(extra);
      } else {
        sendData(extra, true);
      }
    }

    private synchronized void timeout(String phase) {
      if (!done.isDone()) {
        resolved = true;
        done.completeExceptionally(new CoordinatorException.ReadTimeout(cl, responded.size(),
            blockFor, phase));
      }
    }

    private Verb verb(VerbFamily f, String host) {
      try {
        return scope.verb(f, host);
      } catch (dev.braid.rpc.StatusException e) {
        throw new CoordinatorException.ReplicaError(e.getMessage(), e);
      }
    }

    private void sendData(String host, boolean withDigest) {
      contacted.add(host);
      dataOutstanding++;
      Verb v = verb(VerbFamily.READ_DATA, host);
      trace.add(v.wireName() + (withDigest ? " (with digest)" : "") + " to " + host);
      clients.apply(host).readData(v, read, withDigest, call).whenComplete((r, e) -> {
        synchronized (ReadExecution.this) {
          if (e != null || r.hasException()) {
            failed(host, true, e != null ? e.getMessage() : r.getException().getMessage());
            return;
          }
          responded.add(host);
          if (data == null) {
            data = r.getResult();
          }
          digests.add(r.getDigest().toByteArray());
          positions.add(r.getResult().hasLastPosition() ? r.getResult().getLastPosition() : null);
          maybeResolve();
        }
      });
    }

    private void sendDigest(String host) {
      contacted.add(host);
      Verb v = verb(VerbFamily.READ_DIGEST, host);
      trace.add(v.wireName() + " to " + host);
      clients.apply(host).readDigest(v, read, call).whenComplete((r, e) -> {
        synchronized (ReadExecution.this) {
          if (e != null || r.hasException()) {
            failed(host, false, e != null ? e.getMessage() : r.getException().getMessage());
            return;
          }
          responded.add(host);
          digests.add(r.getDigest().toByteArray());
          positions.add(r.hasLastPosition() ? r.getLastPosition() : null);
          maybeResolve();
        }
      });
    }

    private void failed(String host, boolean wasData, String why) {
      trace.add("replica " + host + " failed: " + why);
      failures++;
      if (wasData) {
        dataOutstanding--;
      }
      if (resolved) {
        return;
      }
      if (live.size() - failures < blockFor) {
        resolved = true;
        timer.cancel();
        if (speculation != null) {
          speculation.cancel();
        }
        done.completeExceptionally(new CoordinatorException.ReplicaError("read failed on "
            + failures + " of " + live.size() + " live replicas at " + cl + ": " + why, null));
        return;
      }
      if (contacted.size() < live.size()) {
        // a failed replica is replaced at once by an untried live one; a data request by a
        // data request unless another one is still out
        if (data == null && dataOutstanding == 0) {
          sendData(live.get(contacted.size()), true);
        } else {
          sendDigest(live.get(contacted.size()));
        }
      }
    }

    private void maybeResolve() {
      if (resolved || responded.size() < blockFor || data == null) {
        return;
      }
      resolved = true;
      timer.cancel();
      if (speculation != null) {
        speculation.cancel();
      }
      boolean match = true;
      if (responded.size() > 1) {
        for (byte[] d : digests) {
          match &= Arrays.equals(d, digests.get(0));
        }
      }
      trace.add(responded.size() > 1 ? (match ? "digest match" : "digest mismatch")
          : "single replica");
      if (match) {
        finish(data, minPosition(positions));
      } else {
        reconcile(new ArrayList<>(responded), read.command(), 0);
      }
    }

    private FullPosition minPosition(List<FullPosition> ps) {
      FullPosition min = null;
      boolean reversed = read.command().slice().isReversed();
      for (FullPosition p : ps) {
        if (p != null && (min == null || Reconciler.compare(read.table(), reversed, p, min) < 0)) {
          min = p;
        }
      }
      return min;
    }

    private void finish(QueryResult result, FullPosition last) {
      ReplicaRead next = null;
      if (last != null) {
        QueryResult.Builder b = result.toBuilder().setLastPosition(last);
        result = b.build();
        next = Paging.next(read.table(), read.command(), read.range(), last)
            .map(p -> new ReplicaRead(read.table(), p.command(), p.range())).orElse(null);
      }
      done.complete(new ReadPage(result, last, next, List.copyOf(trace)));
    }

    /** Mutation data from {@code hosts}, merge, short-read check, repair, answer. */
    private void reconcile(List<String> hosts, ReadCommandV2 cmd, int attempt) {
      ReplicaRead r = read.with(cmd);
      List<CompletableFuture<ReadMutationDataResponse>> fs = new ArrayList<>();
      for (String h : hosts) {
        Verb v = verb(VerbFamily.READ_MUTATION_DATA, h);
        trace.add(v.wireName() + " to " + h + (attempt > 0 ? " (short-read retry, limit "
            + cmd.rowLimit() + ")" : ""));
        fs.add(clients.apply(h).readMutationData(v, r, call));
      }
      Scheduler.Cancellable t = scheduler.schedule(options.readTimeout(),
          () -> timeout("mutation data"));
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).whenComplete((x, e) -> {
        synchronized (ReadExecution.this) {
          t.cancel();
          if (done.isDone()) {
            return;
          }
          if (e != null) {
            done.completeExceptionally(new CoordinatorException.ReplicaError(
                "mutation data read failed: " + e.getMessage(), e));
            return;
          }
          List<ReconcilableResult> results = new ArrayList<>();
          for (CompletableFuture<ReadMutationDataResponse> f : fs) {
            ReadMutationDataResponse resp = f.join();
            if (resp.hasException()) {
              done.completeExceptionally(new CoordinatorException.ReplicaError(
                  "mutation data read failed: " + resp.getException().getMessage(), null));
              return;
            }
            results.add(resp.getResult());
          }
          merged(hosts, cmd, attempt, results);
        }
      });
    }

    private void merged(List<String> hosts, ReadCommandV2 cmd, int attempt,
        List<ReconcilableResult> results) {
      Reconciler rec = new Reconciler(read.table());
      List<FullPosition> stops = new ArrayList<>();
      for (ReconcilableResult r : results) {
        rec.add(r);
        stops.add(r.hasLastPosition() ? r.getLastPosition() : null);
      }
      FullPosition covered = minPosition(stops);
      long limit = read.command().rowLimit();
      int now = (int) cmd.timestamp().getEpochSecond();
      long live = rec.liveRows(now, cmd.slice().isReversed(), covered);
      boolean limited = limit > 0 && limit != ReadCommand.NO_ROW_LIMIT && limit < MAX_RETRY_LIMIT;
      if (covered != null && limited && live < limit
          && attempt < options.maxShortReadRetries()) {
        // Scylla's scaling: x = l^2 / t + 1 (t = live rows after the merge), doubled when t = 0
        long l = cmd.rowLimit();
        long bigger = Math.min(MAX_RETRY_LIMIT, live == 0 ? l * 2 : l * l / live + 1);
        trace.add("short read: " + live + " live rows of " + limit + " after the merge");
        reconcile(hosts, cmd.toBuilder().rowLimit(Math.max(bigger, l + 1)).build(), attempt + 1);
        return;
      }
      List<String> stale = new ArrayList<>();
      List<List<Mutation>> diffs = new ArrayList<>();
      for (int i = 0; i < hosts.size(); i++) {
        List<Mutation> d = rec.diff(i);
        if (!d.isEmpty()) {
          stale.add(hosts.get(i));
          diffs.add(d);
          trace.add("read repair to " + hosts.get(i) + ": " + d.size() + " mutation(s)");
        }
      }
      CompletableFuture<Void> repaired = stale.isEmpty() ? CompletableFuture.completedFuture(null)
          : sendWrites(stale, h -> diffs.get(stale.indexOf(h)), stale.size(), cl, scope, true);
      repaired.whenComplete((x, e) -> {
        if (e != null) {
          synchronized (ReadExecution.this) {
            done.completeExceptionally(e);
          }
          return;
        }
        answerFromRepaired(hosts.get(0));
      });
    }

    /**
     * The answer after a repair: every contacted replica now holds at least the merge, so a
     * data read from one of them returns the reconciled rows.
     */
    private void answerFromRepaired(String host) {
      Verb v;
      synchronized (this) {
        v = verb(VerbFamily.READ_DATA, host);
        trace.add(v.wireName() + " to " + host + " (answer after repair)");
      }
      Scheduler.Cancellable t = scheduler.schedule(options.readTimeout(),
          () -> timeout("read after repair"));
      clients.apply(host).readData(v, read, false, call).whenComplete(
          (ReadDataResponse r, Throwable e) -> {
            synchronized (ReadExecution.this) {
              t.cancel();
              if (done.isDone()) {
                return;
              }
              if (e != null || r.hasException()) {
                done.completeExceptionally(new CoordinatorException.ReplicaError(
                    "read after repair failed: " + (e != null ? e.getMessage()
                        : r.getException().getMessage()), e));
                return;
              }
              finish(r.getResult(), r.getResult().hasLastPosition()
                  ? r.getResult().getLastPosition() : null);
            }
          });
    }
  }
}
