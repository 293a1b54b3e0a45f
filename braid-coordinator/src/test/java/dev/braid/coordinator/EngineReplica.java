package dev.braid.coordinator;

import com.google.protobuf.ByteString;
import dev.braid.cluster.Verb;
import dev.braid.store.ReplicaFailure;
import dev.braid.store.StoreEngine;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.MutateResponse;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDigestResponse;
import dev.braid.store.proto.ReadMutationDataResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A fake replica: a real {@link StoreEngine} called in-process. Calls complete at once, or are
 * held (while {@link #hold} is set) until {@link #release()}; every call is recorded.
 */
final class EngineReplica implements ReplicaClient {
  static final int NOW = 1_700_000_000;

  final String host;
  final StoreEngine engine;
  boolean hold;
  /** Every call fails at once, as a refused connection would. */
  boolean fail;
  final List<Runnable> held = new ArrayList<>();
  final List<String> calls = new ArrayList<>();
  final List<ReplicaRead> reads = new ArrayList<>();
  final List<List<Mutation>> mutations = new ArrayList<>();

  EngineReplica(String host, StoreEngine engine) {
    this.host = host;
    this.engine = engine;
  }

  synchronized void release() {
    List<Runnable> rs = new ArrayList<>(held);
    held.clear();
    rs.forEach(Runnable::run);
  }

  private synchronized <T> CompletableFuture<T> run(String what, Callable<T> c) {
    calls.add(what);
    CompletableFuture<T> f = new CompletableFuture<>();
    Runnable r = () -> {
      try {
        f.complete(c.call());
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    };
    if (fail) {
      f.completeExceptionally(new java.io.IOException("connection refused"));
    } else if (hold) {
      held.add(r);
    } else {
      r.run();
    }
    return f;
  }

  private static boolean v1(Verb v) {
    return v.version() == 1;
  }

  @Override
  public CompletableFuture<ReadDataResponse> readData(Verb verb, ReplicaRead read,
      boolean withDigest, Call call) {
    synchronized (this) {
      reads.add(read);
    }
    return run(verb.wireName() + (withDigest ? "+digest" : ""), () -> {
      try {
        StoreEngine.DataResult r = v1(verb)
            ? engine.readData(read.legacy(), read.range(), withDigest, 0, Long.MAX_VALUE)
            : engine.readData(read.command(), read.range(), withDigest, 0, Long.MAX_VALUE);
        ReadDataResponse.Builder b = ReadDataResponse.newBuilder().setResult(r.result());
        if (r.digest() != null) {
          b.setDigest(ByteString.copyFrom(r.digest()));
        }
        return b.build();
      } catch (ReplicaFailure f) {
        return ReadDataResponse.newBuilder().setException(f.variant()).build();
      }
    });
  }

  @Override
  public CompletableFuture<ReadDigestResponse> readDigest(Verb verb, ReplicaRead read,
      Call call) {
    synchronized (this) {
      reads.add(read);
    }
    return run(verb.wireName(), () -> {
      try {
        StoreEngine.DigestResult r = v1(verb)
            ? engine.readDigest(read.legacy(), read.range(), 0, Long.MAX_VALUE)
            : engine.readDigest(read.command(), read.range(), 0, Long.MAX_VALUE);
        ReadDigestResponse.Builder b = ReadDigestResponse.newBuilder()
            .setDigest(ByteString.copyFrom(r.digest())).setLastModified(r.lastModified());
        if (r.lastPosition() != null) {
          b.setLastPosition(r.lastPosition());
        }
        return b.build();
      } catch (ReplicaFailure f) {
        return ReadDigestResponse.newBuilder().setException(f.variant()).build();
      }
    });
  }

  @Override
  public CompletableFuture<ReadMutationDataResponse> readMutationData(Verb verb,
      ReplicaRead read, Call call) {
    synchronized (this) {
      reads.add(read);
    }
    return run(verb.wireName() + " limit " + read.command().rowLimit(), () -> {
      try {
        return ReadMutationDataResponse.newBuilder().setResult(v1(verb)
            ? engine.readMutationData(read.legacy(), read.range(), Long.MAX_VALUE)
            : engine.readMutationData(read.command(), read.range(), Long.MAX_VALUE)).build();
      } catch (ReplicaFailure f) {
        return ReadMutationDataResponse.newBuilder().setException(f.variant()).build();
      }
    });
  }

  @Override
  public CompletableFuture<MutateResponse> mutate(List<Mutation> ms, Call call) {
    synchronized (this) {
      mutations.add(ms);
    }
    return run("Mutate", () -> {
      try {
        engine.apply(ms, NOW, 0);
        return MutateResponse.getDefaultInstance();
      } catch (ReplicaFailure f) {
        return MutateResponse.newBuilder().setException(f.variant()).build();
      }
    });
  }
}
