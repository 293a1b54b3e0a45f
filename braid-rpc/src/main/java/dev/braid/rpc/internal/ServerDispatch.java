package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.Status;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Kind;
import dev.braid.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A server connection's admission of new streams: which ids are new ({@link StreamIds}),
 * pending streams and their limit, refusals (answered at once through the control queue),
 * the start of calls after the frames read with their Invoke, and the client's Deadline
 * packets.
 *
 * <p>Event loop only.
 */
final class ServerDispatch {
  /** Ranges of unused stream ids below the highest a server tolerates (StreamIds). */
  static final int MAX_ID_GAPS = 4096;

  private final Connection conn;
  private final ConnectionConfig config;
  private final Function<String, ServiceDefinition.Entry> methods;
  private final StreamIds ids = new StreamIds(MAX_ID_GAPS);
  private int active;
  /** Streams whose Invoke has not arrived yet (they count against the limit). */
  private int pending;
  /** Calls whose start waits for the end of the frames read in one go. */
  private final List<ServerCall<?, ?>> starting = new ArrayList<>();
  private boolean invoked;
  /** The last method name seen, to skip decoding it again for the next call. */
  private byte[] lastNameBytes;
  private String lastName;

  ServerDispatch(Connection conn, Function<String, ServiceDefinition.Entry> methods) {
    this.conn = conn;
    this.config = conn.config;
    this.methods = methods;
  }

  /** Whether {@code sid} was never seen. */
  boolean isNew(long sid) {
    return ids.isNew(sid);
  }

  /** Whether an Invoke arrived on this connection yet. */
  boolean invoked() {
    return invoked;
  }

  /**
   * The common case: a new stream opens with a whole Invoke and no metadata. Handles the
   * frame described by {@code h} (data next in {@code in}) if it is one; returns whether.
   */
  boolean tryInvoke(FrameHeader h, ByteBuf in) {
    long sid = h.streamId;
    int len = h.length;
    if (h.kind != Kind.INVOKE || !h.done || h.control || sid == 0 || h.messageId == 0
        || len > config.maxMetadataSize() || !ids.isNew(sid)) {
      return false;
    }
    ids.markSeen(sid);
    String name = methodName(in, len);
    in.skipBytes(len);
    invoke(sid, h.messageId, null, null, name);
    return true;
  }

  /** The method name in the next {@code len} bytes of {@code in} (not consumed). */
  private String methodName(ByteBuf in, int len) {
    byte[] last = lastNameBytes;
    if (last != null && last.length == len) {
      int at = in.readerIndex();
      int i = 0;
      while (i < len && in.getByte(at + i) == last[i]) {
        i++;
      }
      if (i == len) {
        return lastName;
      }
    }
    byte[] bytes = new byte[len];
    in.getBytes(in.readerIndex(), bytes);
    lastName = new String(bytes, StandardCharsets.UTF_8);
    lastNameBytes = bytes;
    return lastName;
  }

  /**
   * The first frame ({@code h}) of stream {@code sid}, which was never seen: a pending
   * stream, or null if the frame is to be skipped (refused, or an ignorable control packet).
   */
  RpcStream newStream(long sid, FrameHeader h) {
    int kind = h.kind;
    if (kind != Kind.INVOKE && kind != Kind.INVOKE_METADATA) {
      if (h.control) {
        return null; // an unknown control packet for an unknown stream: ignore
      }
      throw new ProtocolException("first frame of a new stream must be Invoke or "
          + "InvokeMetadata, got " + Kind.name(kind));
    }
    ids.markSeen(sid);
    if (active + pending >= config.maxConcurrentStreams()) {
      // refused at once: a stream whose Invoke has not arrived holds nothing here
      answerError(sid, tooManyStreams());
      return null;
    }
    PendingServerStream p = new PendingServerStream(conn, sid);
    pending++;
    conn.router.register(p);
    return p;
  }

  private Status tooManyStreams() {
    return Status.of(Code.RESOURCE_EXHAUSTED, "too many concurrent streams (limit "
        + config.maxConcurrentStreams() + ")");
  }

