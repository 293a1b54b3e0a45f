package dev.braid.cluster;

import dev.braid.cluster.proto.Command;
import dev.braid.cluster.proto.CommandResult;
import dev.braid.cluster.proto.Disabling;
import dev.braid.cluster.proto.FeatureEvent;
import dev.braid.cluster.proto.FeatureStatus;
import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metadata state machine's rules, as pure functions of (state, command, log index). Every
 * replica applies the same committed commands in the same order through these, so every
 * decision (admit a joiner, enable a feature) is re-checked at apply time: a leader that
 * proposed an enable on a stale view, or two leaders proposing it across a leader change,
 * cannot enable twice or too early.
 */
final class Transitions {
  /** A state and the result of the command that produced it. */
  record Applied(MetadataState state, CommandResult result) {}

  private final Features features;

  Transitions(Features features) {
    this.features = features;
  }

  Applied apply(MetadataState s, Command c, long index) {
    try {
      MetadataState next = switch (c.getKindCase()) {
        case BOOTSTRAP -> bootstrap(s, c.getBootstrap(), index);
        case ADD_MEMBER -> addMember(s, c.getAddMember());
        case MARK_NORMAL -> markNormal(s, c.getMarkNormal().getHostId());
        case UPDATE_MEMBER -> updateMember(s, c.getUpdateMember());
        case REMOVE_MEMBER -> removeMember(s, c.getRemoveMember());
        case ABORT_JOIN -> abortJoin(s, c.getAbortJoin());
        case ENABLE -> enable(s, c.getEnable(), index);
        case HOLD -> hold(s, c.getHold());
        case UNHOLD -> unhold(s, c.getUnhold());
        case DISABLE -> disable(s, c.getDisable(), index);
        case FINISH_DISABLE -> finishDisable(s, c.getFinishDisable());
        case KIND_NOT_SET -> throw new Refused("empty command");
      };
      if (next == null) {
        return new Applied(s, CommandResult.newBuilder().setOk(true).setEpoch(s.getEpoch())
            .build());
      }
      next = next.toBuilder().setEpoch(index).build();
      return new Applied(next, CommandResult.newBuilder().setOk(true).setChanged(true)
          .setEpoch(index).build());
    } catch (Refused e) {
      return new Applied(s, CommandResult.newBuilder().setOk(false).setError(e.getMessage())
          .setEpoch(s.getEpoch()).build());
    }
  }

