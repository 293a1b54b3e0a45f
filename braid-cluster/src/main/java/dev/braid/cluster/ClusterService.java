package dev.braid.cluster;

import dev.braid.cluster.proto.ClusterBraid;
import dev.braid.cluster.proto.FeatureReply;
import dev.braid.cluster.proto.FeatureRequest;
import dev.braid.cluster.proto.FeatureStatus;
import dev.braid.cluster.proto.JoinReply;
import dev.braid.cluster.proto.JoinRequest;
import dev.braid.cluster.proto.LocalReply;
import dev.braid.cluster.proto.LocalRequest;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.RemoveReply;
import dev.braid.cluster.proto.RemoveRequest;
import dev.braid.cluster.proto.StatusReply;
import dev.braid.cluster.proto.StatusRequest;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.ServerContext;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.util.UUID;

/**
 * The {@code braid.cluster.Cluster} service of one node. Join and Remove change the Raft
 * configuration, so a node that is not the leader forwards them (one hop) to the leader.
 * Requests are checked before anything is proposed; a refused request changes nothing.
 */
final class ClusterService implements ClusterBraid.Service {
  private static final int MAX_FIELD = 256;
  private static final int MAX_LIST = 1024;

  private final ClusterNode node;

  ClusterService(ClusterNode node) {
    this.node = node;
  }

  private void requireReady() throws StatusException {
    if (!node.isReady()) {
      throw new StatusException(Code.UNAVAILABLE, "node is starting or stopping");
    }
  }

  @Override
  public JoinReply join(JoinRequest request, ServerContext context) throws Exception {
    requireReady();
    Member m = request.getMember();
    checkMember(m);
    JoinReply forwarded = forwardToLeader(context, client -> client.join(request));
    if (forwarded != null) {
      return forwarded;
    }
    if (request.getPrepare()) {
      return node.prepareJoin(m);
    }
    try {
      return node.admit(m, request.getAsLearner());
    } catch (ClusterException e) {
      throw new StatusException(Code.UNAVAILABLE, e.getMessage());
    }
  }

  /** One call on the leader's cluster service. */
  private interface LeaderCall<R> {
    R call(ClusterBraid.Client leader) throws StatusException;
  }

  /**
   * Forwards a call to the leader when this node is not the leader, retrying while the leader
   * cannot be reached; returns null when this node leads and must handle the call itself. A call
   * that was already forwarded once is not forwarded again (leadership moved meanwhile).
   */
  private <R> R forwardToLeader(ServerContext context, LeaderCall<R> call)
      throws StatusException {
    for (int attempt = 0; ; attempt++) {
      String leader = node.leaderAddressIfNotSelf();
      if (leader == null) {
        return null;
      }
      if (context.metadata().get("braid-forwarded") != null) {
        throw new StatusException(Code.UNAVAILABLE, "not the leader (leadership moved)");
      }
      try (ClientConnection c = node.connect(leader)) {
        return call.call(ClusterBraid.newClient(c).withOptions(CallOptions.DEFAULT
            .withMetadata(dev.braid.rpc.Metadata.of("braid-forwarded", "1"))
            .withTimeout(node.config().joinTimeout)));
      } catch (IOException e) {
        retryOrFail(attempt, leader);
      }
    }
  }

  /** The leader this node knows may have just died: retry a few times, a Raft election apart. */
  private void retryOrFail(int attempt, String leader) throws StatusException {
    if (attempt >= 4) {
      throw new StatusException(Code.UNAVAILABLE, "cannot reach the leader at " + leader);
    }
    try {
      Thread.sleep(node.config().electionTimeout.toMillis() * 2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StatusException(Code.UNAVAILABLE, "interrupted");
    }
  }

  private static void checkMember(Member m) throws StatusException {
    try {
      UUID.fromString(m.getHostId());
    } catch (IllegalArgumentException e) {
      throw new StatusException(Code.INVALID_ARGUMENT, "bad host id '" + clip(m.getHostId())
          + "'");
    }
    for (String a : new String[] {m.getAddress(), m.getRaftAddress()}) {
      if (a.isEmpty() || a.length() > MAX_FIELD) {
        throw new StatusException(Code.INVALID_ARGUMENT, "bad address '" + clip(a) + "'");
      }
      try {
        ClientConnection.parseAddress(a);
      } catch (RuntimeException e) {
        throw new StatusException(Code.INVALID_ARGUMENT, "bad address '" + clip(a) + "'");
      }
    }
    if (m.getRelease() < 1 || m.getRelease() > Features.LATEST_RELEASE) {
      throw new StatusException(Code.FAILED_PRECONDITION, "unknown release " + m.getRelease());
    }
    if (m.getSupportedFeaturesCount() > MAX_LIST || m.getTokensCount() > MAX_LIST
        || m.getAdvertisedVerbsCount() > MAX_LIST) {
      throw new StatusException(Code.INVALID_ARGUMENT, "too many features, tokens or verbs");
    }
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }

  @Override
  public StatusReply status(StatusRequest request, ServerContext context) throws Exception {
    requireReady();
    return node.status().reply();
  }

  @Override
  public LocalReply local(LocalRequest request, ServerContext context) throws Exception {
    requireReady();
    return node.local();
  }

  @Override
  public FeatureReply hold(FeatureRequest request, ServerContext context) throws Exception {
    return feature(request, 0);
  }

  @Override
  public FeatureReply unhold(FeatureRequest request, ServerContext context) throws Exception {
    return feature(request, 1);
  }

  @Override
  public FeatureReply disable(FeatureRequest request, ServerContext context) throws Exception {
    return feature(request, 2);
  }

  private FeatureReply feature(FeatureRequest request, int op) throws StatusException {
    requireReady();
    Feature f = node.features().get(request.getFeature());
    if (f == null) {
      throw new StatusException(Code.INVALID_ARGUMENT, "unknown feature '"
          + clip(request.getFeature()) + "'; known features: " + String.join(", ",
          node.features().all().stream().map(Feature::name).toList()));
    }
    long epoch;
    try {
      epoch = switch (op) {
        case 0 -> node.hold(f.name());
        case 1 -> node.unhold(f.name());
        default -> node.disable(f.name());
      };
    } catch (ClusterException e) {
      throw new StatusException(Code.FAILED_PRECONDITION, e.getMessage());
    }
    FeatureStatus st = node.transitions().status(node.metadata(), f);
    return FeatureReply.newBuilder().setEpoch(epoch).setState(st.getState()).build();
  }

  @Override
  public RemoveReply remove(RemoveRequest request, ServerContext context) throws Exception {
    requireReady();
    RemoveReply forwarded = forwardToLeader(context, client -> client.remove(request));
    if (forwarded != null) {
      return forwarded;
    }
    try {
      return RemoveReply.newBuilder().setEpoch(node.removeMember(request.getHostId())).build();
    } catch (ClusterException e) {
      throw new StatusException(Code.UNAVAILABLE, e.getMessage());
    }
  }
}
