package dev.braid.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options: metadata to send and a timeout. Immutable; {@code with*} return copies.
 *
 * <p>The timeout starts when the call starts. When it passes, the call is cancelled locally
 * (a Cancel packet goes to the peer, the connection stays usable) and fails with
 * {@link Code#DEADLINE_EXCEEDED}. The remaining time also travels to the server in a braid
 * Deadline control packet, which other DRPC servers ignore (the invoke metadata on the wire
 * is exactly {@link #metadata()}), so a braid server cancels its side at the same time; its
 * handler sees the value as metadata {@value #DEADLINE_METADATA_KEY} (microseconds,
 * decimal). See docs/wire-protocol.md.
 */
public final class CallOptions {
  /** The server-side metadata key showing the remaining time in microseconds. */
  public static final String DEADLINE_METADATA_KEY = "braid-timeout-us";

  /** No metadata, no timeout. */
  public static final CallOptions DEFAULT = new CallOptions(Metadata.EMPTY, null);

  private final Metadata metadata;
  private final Duration timeout;

  private CallOptions(Metadata metadata, Duration timeout) {
    this.metadata = metadata;
    this.timeout = timeout;
  }

  /** A copy that sends {@code metadata}. */
  public CallOptions withMetadata(Metadata metadata) {
    return new CallOptions(Objects.requireNonNull(metadata, "metadata"), timeout);
  }

  /** A copy with a timeout; {@code null} removes it. Must not be negative. */
  public CallOptions withTimeout(Duration timeout) {
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    return new CallOptions(metadata, timeout);
  }

  public Metadata metadata() {
    return metadata;
  }

  /** The timeout, or {@code null} for none. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "CallOptions{metadata=" + metadata + ", timeout=" + timeout + "}";
  }
}
