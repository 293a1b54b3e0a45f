package dev.braid.cluster;

import dev.braid.cluster.proto.FeatureStatus;
import dev.braid.cluster.proto.LocalReply;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import dev.braid.cluster.proto.NodeStatus;
import dev.braid.cluster.proto.NodeVerbs;
import dev.braid.cluster.proto.StatusReply;
import dev.braid.cluster.proto.VerbCount;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as one node sees it (the {@code Status} call's answer), and its two renderings:
 * {@link #toJson()} (one line) and {@link #toText()}.
 *
 * <p>JSON shape: {@code {"epoch": N, "nodes": [{"host_id": "…", "address": "host:port",
 * "state": "normal", "up": true, "release": 2, "supported_features": ["POSITION_RANGE"]}],
 * "features": [{"name": "POSITION_RANGE", "state": "waiting", "reason": "…",
 * "lacking": ["host id"]}], "verbs": {"<host id>": {"ReadDataV2": {"sent": 0,
 * "received": 0}}}}}. A feature's {@code reason} and {@code lacking} appear when its state is
 * {@code held} or {@code waiting}; {@code verbs} has an entry per node that answered.
 */
public final class ClusterStatus {
  private final StatusReply reply;

  /** Wraps a {@code Status} answer (e.g. one received over RPC). */
  public ClusterStatus(StatusReply reply) {
    this.reply = reply;
  }

  public StatusReply reply() {
    return reply;
  }

  static ClusterStatus gather(ClusterNode node) {
    MetadataState s = node.metadata();
    List<Member> members = new ArrayList<>();
    List<CompletableFuture<LocalReply>> probes = new ArrayList<>();
    for (Member m : s.getMembersList()) {
      if (m.getState() == MemberState.LEFT) {
        continue;
      }
      members.add(m);
      probes.add(CompletableFuture.supplyAsync(() -> node.probe(m)));
    }
    StatusReply.Builder b = StatusReply.newBuilder().setEpoch(s.getEpoch());
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      LocalReply local = probes.get(i).join();
      b.addNodes(NodeStatus.newBuilder().setHostId(m.getHostId()).setAddress(m.getAddress())
          .setState(Transitions.stateName(m.getState())).setUp(local != null)
          .setRelease(m.getRelease()).addAllSupportedFeatures(m.getSupportedFeaturesList())
          .setAppliedEpoch(local == null ? 0 : local.getAppliedEpoch()));
      if (local != null) {
        b.addVerbs(NodeVerbs.newBuilder().setHostId(m.getHostId())
            .addAllCounts(local.getCountsList()));
      }
    }
    for (Feature f : node.features().all()) {
      b.addFeatures(node.transitions().status(s, f));
    }
    return new ClusterStatus(b.build());
  }

  /** The feature's status, or null. */
  public FeatureStatus feature(String name) {
    for (FeatureStatus f : reply.getFeaturesList()) {
      if (f.getName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** The one-line JSON form. */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"epoch\": ").append(reply.getEpoch()).append(", \"nodes\": [");
    for (int i = 0; i < reply.getNodesCount(); i++) {
      NodeStatus n = reply.getNodes(i);
      sb.append(i == 0 ? "" : ", ").append("{\"host_id\": ").append(q(n.getHostId()))
          .append(", \"address\": ").append(q(n.getAddress()))
          .append(", \"state\": ").append(q(n.getState()))
          .append(", \"up\": ").append(n.getUp())
          .append(", \"release\": ").append(n.getRelease())
          .append(", \"supported_features\": ");
      list(sb, n.getSupportedFeaturesList());
      sb.append('}');
    }
    sb.append("], \"features\": [");
    for (int i = 0; i < reply.getFeaturesCount(); i++) {
      FeatureStatus f = reply.getFeatures(i);
      sb.append(i == 0 ? "" : ", ").append("{\"name\": ").append(q(f.getName()))
          .append(", \"state\": ").append(q(f.getState()));
      if (!f.getState().equals("enabled")) {
        sb.append(", \"reason\": ").append(q(f.getReason())).append(", \"lacking\": ");
        list(sb, f.getLackingList());
      }
      sb.append('}');
    }
    sb.append("], \"verbs\": {");
    for (int i = 0; i < reply.getVerbsCount(); i++) {
      NodeVerbs v = reply.getVerbs(i);
      sb.append(i == 0 ? "" : ", ").append(q(v.getHostId())).append(": {");
      for (int j = 0; j < v.getCountsCount(); j++) {
        VerbCount c = v.getCounts(j);
        sb.append(j == 0 ? "" : ", ").append(q(c.getVerb())).append(": {\"sent\": ")
            .append(c.getSent()).append(", \"received\": ").append(c.getReceived()).append('}');
      }
      sb.append('}');
    }
    sb.append("}}");
    return sb.toString();
  }

  /** A human-readable form, several lines. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("epoch ").append(reply.getEpoch()).append('\n').append("nodes:\n");
    for (NodeStatus n : reply.getNodesList()) {
      sb.append("  ").append(n.getHostId()).append("  ").append(n.getAddress()).append("  ")
          .append(n.getState()).append("  ").append(n.getUp() ? "up" : "DOWN")
          .append("  release ").append(n.getRelease()).append("  features [")
          .append(String.join(",", n.getSupportedFeaturesList())).append("]\n");
    }
    sb.append("features:\n");
    for (FeatureStatus f : reply.getFeaturesList()) {
      sb.append("  ").append(f.getName()).append("  ").append(f.getState());
      if (!f.getState().equals("enabled")) {
        sb.append("  (").append(f.getReason()).append(')');
      }
      sb.append('\n');
    }
    sb.append("verbs (sent/received):\n");
    for (NodeVerbs v : reply.getVerbsList()) {
      sb.append("  ").append(v.getHostId()).append(':');
      for (VerbCount c : v.getCountsList()) {
        sb.append(' ').append(c.getVerb()).append(' ').append(c.getSent()).append('/')
            .append(c.getReceived());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void list(StringBuilder sb, List<String> items) {
    sb.append('[');
    for (int i = 0; i < items.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(q(items.get(i)));
    }
    sb.append(']');
  }

  static String q(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