  /** A command that is valid Raft-wise but refused by the rules; changes nothing. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  // ---- membership ----

  private MetadataState bootstrap(MetadataState s, Member m, long index) throws Refused {
    if (s.getMembersCount() > 0) {
      Member same = find(s, m.getHostId());
      if (same != null && s.getMembersCount() == 1) {
        return null;
      }
      throw new Refused("the cluster is already bootstrapped");
    }
    MetadataState.Builder b = s.toBuilder();
    b.addMembers(m.toBuilder().setState(MemberState.NORMAL));
    // A fresh cluster of one node: every feature it supports is supported by all normal nodes.
    for (String f : new TreeSet<>(m.getSupportedFeaturesList())) {
      if (features.get(f) != null) {
        b.addEnabled(f).addHistory(FeatureEvent.newBuilder().setFeature(f).setEpoch(index)
            .setEnabled(true));
      }
    }
    return b.build();
  }

  private MetadataState addMember(MetadataState s, Member m) throws Refused {
    Member old = find(s, m.getHostId());
    if (old != null) {
      if (old.getState() == MemberState.LEFT) {
        throw new Refused("host id " + m.getHostId() + " was removed from the cluster; a"
            + " removed node cannot come back with its old identity (give it an empty data"
            + " directory)");
      }
      if (!old.getAddress().equals(m.getAddress())) {
        throw new Refused("conflicting host ids: host id " + m.getHostId()
            + " already belongs to the node at " + old.getAddress() + ", not " + m.getAddress());
      }
    }
    checkAddresses(s, m);
    checkAdmissible(s, m, "join");
    for (Member o : s.getMembersList()) {
      if (o.getState() != MemberState.LEFT && !o.getHostId().equals(m.getHostId())) {
        for (long t : m.getTokensList()) {
          if (o.getTokensList().contains(t)) {
            throw new Refused("token " + t + " is already owned by host " + o.getHostId());
          }
        }
      }
    }
    MemberState state = old == null ? MemberState.JOINING : old.getState();
    return put(s, m.toBuilder().setState(state).build());
  }

  private MetadataState markNormal(MetadataState s, String hostId) throws Refused {
    Member m = require(s, hostId);
    if (m.getState() == MemberState.NORMAL) {
      return null;
    }
    if (m.getState() != MemberState.JOINING) {
      throw new Refused("host " + hostId + " is " + stateName(m.getState()) + ", not joining");
    }
    return put(s, m.toBuilder().setState(MemberState.NORMAL).build());
  }

  private MetadataState updateMember(MetadataState s, Member m) throws Refused {
    Member old = require(s, m.getHostId());
    if (old.getState() == MemberState.LEFT) {
      throw new Refused("host id " + m.getHostId() + " was removed from the cluster");
    }
    checkAddresses(s, m);
    checkAdmissible(s, m, "boot");
    Member next = old.toBuilder().setAddress(m.getAddress()).setRaftAddress(m.getRaftAddress())
        .setRelease(m.getRelease()).clearSupportedFeatures()
        .addAllSupportedFeatures(m.getSupportedFeaturesList()).clearAdvertisedVerbs()
        .addAllAdvertisedVerbs(m.getAdvertisedVerbsList()).build();
    return next.equals(old) ? null : put(s, next);
  }

  private MetadataState removeMember(MetadataState s, String hostId) throws Refused {
    Member m = require(s, hostId);
    if (m.getState() == MemberState.LEFT) {
      return null;
    }
    return put(s, m.toBuilder().setState(MemberState.LEFT).clearTokens().build());
  }

  private MetadataState abortJoin(MetadataState s, String hostId) throws Refused {
    Member m = find(s, hostId);
    if (m == null) {
      return null;
    }
    if (m.getState() != MemberState.JOINING) {
      throw new Refused("host " + hostId + " is not joining");
    }
    MetadataState.Builder b = s.toBuilder().clearMembers();
    for (Member o : s.getMembersList()) {
      if (!o.getHostId().equals(hostId)) {
        b.addMembers(o);
      }
    }
    return b.build();
  }

  private void checkAddresses(MetadataState s, Member m) throws Refused {
    for (Member o : s.getMembersList()) {
      if (o.getState() == MemberState.LEFT || o.getHostId().equals(m.getHostId())) {
        continue;
      }
      if (o.getAddress().equals(m.getAddress())) {
        throw new Refused("conflicting host ids: address " + m.getAddress()
            + " already belongs to host id " + o.getHostId() + " (remove it first)");
      }
      if (o.getRaftAddress().equals(m.getRaftAddress())) {
        throw new Refused("Raft address " + m.getRaftAddress() + " already belongs to host id "
            + o.getHostId());
      }
    }
  }

  /** The feature checks a node must pass to join or (re)boot into the cluster. */
  private void checkAdmissible(MetadataState s, Member m, String what) throws Refused {
    Set<String> supported = new HashSet<>(m.getSupportedFeaturesList());
    for (String f : s.getEnabledList()) {
      if (!supported.contains(f)) {
        throw new Refused("node " + m.getHostId() + " (release " + m.getRelease()
            + ") refused at " + what + ": it does not support feature " + f
            + ", which is enabled in this cluster");
      }
    }
    for (Disabling d : s.getDisablingList()) {
      if (!supported.contains(d.getFeature())) {
        throw new Refused("node " + m.getHostId() + " (release " + m.getRelease()
            + ") refused at " + what + ": feature " + d.getFeature() + " is being disabled"
            + " (epoch " + d.getEpoch() + ") and not every normal node has applied that yet;"
            + " retry shortly");
      }
    }
    for (Feature f : features.requiredBy(m.getRelease())) {
      if (!s.getEnabledList().contains(f.name())) {
        throw new Refused("node " + m.getHostId() + " refused at " + what + ": release "
            + m.getRelease() + " requires feature " + f.name() + " to be enabled, and it is "
            + featureState(s, f));
      }
    }
  }

  // ---- features ----

  private MetadataState enable(MetadataState s, String name, long index) throws Refused {
    Feature f = known(name);
    if (s.getEnabledList().contains(name)) {
      return null;
    }
    FeatureStatus st = status(s, f);
    if (!st.getState().equals("waiting") || st.getLackingCount() > 0
        || !st.getReason().equals(READY)) {
      throw new Refused("feature " + name + " cannot be enabled: " + st.getReason());
    }
    return s.toBuilder().addEnabled(name).addHistory(FeatureEvent.newBuilder()
        .setFeature(name).setEpoch(index).setEnabled(true)).build();
  }

  private MetadataState hold(MetadataState s, String name) throws Refused {
    Feature f = known(name);
    if (s.getEnabledList().contains(name)) {
      throw new Refused("feature " + name + " is already enabled; " + (f.reversible()
          ? "use disable to take it back to held" : "it is not reversible and stays enabled"));
    }
    if (s.getHeldList().contains(name)) {
      return null;
    }
    return s.toBuilder().addHeld(name).build();
  }

  private MetadataState unhold(MetadataState s, String name) throws Refused {
    known(name);
    if (disabling(s, name) != null) {
      throw new Refused("feature " + name + " is being disabled; unhold it once every normal"
          + " node has applied the disable");
    }
    if (!s.getHeldList().contains(name)) {
      return null;
    }
    List<String> held = new ArrayList<>(s.getHeldList());
    held.remove(name);
    return s.toBuilder().clearHeld().addAllHeld(held).build();
  }

