package dev.braid.rpc;

/**
 * How a client uses its connection for concurrent calls.
 *
 * <p>Whatever the client chooses, a braid server accepts both one-at-a-time and
 * interleaved streams from any client.
 */
public enum Multiplexing {
  /**
   * The default: start like storj/drpc v1.0.0 (one stream at a time) and announce braid's
   * extensions on the first stream; multiplex, with flow control and frame interleaving,
   * once the server has answered. Against an upstream DRPC server the connection stays
   * one-stream-at-a-time and concurrent calls wait their turn.
   */
  NEGOTIATE,
  /** Never multiplex and never send braid extensions: exactly upstream DRPC behaviour. */
  OFF,
  /**
   * Multiplex from the first call without negotiating, for peers known to accept
   * interleaved streams (the cockroachdb fork). No braid extensions are sent; the frames of
   * one packet are never interleaved with another stream's frames.
   */
  FORCE
}
