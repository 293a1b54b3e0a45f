package dev.braid.coordinator;

import dev.braid.cluster.proto.Member;
import dev.braid.cluster.proto.MemberState;
import dev.braid.cluster.proto.MetadataState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The token ring of one metadata epoch: every vnode token of every member that owns data, and
 * SimpleStrategy placement over it. The replicas of a token are the next {@code rf} distinct
 * hosts met walking clockwise from the first vnode token {@code >=} it (wrapping around).
 * Immutable and thread-safe.
 */
public final class TokenRing {
  private final long epoch;
  private final long[] tokens;
  private final String[] owners;
  private final Map<String, String> addresses;
  private final int hosts;

  private TokenRing(long epoch, TreeMap<Long, String> ring, Map<String, String> addresses) {
    this.epoch = epoch;
    this.tokens = new long[ring.size()];
    this.owners = new String[ring.size()];
    int i = 0;
    for (Map.Entry<Long, String> e : ring.entrySet()) {
      tokens[i] = e.getKey();
      owners[i++] = e.getValue();
    }
    this.addresses = Map.copyOf(addresses);
    this.hosts = new LinkedHashSet<>(ring.values()).size();
  }

  /**
   * The ring of a metadata state. Members that are joining (not yet NORMAL) or have left own no
   * tokens. When two members claim one token, the smaller host id keeps it (deterministic).
   */
  public static TokenRing of(MetadataState state) {
    TreeMap<Long, String> ring = new TreeMap<>();
    Map<String, String> addresses = new TreeMap<>();
    for (Member m : state.getMembersList()) {
      if (m.getState() != MemberState.NORMAL && m.getState() != MemberState.LEAVING) {
        continue;
      }
      addresses.put(m.getHostId(), m.getAddress());
      for (long t : m.getTokensList()) {
        ring.merge(t, m.getHostId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    return new TokenRing(state.getEpoch(), ring, addresses);
  }

  /** A ring from explicit tokens (host id to its vnode tokens), for tests and tools. */
  public static TokenRing of(long epoch, Map<String, List<Long>> tokensByHost) {
    TreeMap<Long, String> ring = new TreeMap<>();
    Map<String, String> addresses = new TreeMap<>();
    for (Map.Entry<String, List<Long>> e : tokensByHost.entrySet()) {
      addresses.put(e.getKey(), e.getKey());
      for (long t : e.getValue()) {
        ring.merge(t, e.getKey(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
      }
    }
    return new TokenRing(epoch, ring, addresses);
  }

  /** The metadata epoch this ring was built at. */
  public long epoch() {
    return epoch;
  }

  /** The number of distinct hosts owning tokens. */
  public int hostCount() {
    return hosts;
  }

  /** The braid address of a host, or null when it owns no tokens. */
  public String address(String hostId) {
    return addresses.get(hostId);
  }

  /** Hosts owning tokens. */
  public Set<String> hosts() {
    return addresses.keySet();
  }

  /**
   * The replicas of {@code token} under SimpleStrategy with {@code rf}, in ring order (the
   * primary first); fewer than {@code rf} when the ring has fewer hosts.
   */
  public List<String> replicas(long token, int rf) {
    List<String> out = new ArrayList<>(Math.min(rf, hosts));
    if (tokens.length == 0 || rf <= 0) {
      return out;
    }
    int start = firstAtOrAfter(token);
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < tokens.length && seen.size() < Math.min(rf, hosts); i++) {
      seen.add(owners[(start + i) % tokens.length]);
    }
    out.addAll(seen);
    return out;
  }

  private int firstAtOrAfter(long token) {
    int lo = 0;
    int hi = tokens.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (tokens[mid] < token) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == tokens.length ? 0 : lo;
  }
}
