package dev.braid.coordinator;

import dev.braid.cluster.Verb;
import dev.braid.rpc.Metadata;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.MutateResponse;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDigestResponse;
import dev.braid.store.proto.ReadMutationDataResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The verbs a coordinator sends to one replica. Each read names the verb to send (v1 or v2,
 * chosen by the request's {@link RequestScope}); the client only encodes it. Replica-level
 * failures come back inside the response ({@code exception}); transport failures and deadlines
 * complete the future exceptionally. Implementations must be thread-safe and must not block
 * the caller.
 */
public interface ReplicaClient {
  /** The call's deadline and metadata (the request's epoch). */
  record Call(Duration timeout, Metadata metadata) {}

  /** ReadData / ReadDataV2; {@code withDigest} asks for the result's digest too. */
  CompletableFuture<ReadDataResponse> readData(Verb verb, ReplicaRead read, boolean withDigest,
      Call call);

  /** ReadDigest / ReadDigestV2. */
  CompletableFuture<ReadDigestResponse> readDigest(Verb verb, ReplicaRead read, Call call);

  /** ReadMutationData / ReadMutationDataV2. */
  CompletableFuture<ReadMutationDataResponse> readMutationData(Verb verb, ReplicaRead read,
      Call call);

  /** Mutate: the mutations applied atomically on the replica. */
  CompletableFuture<MutateResponse> mutate(List<Mutation> mutations, Call call);
}
