package dev.braid.rpc;

import dev.braid.rpc.internal.ConnectionConfig;

/**
 * The transport settings clients and servers share, with their validation. Not public:
 * {@link ClientConnection.Builder} and {@link BraidServer.Builder} expose these setters.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class TransportBuilder<B extends TransportBuilder<B>> {
  int maxMessageSize = ConnectionConfig.DEFAULT_MAX_MESSAGE_SIZE;
  int splitSize = ConnectionConfig.DEFAULT_SPLIT_SIZE;
  int streamBufferBytes = ConnectionConfig.DEFAULT_STREAM_BUFFER_BYTES;
  int onReadyThreshold = ConnectionConfig.DEFAULT_ON_READY_THRESHOLD;
  int streamWindow = ConnectionConfig.DEFAULT_STREAM_WINDOW;
  int maxStreamWindow = ConnectionConfig.DEFAULT_MAX_STREAM_WINDOW;
  int connectionBufferBytes = ConnectionConfig.DEFAULT_CONNECTION_BUFFER_BYTES;
  java.time.Duration idleTimeout = java.time.Duration.ZERO;
  java.time.Duration halfFrameTimeout = java.time.Duration.ZERO;
  java.time.Duration writeStallTimeout = java.time.Duration.ZERO;
  int socketSendBuffer;

  /** The engine's configuration with the settings shared by clients and servers. */
  ConnectionConfig.Builder transport() {
    return ConnectionConfig.builder()
        .maxMessageSize(maxMessageSize)
        .splitSize(splitSize)
        .streamBufferBytes(streamBufferBytes)
        .onReadyThreshold(onReadyThreshold)
        .streamWindow(streamWindow)
        .maxStreamWindow(maxStreamWindow)
        .connectionBufferBytes(connectionBufferBytes)
        .idleTimeoutMillis(idleTimeout.toMillis())
        .halfFrameTimeoutMillis(halfFrameTimeout.toMillis())
        .writeStallTimeoutMillis(writeStallTimeout.toMillis());
  }

  /**
   * Closes a connection that has held an incomplete frame or packet this long without a
   * byte arriving (a peer that sends half a frame and stops); zero, the default, never does.
   */
  public B halfFrameTimeout(java.time.Duration timeout) {
    this.halfFrameTimeout = notNegative(timeout, "halfFrameTimeout");
    return self();
  }

  /**
   * Closes a connection whose socket has not been writable for this long (the peer stopped
   * reading what it asked for); zero, the default, never does.
   */
  public B writeStallTimeout(java.time.Duration timeout) {
    this.writeStallTimeout = notNegative(timeout, "writeStallTimeout");
    return self();
  }

  static java.time.Duration notNegative(java.time.Duration d, String name) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return d;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** The largest message sent or accepted; default 4 MiB, as DRPC. */
  public B maxMessageSize(int bytes) {
    this.maxMessageSize = positive(bytes, "maxMessageSize");
    return self();
  }

  /** The largest frame sent; default 64 KiB, as DRPC. */
  public B splitSize(int bytes) {
    this.splitSize = positive(bytes, "splitSize");
    return self();
  }

  /**
   * Unread received bytes per stream before the connection stops reading the socket, when
   * no flow control was negotiated; default 1 MiB.
   */
  public B streamBufferBytes(int bytes) {
    this.streamBufferBytes = positive(bytes, "streamBufferBytes");
    return self();
  }

  /** Queued outbound bytes past which a stream's sends block; default 32 KiB. */
  public B onReadyThreshold(int bytes) {
    this.onReadyThreshold = positive(bytes, "onReadyThreshold");
    return self();
  }

  /** Per-stream receive window announced to braid peers; default 1 MiB, at least 1 KiB. */
  public B streamWindow(int bytes) {
    this.streamWindow = atLeast(bytes, ConnectionConfig.MIN_WINDOW, "streamWindow");
    return self();
  }

  /**
   * The largest a stream's receive window grows to; default 4 MiB. A stream's window grows
   * (doubling, by extra WindowUpdate credit) only after a whole window's worth of messages
   * each found the reader already waiting for it, so a bulk transfer to a fast reader is not
   * limited by the credit round trip, while a slow or paced reader, busy when its messages
   * arrive, never gets more than it was given. The value in effect is never below
   * {@link #streamWindow}; setting it equal turns growth off. Keep it well below
   * {@link #connectionBufferBytes}, or one stalled stream could hold the whole connection's
   * buffer.
   */
  public B maxStreamWindow(int bytes) {
    this.maxStreamWindow = positive(bytes, "maxStreamWindow");
    return self();
  }

  /**
   * Received-but-unread bytes across a connection before reading pauses; 16 MiB, at least
   * 1 KiB. Also the most a peer may hold in incomplete packets outside flow control (see
   * docs/wire-protocol.md, "Memory a peer can pin").
   */
  public B connectionBufferBytes(int bytes) {
    this.connectionBufferBytes = atLeast(bytes, ConnectionConfig.MIN_WINDOW,
        "connectionBufferBytes");
    return self();
  }

  /**
   * Closes a connection that has had no call in flight for this long (gRPC's
   * maxConnectionIdle); zero, the default, never does.
   */
  public B idleTimeout(java.time.Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("idleTimeout must not be negative");
    }
    this.idleTimeout = timeout;
    return self();
  }

  /**
   * The socket's send buffer (SO_SNDBUF) in bytes; 0, the default, leaves it to the OS.
   * A smaller buffer bounds how much bulk data can sit in the kernel ahead of a small call
   * (head-of-line latency) at some cost in bulk throughput on long links.
   */
  public B socketSendBuffer(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("socketSendBuffer must not be negative: " + bytes);
    }
    this.socketSendBuffer = bytes;
    return self();
  }


  static int positive(int v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
    return v;
  }

  static int atLeast(int v, int min, String name) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ": " + v);
    }
    return v;
  }
}
