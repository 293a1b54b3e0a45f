package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Status;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import dev.braid.wire.PacketAssembly;
import dev.braid.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inbound side of a {@link Connection}: parses frames from the cumulation buffer, keeps the
 * stream registry (ids to streams, late frames of finished streams dropped), assembles
 * packets per stream with their memory budget, and hands each complete packet to the
 * {@link PacketHandler}. braid's extension packets (Settings, WindowUpdate, Ping, Deadline)
 * go to {@link Negotiation}, the send windows, {@link KeepaliveManager} and
 * {@link ServerDispatch}.
 *
 * <p>Memory: bytes held in incomplete packets outside flow control (every packet but a
 * Message on a flow-controlled stream, which its window bounds), and metadata of pending
 * server streams, are capped together at {@link ConnectionConfig#connectionBufferBytes()};
 * past it the peer broke the protocol ({@link ProtocolException}).
 *
 * <p>Threading: everything here runs on the channel's event loop; nothing is shared.
 */
final class FrameRouter {
  private final Connection conn;
  private final ConnectionConfig config;
  private final boolean client;
  private final LongObjectHashMap<RpcStream> streams = new LongObjectHashMap<>();
  private RpcStream lastRouted;
  private final FrameHeader header = new FrameHeader();
  /** Bytes held in incomplete packets and pending metadata outside flow control. */
  private long heldBytes;

  FrameRouter(Connection conn, boolean client) {
    this.conn = conn;
    this.config = conn.config;
    this.client = client;
  }

  /**
   * Handles every complete frame in {@code in}, stopping at the first incomplete one or once
   * the connection failed. Returns whether something stays incomplete (unparsed input or a
   * partial packet) for the half-sent frame timeout.
   */
  boolean readFrames(ByteBuf in) {
    // one view per read batch: frames are parsed in place, its position kept in step
    ByteBuffer view = in.nioBuffer(in.readerIndex(), in.readableBytes());
    while (in.isReadable() && !conn.hasFailed()) {
      FrameHeader.Result r = header.parse(view, config.maxMessageSize());
      if (r != FrameHeader.Result.COMPLETE) {
        break;
      }
      view.position(view.position() + header.headerSize + header.length);
      in.skipBytes(header.headerSize);
      onFrame(in);
    }
    return in.isReadable() || heldBytes > 0;
  }

  /** A Settings packet arrived on stream {@code sid}. */
  private void onSettings(long sid, ByteBuf body) {
    Map<Integer, Long> peer = conn.negotiation.onSettings(sid, body,
        !client && sid != 0 && !conn.dispatch.isNew(sid));
    if (peer != null) {
      conn.admission.negotiated(peer.get(dev.braid.wire.Settings.MAX_CONCURRENT_STREAMS),
          Long.valueOf(1).equals(peer.get(dev.braid.wire.Settings.MULTIPLEXING)));
      conn.keepalive.start();
    }
  }

  /** The peer granted {@code delta} more bytes on stream {@code sid}. */
  private void onWindowUpdate(long sid, long delta) {
    RpcStream s = streams.get(sid);
    if (s == null || delta <= 0) {
      return;
    }
    if (s.sendWindow != Long.MAX_VALUE) {
      s.sendWindow = s.sendWindow > Long.MAX_VALUE - delta ? Long.MAX_VALUE - 1
          : s.sendWindow + delta;
    }
    conn.writer.windowOpened(s);
  }

  /** Handles the frame described by {@link #header}; its data is next in {@code in}. */
  private void onFrame(ByteBuf in) {
    long sid = header.streamId;
    int len = header.length;
    if (header.control && header.done && header.kind >= Kind.WINDOW_UPDATE
        && header.kind <= Kind.DEADLINE) {
      // braid extensions travel outside packet assembly: their message id is unconstrained
      ByteBuf body = in.readSlice(len);
      switch (header.kind) {
        case Kind.SETTINGS -> onSettings(sid, body);
        case Kind.WINDOW_UPDATE -> {
          if (conn.flowControlled()) {
            onWindowUpdate(sid, dev.braid.wire.Settings.decodeWindowUpdate(body.nioBuffer()));
          }
        }
        case Kind.DEADLINE -> {
          if (!client) {
            conn.dispatch.onDeadline(sid, body);
          }
        }
        default -> {
          if (conn.flowControlled()) {
            conn.keepalive.onPing(body);
          }
        }
      }
      return;
    }
    RpcStream s = lastRouted != null && lastRouted.id == sid ? lastRouted : streams.get(sid);
    if (s == null && !client && conn.dispatch.tryInvoke(header, in)) {
      return; // the common case: a new stream opens with a whole Invoke and no metadata
    }
    if (s == null) {
      s = unknownStream(sid);
      if (s == null) {
        in.skipBytes(len);
        return;
      }
    }
    if (s instanceof PendingServerStream p && p.partialHeld + len > config.maxMetadataSize()
        && (header.kind == Kind.INVOKE || header.kind == Kind.INVOKE_METADATA)) {
      // checked as frames arrive: a peer cannot make the server hold more before refusal
      in.skipBytes(len);
      conn.dispatch.refuse(p, Status.of(Code.RESOURCE_EXHAUSTED, (header.kind == Kind.INVOKE
          ? "method name" : "metadata") + " exceeds the limit of " + config.maxMetadataSize()
          + " bytes"));
      return;
    }
    lastRouted = s;
    int flags = s.assembly.accept(header.kind, header.control, header.done, header.messageId,
        len);
    if ((flags & PacketAssembly.DISCARDED_PARTIAL) != 0) {
      releasePartial(s);
      conn.returnCredit(s, s.partialBytes - s.partialCredited);
      s.partialBytes = 0;
      s.partialCredited = 0;
    }
    boolean isMessage = header.kind == Kind.MESSAGE;
    if (isMessage && conn.flowControlled()) {
      conn.credit.onMessageData(s, len);
    }
    if ((flags & PacketAssembly.COMPLETED) == 0) {
      if (s.partial == null) {
        s.partial = new PacketBuffer(conn.alloc());
      }
      s.partial.add(in, len);
      if (!isMessage || !s.metered) {
        // outside flow control: counted against the connection's buffer
        s.partialHeld += len;
        heldBytes += len;
        if (heldBytes > config.connectionBufferBytes()) {
          throw new ProtocolException("the peer holds more than "
              + config.connectionBufferBytes() + " bytes in incomplete packets");
        }
      }
      if (isMessage) {
        s.partialBytes += len;
        conn.credit.partialArrived(s);
      }
      return;
    }
    if (isMessage) {
      s.arrivingCredit = (int) (s.partialBytes + len - s.partialCredited);
      if (s.isUnary()) {
        conn.scheduler.unaryMessageArrived(s.partialBytes + len);
      }
    }
    s.partialBytes = 0;
    s.partialCredited = 0;
    heldBytes -= s.partialHeld;
    s.partialHeld = 0;
    ByteBuf data;
    if (s.partial != null) {
      s.partial.add(in, len);
      data = s.partial.finish();
      s.partial = null;
    } else if (len == 0) {
      data = io.netty.buffer.Unpooled.EMPTY_BUFFER; // CloseSend, Cancel, Close: no slice
    } else {
      data = in.readRetainedSlice(len);
    }
    conn.packets.onPacket(s, s.assembly.kind(), s.assembly.control(), data);
  }

  /** A frame for a stream not in the registry: a new server stream, a late one, or junk. */
  private RpcStream unknownStream(long sid) {
    if (sid == 0) {
      throw new ProtocolException("id monotonicity violation: stream id 0");
    }
    if (client ? Long.compareUnsigned(sid, conn.admission.highestStarted()) <= 0
        : !conn.dispatch.isNew(sid)) {
      return null; // a late frame for a finished stream
    }
    if (client) {
      if (header.control) {
        return null;
      }
      throw new ProtocolException("frame for stream " + Long.toUnsignedString(sid)
          + " which this client never opened");
    }
    return conn.dispatch.newStream(sid, header);
  }

  /** Puts {@code s} in the registry (and routes the next frames to it). */
  void register(RpcStream s) {
    streams.put(s.id, s);
    lastRouted = s;
  }

  /** Removes stream {@code sid} from the registry. */
  void unregister(long sid) {
    streams.remove(sid);
    lastRouted = null;
  }

  /** The registered stream {@code sid}, or null. */
  RpcStream stream(long sid) {
    return streams.get(sid);
  }

  /** Whether no stream is registered. */
  boolean isEmpty() {
    return streams.isEmpty();
  }

  /** Removes {@code s} from the registry and releases its partial packet. */
  void remove(RpcStream s) {
    streams.remove(s.id);
    if (lastRouted == s) {
      lastRouted = null;
    }
    releasePartial(s);
  }

  /** Empties the registry, returning every stream it held. */
  List<RpcStream> removeAll() {
    List<RpcStream> all = new ArrayList<>(streams.values());
    streams.clear();
    lastRouted = null;
    return all;
  }

  /** Forgets every byte held (the connection closed and released the streams). */
  void clearHeld() {
    heldBytes = 0;
  }

  /** Releases the partial packet of {@code s} and the bytes it held against the cap. */
  void releasePartial(RpcStream s) {
    heldBytes -= s.partialHeld;
    s.partialHeld = 0;
    if (s instanceof PendingServerStream p) {
      heldBytes -= p.metadataHeld;
      p.metadataHeld = 0;
    }
    if (s.partial != null) {
      s.partial.release();
      s.partial = null;
    }
  }

  /** Metadata of pending stream {@code p} is held until its Invoke. */
  void holdMetadata(PendingServerStream p, int bytes) {
    p.metadataHeld = bytes;
    heldBytes += bytes;
    if (heldBytes > config.connectionBufferBytes()) {
      throw new ProtocolException("the peer holds more than "
          + config.connectionBufferBytes() + " bytes in pending streams");
    }
  }
}
