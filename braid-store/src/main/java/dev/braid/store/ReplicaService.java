package dev.braid.store;

import com.google.protobuf.ByteString;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.rpc.Code;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.StatusException;
import dev.braid.store.TableSchema.Uuids;
import dev.braid.store.proto.CreateKeyspaceRequest;
import dev.braid.store.proto.CreateKeyspaceResponse;
import dev.braid.store.proto.CreateTableRequest;
import dev.braid.store.proto.CreateTableResponse;
import dev.braid.store.proto.DescribeSchemaRequest;
import dev.braid.store.proto.DropKeyspaceRequest;
import dev.braid.store.proto.DropKeyspaceResponse;
import dev.braid.store.proto.DropTableRequest;
import dev.braid.store.proto.DropTableResponse;
import dev.braid.store.proto.FencingToken;
import dev.braid.store.proto.MutateRequest;
import dev.braid.store.proto.MutateResponse;
import dev.braid.store.proto.ReadDataRequest;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReadDigestRequest;
import dev.braid.store.proto.ReadDigestResponse;
import dev.braid.store.proto.ReadDigestV2Request;
import dev.braid.store.proto.ReadMutationDataRequest;
import dev.braid.store.proto.ReadMutationDataResponse;
import dev.braid.store.proto.ReadMutationDataV2Request;
import dev.braid.store.proto.ReplicaBraid;
import dev.braid.store.proto.SchemaSnapshot;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code braid.store.Replica} service of {@code braid_store.proto} over a {@link
 * StoreEngine}. Each call is validated before any work: a malformed request fails that call with
 * code 3 and a message saying what is wrong; a call whose deadline passes answers code 4;
 * replica-level failures come back inside the response as a {@code ReplicaException}. Client
 * info arrives as the call's metadata (key {@code client}, logged with failures).
 *
 * <p>Threading: stateless apart from the engine; handlers may run on any number of threads.
 */
public final class ReplicaService implements ReplicaBraid.Service {
  /** The digest algorithms of the seed. */
  public static final int DIGEST_NONE = 0;
  /** XXH64. */
  public static final int DIGEST_XXHASH = 3;

  private static final Logger log = LoggerFactory.getLogger(ReplicaService.class);
  private final StoreEngine engine;

  /** Serves {@code engine}. */
  public ReplicaService(StoreEngine engine) {
    this.engine = engine;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws ReplicaFailure, StatusException, IOException;
  }

  private <T> T guard(ServerContext ctx, Call<T> call) throws StatusException {
    if (ctx.deadlineNanos() != Long.MAX_VALUE && System.nanoTime() - ctx.deadlineNanos() > 0) {
      throw new StatusException(Code.DEADLINE_EXCEEDED,
          "the call's deadline had passed on arrival");
    }
    try {
      return call.run();
    } catch (ReplicaFailure f) {
      throw new IllegalStateException(f); // handled by callers
    } catch (DeadlineExceededException e) {
      throw new StatusException(Code.DEADLINE_EXCEEDED, e.getMessage());
    } catch (IllegalArgumentException e) {
      log.debug("invalid request {} from {}: {}", ctx.method(), ctx.metadata().get("client"),
          e.getMessage());
      throw new StatusException(Code.INVALID_ARGUMENT, e.getMessage());
    } catch (IOException e) {
      log.warn("{} failed: {}", ctx.method(), e.getMessage());
      throw new StatusException(Code.INTERNAL, e.getMessage());
    }
  }

  private static void checkDigest(int algorithm, boolean required) throws StatusException {
    if (algorithm == DIGEST_XXHASH || (algorithm == DIGEST_NONE && !required)) {
      return;
    }
    throw new StatusException(Code.INVALID_ARGUMENT, "unknown digest algorithm " + algorithm
        + (required ? " (read_digest needs 3 = XXHASH)" : " (supported: 0 = NONE, 3 = XXHASH)"));
  }

  private void fence(boolean has, FencingToken f) throws ReplicaFailure {
    engine.checkFence(has ? f.getTopologyVersion() : -1);
  }

  private ReadCommand v1(dev.braid.query.proto.ReadCommand m) throws ReplicaFailure {
    TableSchema t = engine.requireTable(Uuids.fromProto(m.getCfId()));
    return QueryCodec.forSchema(t.clusteringSchema()).decode(m);
  }

  private ReadCommandV2 v2(dev.braid.query.proto.ReadCommandV2 m) throws ReplicaFailure {
    TableSchema t = engine.requireTable(Uuids.fromProto(m.getCfId()));
    return QueryCodec.forSchema(t.clusteringSchema()).decode(m);
  }

