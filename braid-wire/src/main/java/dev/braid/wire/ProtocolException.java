package dev.braid.wire;

/**
 * A peer broke the DRPC wire protocol: a malformed varint, an id going backwards, a kind
 * change inside a packet, an oversized packet, undecodable metadata, and so on.
 *
 * <p>A protocol violation is fatal to the connection it happened on and to nothing else.
 * The message uses upstream DRPC's wording where one exists ("id monotonicity violation",
 * "packet kind change", "data overflow", "varint too long").
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message);
  }
}
