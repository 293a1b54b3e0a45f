package dev.braid.coordinator;

import dev.braid.cluster.Verb;
import dev.braid.query.codec.QueryCodec;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.store.proto.Mutation;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link ReplicaClient} over braid RPC with the store's generated stubs, on one connection
 * (owned by the caller). The verb decides the method: {@code ReadData} or {@code ReadDataV2},
 * and so on; a v1 verb sends the command's legacy form. Thread-safe (the connection is).
 */
public final class RpcReplicaClient implements ReplicaClient {
  private static final int XXHASH = 3;
  private final ReplicaBraid.Client stub;

  /** A client on {@code connection}. */
  public RpcReplicaClient(ClientConnection connection) {
    this.stub = ReplicaBraid.newClient(connection);
  }

  private ReplicaBraid.Client with(Call call) {
    return stub.withOptions(CallOptions.DEFAULT.withMetadata(call.metadata())
        .withTimeout(call.timeout()));
  }

  private static QueryCodec codec(ReplicaRead read) {
    return QueryCodec.forSchema(read.command().slice().isReversed()
        ? read.table().clusteringSchema().reversed() : read.table().clusteringSchema());
  }

  @Override
  public CompletableFuture<ReadDataResponse> readData(Verb verb, ReplicaRead read,
      boolean withDigest, Call call) {
    int digest = withDigest ? XXHASH : 0;
    switch (verb) {
      case READ_DATA:
        return with(call).readDataAsync(ReadDataRequest.newBuilder()
            .setCommand(codec(read).encode(read.legacy())).setRange(read.range())
            .setDigestAlgorithm(digest).build());
      case READ_DATA_V2:
        return with(call).readDataV2Async(ReadDataV2Request.newBuilder()
            .setCommand(codec(read).encode(read.command())).setRange(read.range())
            .setDigestAlgorithm(digest).build());
      default:
        throw new IllegalArgumentException("not a data verb: " + verb);
    }
  }

  @Override
  public CompletableFuture<ReadDigestResponse> readDigest(Verb verb, ReplicaRead read,
      Call call) {
    switch (verb) {
      case READ_DIGEST:
        return with(call).readDigestAsync(ReadDigestRequest.newBuilder()
            .setCommand(codec(read).encode(read.legacy())).setRange(read.range())
            .setDigestAlgorithm(XXHASH).build());
      case READ_DIGEST_V2:
        return with(call).readDigestV2Async(ReadDigestV2Request.newBuilder()
            .setCommand(codec(read).encode(read.command())).setRange(read.range())
            .setDigestAlgorithm(XXHASH).build());
      default:
        throw new IllegalArgumentException("not a digest verb: " + verb);
    }
  }

  @Override
  public CompletableFuture<ReadMutationDataResponse> readMutationData(Verb verb,
      ReplicaRead read, Call call) {
    switch (verb) {
      case READ_MUTATION_DATA:
        return with(call).readMutationDataAsync(ReadMutationDataRequest.newBuilder()
            .setCommand(codec(read).encode(read.legacy())).setRange(read.range()).build());
      case READ_MUTATION_DATA_V2:
        return with(call).readMutationDataV2Async(ReadMutationDataV2Request.newBuilder()
            .setCommand(codec(read).encode(read.command())).setRange(read.range()).build());
      default:
        throw new IllegalArgumentException("not a mutation-data verb: " + verb);
    }
  }

  @Override
  public CompletableFuture<MutateResponse> mutate(List<Mutation> mutations, Call call) {
    return with(call).mutateAsync(MutateRequest.newBuilder().addAllMutations(mutations).build());
  }
}
