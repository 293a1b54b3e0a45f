package dev.braid.rpc.internal;

import dev.braid.rpc.Multiplexing;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Settings of one connection, fixed when it is created. Built with {@link #builder()},
 * which holds every default once and validates every value; the public builders
 * ({@code ClientConnection.Builder}, {@code BraidServer.Builder}) fill one in.
 *
 * @param maxMessageSize the largest packet body accepted or sent (DRPC: 4 MiB)
 * @param splitSize the largest frame body sent (DRPC: 64 KiB)
 * @param muxSplitSize the largest frame body sent once braid peers negotiated (smaller
 *     frames interleave more finely)
 * @param streamBufferBytes received bytes a stream may hold, without negotiated flow
 *     control, before the connection stops reading the socket for it
 * @param streamWindow the per-stream receive window announced to braid peers
 * @param maxStreamWindow the largest a stream's receive window grows to while its reader
 *     is found waiting for data (never below {@code streamWindow})
 * @param connectionBufferBytes received-but-unread bytes across all streams past which the
 *     connection stops reading the socket (negotiated mode); also the most bytes a peer may
 *     hold in incomplete packets outside flow control before the connection is closed
 * @param maxConcurrentStreams streams a server accepts at once on one connection, streams
 *     whose Invoke has not arrived yet included
 * @param maxMetadataSize the largest invoke metadata, and the longest method name, a server
 *     accepts
 * @param onReadyThreshold queued outbound bytes past which a stream is not ready
 * @param multiplexing the client's multiplexing mode (ignored by servers)
 * @param keepaliveMillis client ping interval once negotiated; 0 for none
 * @param idleTimeoutMillis close the connection after it has had no stream for this long;
 *     0 for never
 * @param firstInvokeTimeoutMillis server: close a connection whose first Invoke has not
 *     arrived this long after it opened; 0 for never
 * @param halfFrameTimeoutMillis close a connection that has held an incomplete frame or
 *     packet this long without progress; 0 for never
 * @param writeStallTimeoutMillis close a connection whose socket has not been writable for
 *     this long (the peer does not read); 0 for never
 * @param maxControlQueueBytes the most bytes of control packets (Settings, Ping answers,
 *     WindowUpdates, refusals) queued for a peer that does not read; past it the connection
 *     is closed
 * @param streamLimit a limit on streams shared by all connections of one server, or null
 * @param fatalErrorHandler called once with an {@link Error} thrown on an engine thread
 * @param handlerExecutor where server handlers and server-side callbacks run
 * @param callbackExecutor where client-side callbacks and async results run
 */
public record ConnectionConfig(int maxMessageSize, int splitSize, int muxSplitSize,
    int streamBufferBytes, int streamWindow, int maxStreamWindow, int connectionBufferBytes,
    int maxConcurrentStreams, int maxMetadataSize, int onReadyThreshold,
    Multiplexing multiplexing, long keepaliveMillis, long idleTimeoutMillis,
    long firstInvokeTimeoutMillis, long halfFrameTimeoutMillis, long writeStallTimeoutMillis,
    int maxControlQueueBytes, StreamLimit streamLimit, Consumer<Throwable> fatalErrorHandler,
    Executor handlerExecutor, Executor callbackExecutor) {

  /** DRPC's largest message: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 << 20;
  /** DRPC's frame size: 64 KiB. */
  public static final int DEFAULT_SPLIT_SIZE = 64 << 10;
  /** Frame size once braid peers negotiated: small frames interleave fairly. */
  public static final int DEFAULT_MUX_SPLIT_SIZE = 16 << 10;
  public static final int DEFAULT_STREAM_BUFFER_BYTES = 1 << 20;
  public static final int DEFAULT_STREAM_WINDOW = 1 << 20;
  public static final int DEFAULT_MAX_STREAM_WINDOW = 4 << 20;
  public static final int DEFAULT_CONNECTION_BUFFER_BYTES = 16 << 20;
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1024;
  public static final int DEFAULT_MAX_METADATA_SIZE = 64 << 10;
  public static final int DEFAULT_ON_READY_THRESHOLD = 32 << 10;
  public static final int DEFAULT_MAX_CONTROL_QUEUE_BYTES = 1 << 20;
  /** The smallest window, and frame size, a peer may announce (see {@link PeerSettings}). */
  public static final int MIN_WINDOW = 1024;

  public ConnectionConfig {
    Objects.requireNonNull(multiplexing, "multiplexing");
    Objects.requireNonNull(fatalErrorHandler, "fatalErrorHandler");
    Objects.requireNonNull(handlerExecutor, "handlerExecutor");
    Objects.requireNonNull(callbackExecutor, "callbackExecutor");
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxMessageSize = maxMessageSize;
    b.splitSize = splitSize;
    b.muxSplitSize = muxSplitSize;
    b.streamBufferBytes = streamBufferBytes;
    b.streamWindow = streamWindow;
    b.maxStreamWindow = maxStreamWindow;
    b.connectionBufferBytes = connectionBufferBytes;
    b.maxConcurrentStreams = maxConcurrentStreams;
    b.maxMetadataSize = maxMetadataSize;
    b.onReadyThreshold = onReadyThreshold;
    b.multiplexing = multiplexing;
    b.keepaliveMillis = keepaliveMillis;
    b.idleTimeoutMillis = idleTimeoutMillis;
    b.firstInvokeTimeoutMillis = firstInvokeTimeoutMillis;
    b.halfFrameTimeoutMillis = halfFrameTimeoutMillis;
    b.writeStallTimeoutMillis = writeStallTimeoutMillis;
    b.maxControlQueueBytes = maxControlQueueBytes;
    b.streamLimit = streamLimit;
    b.fatalErrorHandler = fatalErrorHandler;
    b.handlerExecutor = handlerExecutor;
    b.callbackExecutor = callbackExecutor;
    return b;
  }

  /** The frame size this side announces it will send at most (never below the floor). */
  int announcedFrameSize() {
    return Math.max(MIN_WINDOW, Math.min(muxSplitSize, splitSize));
  }

  /**
   * Builds a {@link ConnectionConfig}. Every setter checks its argument; {@link #build()}
   * derives the values in effect (split size never above the message size, window growth
   * limit never below the window).
   */
  public static final class Builder {
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int splitSize = DEFAULT_SPLIT_SIZE;
    private int muxSplitSize = DEFAULT_MUX_SPLIT_SIZE;
    private int streamBufferBytes = DEFAULT_STREAM_BUFFER_BYTES;
    private int streamWindow = DEFAULT_STREAM_WINDOW;
    private int maxStreamWindow = DEFAULT_MAX_STREAM_WINDOW;
    private int connectionBufferBytes = DEFAULT_CONNECTION_BUFFER_BYTES;
    private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    private int maxMetadataSize = DEFAULT_MAX_METADATA_SIZE;
    private int onReadyThreshold = DEFAULT_ON_READY_THRESHOLD;
    private Multiplexing multiplexing = Multiplexing.NEGOTIATE;
    private long keepaliveMillis;
    private long idleTimeoutMillis;
    private long firstInvokeTimeoutMillis;
    private long halfFrameTimeoutMillis;
    private long writeStallTimeoutMillis;
    private int maxControlQueueBytes = DEFAULT_MAX_CONTROL_QUEUE_BYTES;
    private StreamLimit streamLimit;
    private Consumer<Throwable> fatalErrorHandler = t -> { };
    private Executor handlerExecutor = Runnable::run;
    private Executor callbackExecutor = Runnable::run;

    private Builder() {}

    public Builder maxMessageSize(int v) {
      this.maxMessageSize = positive(v, "maxMessageSize");
      return this;
    }

    public Builder splitSize(int v) {
      this.splitSize = positive(v, "splitSize");
      return this;
    }

    public Builder muxSplitSize(int v) {
      this.muxSplitSize = positive(v, "muxSplitSize");
      return this;
    }

    public Builder streamBufferBytes(int v) {
      this.streamBufferBytes = positive(v, "streamBufferBytes");
      return this;
    }

    public Builder streamWindow(int v) {
      this.streamWindow = atLeast(v, MIN_WINDOW, "streamWindow");
      return this;
    }

    public Builder maxStreamWindow(int v) {
      this.maxStreamWindow = positive(v, "maxStreamWindow");
      return this;
    }

    public Builder connectionBufferBytes(int v) {
      this.connectionBufferBytes = atLeast(v, MIN_WINDOW, "connectionBufferBytes");
      return this;
    }

    public Builder maxConcurrentStreams(int v) {
      this.maxConcurrentStreams = positive(v, "maxConcurrentStreams");
      return this;
    }

    public Builder maxMetadataSize(int v) {
      this.maxMetadataSize = positive(v, "maxMetadataSize");
      return this;
    }

    public Builder onReadyThreshold(int v) {
      this.onReadyThreshold = positive(v, "onReadyThreshold");
      return this;
    }

    public Builder multiplexing(Multiplexing v) {
      this.multiplexing = Objects.requireNonNull(v, "multiplexing");
      return this;
    }

    public Builder keepaliveMillis(long v) {
      this.keepaliveMillis = notNegative(v, "keepaliveMillis");
      return this;
    }

    public Builder idleTimeoutMillis(long v) {
      this.idleTimeoutMillis = notNegative(v, "idleTimeoutMillis");
      return this;
    }

    public Builder firstInvokeTimeoutMillis(long v) {
      this.firstInvokeTimeoutMillis = notNegative(v, "firstInvokeTimeoutMillis");
      return this;
    }

    public Builder halfFrameTimeoutMillis(long v) {
      this.halfFrameTimeoutMillis = notNegative(v, "halfFrameTimeoutMillis");
      return this;
    }

    public Builder writeStallTimeoutMillis(long v) {
      this.writeStallTimeoutMillis = notNegative(v, "writeStallTimeoutMillis");
      return this;
    }

    public Builder maxControlQueueBytes(int v) {
      this.maxControlQueueBytes = atLeast(v, MIN_WINDOW, "maxControlQueueBytes");
      return this;
    }

    /** A limit shared with other connections, or null for none. */
    public Builder streamLimit(StreamLimit v) {
      this.streamLimit = v;
      return this;
    }

    public Builder fatalErrorHandler(Consumer<Throwable> v) {
      this.fatalErrorHandler = Objects.requireNonNull(v, "fatalErrorHandler");
      return this;
    }

    public Builder handlerExecutor(Executor v) {
      this.handlerExecutor = Objects.requireNonNull(v, "handlerExecutor");
      return this;
    }

    public Builder callbackExecutor(Executor v) {
      this.callbackExecutor = Objects.requireNonNull(v, "callbackExecutor");
      return this;
    }

    /** Both executors. */
    public Builder executor(Executor v) {
      return handlerExecutor(v).callbackExecutor(v);
    }

    public ConnectionConfig build() {
      return new ConnectionConfig(maxMessageSize, Math.min(splitSize, maxMessageSize),
          muxSplitSize, streamBufferBytes, streamWindow, Math.max(streamWindow,
          maxStreamWindow), connectionBufferBytes, maxConcurrentStreams, maxMetadataSize,
          onReadyThreshold, multiplexing, keepaliveMillis, idleTimeoutMillis,
          firstInvokeTimeoutMillis, halfFrameTimeoutMillis, writeStallTimeoutMillis,
          maxControlQueueBytes, streamLimit, fatalErrorHandler, handlerExecutor,
          callbackExecutor);
    }

    private static int positive(int v, String name) {
      return atLeast(v, 1, name);
    }

    private static int atLeast(int v, int min, String name) {
      if (v < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ": " + v);
      }
      return v;
    }

    private static long notNegative(long v, String name) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + v);
      }
      return v;
    }
  }
}