  private MetadataState disable(MetadataState s, String name, long index) throws Refused {
    Feature f = known(name);
    if (!f.reversible()) {
      throw new Refused("feature " + name + " is not reversible (it changes what is stored),"
          + " so it cannot be disabled");
    }
    if (!s.getEnabledList().contains(name)) {
      if (s.getHeldList().contains(name)) {
        return null;
      }
      throw new Refused("feature " + name + " is not enabled");
    }
    for (Member m : s.getMembersList()) {
      if (m.getState() != MemberState.LEFT && f.requiredBy(m.getRelease())) {
        throw new Refused("feature " + name + " cannot be disabled: host " + m.getHostId()
            + " runs release " + m.getRelease() + ", which requires it");
      }
    }
    List<String> enabled = new ArrayList<>(s.getEnabledList());
    enabled.remove(name);
    return s.toBuilder().clearEnabled().addAllEnabled(enabled).addHeld(name)
        .addDisabling(Disabling.newBuilder().setFeature(name).setEpoch(index))
        .addHistory(FeatureEvent.newBuilder().setFeature(name).setEpoch(index)).build();
  }

  private MetadataState finishDisable(MetadataState s, String name) throws Refused {
    known(name);
    if (disabling(s, name) == null) {
      return null;
    }
    MetadataState.Builder b = s.toBuilder().clearDisabling();
    for (Disabling d : s.getDisablingList()) {
      if (!d.getFeature().equals(name)) {
        b.addDisabling(d);
      }
    }
    return b.build();
  }

  /** The reason of a waiting feature that may be enabled now. */
  static final String READY = "every normal node supports it; the leader enables it next";

  /**
   * The state of {@code f} ({@code enabled}, {@code held} or {@code waiting}), why it is not
   * enabled, and which nodes (up or down, not left) lack it.
   */
  FeatureStatus status(MetadataState s, Feature f) {
    FeatureStatus.Builder b = FeatureStatus.newBuilder().setName(f.name())
        .setReversible(f.reversible());
    List<String> lacking = new ArrayList<>();
    List<String> changing = new ArrayList<>();
    for (Member m : s.getMembersList()) {
      if (m.getState() == MemberState.LEFT) {
        continue;
      }
      if (m.getState() == MemberState.JOINING || m.getState() == MemberState.LEAVING) {
        changing.add(m.getHostId() + " is " + stateName(m.getState()));
      }
      if (!m.getSupportedFeaturesList().contains(f.name())) {
        lacking.add(m.getHostId());
      }
    }
    if (s.getEnabledList().contains(f.name())) {
      return b.setState("enabled").build();
    }
    b.addAllLacking(lacking);
    Set<String> reasons = new LinkedHashSet<>();
    Disabling d = disabling(s, f.name());
    if (d != null) {
      reasons.add("disabled at epoch " + d.getEpoch()
          + "; waiting until every normal node has applied it");
    }
    if (s.getHeldList().contains(f.name())) {
      reasons.add("held by an operator");
    }
    if (!changing.isEmpty()) {
      reasons.add("topology change in progress (" + String.join(", ", changing) + ")");
    }
    if (!lacking.isEmpty()) {
      reasons.add("not supported by " + String.join(", ", lacking));
    }
    boolean held = s.getHeldList().contains(f.name());
    b.setState(held ? "held" : "waiting");
    b.setReason(reasons.isEmpty() ? READY : String.join("; ", reasons));
    return b.build();
  }

  /** Features the leader may enable now. */
  List<Feature> enableable(MetadataState s) {
    List<Feature> out = new ArrayList<>();
    if (s.getMembersCount() == 0) {
      return out;
    }
    for (Feature f : features.all()) {
      FeatureStatus st = status(s, f);
      if (st.getState().equals("waiting") && st.getReason().equals(READY)) {
        out.add(f);
      }
    }
    return out;
  }

  private String featureState(MetadataState s, Feature f) {
    FeatureStatus st = status(s, f);
    return st.getState() + " (" + st.getReason() + ")";
  }

  private Feature known(String name) throws Refused {
    Feature f = features.get(name);
    if (f == null) {
      throw new Refused("unknown feature '" + name + "'; known features: "
          + String.join(", ", features.all().stream().map(Feature::name).toList()));
    }
    return f;
  }

  static Disabling disabling(MetadataState s, String name) {
    for (Disabling d : s.getDisablingList()) {
      if (d.getFeature().equals(name)) {
        return d;
      }
    }
    return null;
  }

  static Member find(MetadataState s, String hostId) {
    for (Member m : s.getMembersList()) {
      if (m.getHostId().equals(hostId)) {
        return m;
      }
    }
    return null;
  }

  private static Member require(MetadataState s, String hostId) throws Refused {
    Member m = find(s, hostId);
    if (m == null) {
      throw new Refused("no member with host id " + hostId);
    }
    return m;
  }

  private static MetadataState put(MetadataState s, Member m) {
    MetadataState.Builder b = s.toBuilder();
    for (int i = 0; i < b.getMembersCount(); i++) {
      if (b.getMembers(i).getHostId().equals(m.getHostId())) {
        b.setMembers(i, m);
        return b.build();
      }
    }
    return b.addMembers(m).build();
  }

  static String stateName(MemberState st) {
    return switch (st) {
      case JOINING -> "joining";
      case NORMAL -> "normal";
      case LEAVING -> "leaving";
      case LEFT -> "left";
      default -> "unknown";
    };
  }
}