  private ReadDataResponse data(ServerContext ctx,
      Call<StoreEngine.DataResult> read) throws StatusException {
    try {
      StoreEngine.DataResult r = guard(ctx, read);
      ReadDataResponse.Builder b = ReadDataResponse.newBuilder().setResult(r.result())
          .setCacheTemperature(engine.cacheTemperature());
      if (r.digest() != null) {
        b.setDigest(ByteString.copyFrom(r.digest()));
      }
      return b.build();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ReplicaFailure f) {
        return ReadDataResponse.newBuilder().setException(f.variant())
            .setCacheTemperature(engine.cacheTemperature()).build();
      }
      throw e;
    }
  }

  @Override
  public ReadDataResponse readData(ReadDataRequest req, ServerContext ctx) throws StatusException {
    checkDigest(req.getDigestAlgorithm(), false);
    return data(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readData(v1(req.getCommand()), req.getRange(),
          req.getDigestAlgorithm() == DIGEST_XXHASH, req.getRateLimit().getKindValue(),
              ctx.deadlineNanos());
    });
  }

  @Override
  public ReadDataResponse readDataV2(ReadDataV2Request req,
      ServerContext ctx) throws StatusException {
    checkDigest(req.getDigestAlgorithm(), false);
    return data(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readData(v2(req.getCommand()), req.getRange(),
          req.getDigestAlgorithm() == DIGEST_XXHASH, req.getRateLimit().getKindValue(),
              ctx.deadlineNanos());
    });
  }

  private ReadMutationDataResponse mutationData(ServerContext ctx,
      Call<dev.braid.store.proto.ReconcilableResult> read) throws StatusException {
    try {
      return ReadMutationDataResponse.newBuilder().setResult(guard(ctx, read))
          .setCacheTemperature(engine.cacheTemperature()).build();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ReplicaFailure f) {
        return ReadMutationDataResponse.newBuilder().setException(f.variant())
            .setCacheTemperature(engine.cacheTemperature()).build();
      }
      throw e;
    }
  }

  @Override
  public ReadMutationDataResponse readMutationData(ReadMutationDataRequest req, ServerContext ctx)
      throws StatusException {
    return mutationData(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readMutationData(v1(req.getCommand()), req.getRange(), ctx.deadlineNanos());
    });
  }

  @Override
  public ReadMutationDataResponse readMutationDataV2(ReadMutationDataV2Request req,
      ServerContext ctx)
      throws StatusException {
    return mutationData(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readMutationData(v2(req.getCommand()), req.getRange(), ctx.deadlineNanos());
    });
  }

  private ReadDigestResponse digest(ServerContext ctx, Call<StoreEngine.DigestResult> read)
      throws StatusException {
    try {
      StoreEngine.DigestResult r = guard(ctx, read);
      ReadDigestResponse.Builder b = ReadDigestResponse.newBuilder()
          .setDigest(ByteString.copyFrom(r.digest())).setLastModified(r.lastModified())
          .setCacheTemperature(engine.cacheTemperature());
      if (r.lastPosition() != null) {
        b.setLastPosition(r.lastPosition());
      }
      return b.build();
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ReplicaFailure f) {
        return ReadDigestResponse.newBuilder().setException(f.variant())
            .setCacheTemperature(engine.cacheTemperature()).build();
      }
      throw e;
    }
  }

  @Override
  public ReadDigestResponse readDigest(ReadDigestRequest req,
      ServerContext ctx) throws StatusException {
    checkDigest(req.getDigestAlgorithm(), true);
    return digest(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readDigest(v1(req.getCommand()), req.getRange(),
          req.getRateLimit().getKindValue(),
          ctx.deadlineNanos());
    });
  }

  @Override
  public ReadDigestResponse readDigestV2(ReadDigestV2Request req,
      ServerContext ctx) throws StatusException {
    checkDigest(req.getDigestAlgorithm(), true);
    return digest(ctx, () -> {
      fence(req.hasFence(), req.getFence());
      return engine.readDigest(v2(req.getCommand()), req.getRange(),
          req.getRateLimit().getKindValue(),
          ctx.deadlineNanos());
    });
  }

  @Override
  public MutateResponse mutate(MutateRequest req, ServerContext ctx) throws StatusException {
    try {
      return guard(ctx, () -> {
        fence(req.hasFence(), req.getFence());
        engine.apply(req.getMutationsList(), (int) (System.currentTimeMillis() / 1000),
            req.getRateLimit().getKindValue());
        return MutateResponse.getDefaultInstance();
      });
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ReplicaFailure f) {
        return MutateResponse.newBuilder().setException(f.variant()).build();
      }
      throw e;
    }
  }

  @Override
  public CreateKeyspaceResponse createKeyspace(CreateKeyspaceRequest req, ServerContext ctx)
      throws StatusException {
    return guard(ctx, () -> CreateKeyspaceResponse.newBuilder()
        .setCreated(engine.createKeyspace(req.getKeyspace(), req.getIfNotExists())).build());
  }

  @Override
  public DropKeyspaceResponse dropKeyspace(DropKeyspaceRequest req, ServerContext ctx)
      throws StatusException {
    return guard(ctx, () -> DropKeyspaceResponse.newBuilder()
        .setDropped(engine.dropKeyspace(req.getName(), req.getIfExists())).build());
  }

  @Override
  public CreateTableResponse createTable(CreateTableRequest req, ServerContext ctx)
      throws StatusException {
    return guard(ctx, () -> {
      TableSchema t = engine.createTable(req.getTable(), req.getIfNotExists());
      if (t == null) {
        TableSchema existing = engine.table(req.getTable().getKeyspace(), req.getTable().getName());
        return CreateTableResponse.newBuilder().setTable(existing.def()).setCreated(false).build();
      }
      return CreateTableResponse.newBuilder().setTable(t.def()).setCreated(true).build();
    });
  }

  @Override
  public DropTableResponse dropTable(DropTableRequest req,
      ServerContext ctx) throws StatusException {
    return guard(ctx, () -> DropTableResponse.newBuilder()
        .setDropped(engine.dropTable(req.getKeyspace(), req.getName(), req.getIfExists())).build());
  }

  @Override
  public SchemaSnapshot describeSchema(DescribeSchemaRequest req,
      ServerContext ctx) throws StatusException {
    return guard(ctx, engine::describe);
  }

}
