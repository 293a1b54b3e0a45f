package dev.braid.rpc.internal;

import dev.braid.rpc.Multiplexing;
import dev.braid.wire.Kind;
import dev.braid.wire.Settings;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * braid's negotiation on one connection: this side's Settings, the peer's (validated by
 * {@link PeerSettings}), and the limits that follow from them — whether the connection is
 * negotiated, the frame size to split at, the largest message to send, the send window a
 * stream starts with. A client announces on stream 1 and is negotiated once the answer
 * arrives; a server answers the first announcement on a stream it has seen.
 *
 * <p>Threading: Settings are handled on the event loop; the limits are read from any thread
 * (volatile where senders read them).
 */
final class Negotiation {
  private static final Logger log = LoggerFactory.getLogger(Negotiation.class);

  private final Connection conn;
  private final ConnectionConfig config;
  private final boolean client;
  private volatile boolean negotiated;
  /** loop: the peer's STREAM_WINDOW. */
  private long peerStreamWindow = Long.MAX_VALUE;
  private volatile int peerMaxFrame = Integer.MAX_VALUE;
  private volatile int peerMaxMessage = Integer.MAX_VALUE;
  /** loop, server: the answer is queued. */
  private boolean answered;

  Negotiation(Connection conn, boolean client) {
    this.conn = conn;
    this.config = conn.config;
    this.client = client;
  }

  /** Whether braid's extensions (flow control, interleaving, pings) are in use. Any thread. */
  boolean negotiated() {
    return negotiated;
  }

  /** The frame size to split outgoing messages at. */
  int splitSize() {
    return negotiated ? Math.min(Math.min(config.muxSplitSize(), config.splitSize()),
        peerMaxFrame) : config.splitSize();
  }

  /** The largest message this side may send: its own limit and, once known, the peer's. */
  int maxSendMessageSize() {
    return Math.min(config.maxMessageSize(), peerMaxMessage);
  }

  /** Event loop: the send window a stream starts with. */
  long initialSendWindow() {
    return negotiated ? peerStreamWindow : Long.MAX_VALUE;
  }

  /** Whether the client's call with stream id {@code id} carries the announcement. */
  boolean announces(long id) {
    return client && id == 1 && config.multiplexing() == Multiplexing.NEGOTIATE;
  }

  /** This side's Settings body. */
  byte[] settingsBody() {
    Map<Integer, Long> v = new TreeMap<>();
    v.put(Settings.VERSION, 1L);
    v.put(Settings.MULTIPLEXING, 1L);
    v.put(Settings.STREAM_WINDOW, (long) config.streamWindow());
    v.put(Settings.CONNECTION_WINDOW, (long) config.connectionBufferBytes());
    v.put(Settings.MAX_FRAME_SIZE, (long) config.announcedFrameSize());
    v.put(Settings.MAX_MESSAGE_SIZE, (long) config.maxMessageSize());
    if (!client) {
      v.put(Settings.MAX_CONCURRENT_STREAMS, (long) config.maxConcurrentStreams());
    }
    if (config.keepaliveMillis() > 0) {
      v.put(Settings.KEEPALIVE_MS, config.keepaliveMillis());
    }
    return Settings.encode(v);
  }

  /**
   * Event loop: a Settings packet arrived on stream {@code sid}. Returns the peer's values
   * when this client just became negotiated, else null.
   */
  Map<Integer, Long> onSettings(long sid, ByteBuf body, boolean streamSeen) {
    Map<Integer, Long> peer = PeerSettings.validate(Settings.decode(body.nioBuffer()));
    Long window = peer.get(Settings.STREAM_WINDOW);
    if (window != null && window > 0) {
      peerStreamWindow = window;
    }
    Long frame = peer.get(Settings.MAX_FRAME_SIZE);
    if (frame != null && frame > 0) {
      peerMaxFrame = (int) Math.min(Integer.MAX_VALUE, frame);
    }
    Long message = peer.get(Settings.MAX_MESSAGE_SIZE);
    if (message != null && message > 0) {
      peerMaxMessage = (int) Math.min(Integer.MAX_VALUE, message);
    }
    if (client) {
      if (negotiated) {
        return null;
      }
      negotiated = true;
      log.debug("connection negotiated braid extensions: {}", peer);
      return peer;
    }
    if (!answered && sid != 0 && streamSeen) {
      answered = true;
      negotiated = true;
      conn.enqueueControl(conn.extensionPacket(Kind.SETTINGS, sid, settingsBody()));
    }
    return null;
  }
}