  /** Answers a pending stream with an Error and forgets it; its later frames are dropped. */
  void refuse(PendingServerStream p, Status status) {
    answerError(p.id, status);
    p.terminate(status, status, true);
    conn.forget(p);
    pending--;
  }

  /** The Invoke of pending stream {@code p} completed with {@code name}. */
  void invoked(PendingServerStream p, String name) {
    conn.router.releasePartial(p);
    pending--;
    invoke(p.id, p.assembly.messageId(), p.metadata, p.refused, name);
  }

  /** A complete Invoke for stream {@code sid}: start the call or answer with an Error. */
  private void invoke(long sid, long invokeId, Metadata metadata, Status refused, String name) {
    invoked = true;
    ServiceDefinition.Entry entry = methods.apply(name);
    Metadata md = metadata == null ? Metadata.EMPTY : metadata;
    Status refuse = refused;
    StreamLimit limit = config.streamLimit();
    boolean acquired = false;
    if (refuse == null && entry == null) {
      refuse = Status.of(Code.UNIMPLEMENTED, "protocol error: unknown rpc: \"" + name + "\"");
    } else if (refuse == null && conn.isClosing()) {
      refuse = Status.of(Code.UNAVAILABLE, "server is shutting down");
    } else if (refuse == null && active + pending >= config.maxConcurrentStreams()) {
      refuse = tooManyStreams();
    } else if (refuse == null && limit != null) {
      acquired = limit.tryAcquire();
      if (!acquired) {
        refuse = Status.of(Code.RESOURCE_EXHAUSTED, "the server runs too many streams "
            + "(limit " + limit.max() + ")");
      }
    }
    if (refuse != null) {
      // Answer with an Error and forget the stream; late packets for it are dropped.
      answerError(sid, refuse);
      conn.router.unregister(sid);
      return;
    }
    ServerCall<?, ?> call = new ServerCall<>(conn, sid, entry, md);
    call.holdsStreamLimit = acquired;
    call.assembly.accept(Kind.INVOKE, false, true, invokeId, 0);
    call.registered = true;
    call.started = true;
    call.sendWindow = conn.negotiation.initialSendWindow();
    call.metered = conn.flowControlled();
    active++;
    conn.router.register(call);
    starting.add(call); // started once the frames read with it are handled (startCalls)
  }

  /**
   * Starts the calls whose Invoke came in the frames just read: after them, so that a
   * Deadline packet following the Invoke applies before a streaming handler runs.
   */
  void startCalls(boolean failed) {
    if (starting.isEmpty()) {
      return;
    }
    for (int i = 0; i < starting.size(); i++) {
      if (!failed) {
        starting.get(i).start();
      }
    }
    starting.clear();
  }

  /** The client's Deadline packet for stream {@code sid}. */
  void onDeadline(long sid, ByteBuf body) {
    ByteBuffer b = body.nioBuffer();
    long micros = dev.braid.wire.Varint.read(b);
    if (micros < 0 || b.hasRemaining()) {
      throw new ProtocolException("invalid Deadline body on stream "
          + Long.toUnsignedString(sid));
    }
    if (conn.router.stream(sid) instanceof ServerCall<?, ?> c) {
      c.peerDeadline(micros);
    }
  }

  /** {@code s} left the registry. */
  void finished(RpcStream s) {
    if (s instanceof ServerCall<?, ?>) {
      active--;
    } else if (s instanceof PendingServerStream) {
      pending--;
    }
  }

  /** The connection closed. */
  void clear() {
    pending = 0;
    starting.clear();
  }

  /** Answers a stream that never became a call with one Error packet (message id 1). */
  void answerError(long sid, Status st) {
    byte[] body = ErrorBody.encode(st.code(), st.message());
    ByteBuf buf = conn.alloc().buffer(body.length + FrameHeader.MAX_SIZE);
    FrameWriter.writeBytes(buf, Kind.ERROR, sid, 1, body, 0);
    conn.enqueueControl(buf); // through the writer, counted like every control packet
  }
}
