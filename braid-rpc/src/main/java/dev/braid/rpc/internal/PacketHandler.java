package dev.braid.rpc.internal;

import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.Status;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.InvokeMetadata;
import dev.braid.wire.Kind;
import dev.braid.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * What a complete packet does to its stream, by kind (DRPC's rules, docs/wire-protocol.md):
 * Message to the stream's receiver, Invoke and InvokeMetadata only on a pending server
 * stream, Error, Cancel and Close terminate, CloseSend half-closes, unknown kinds are
 * ignored with the control bit and a protocol error without. Takes ownership of the data.
 *
 * <p>Event loop only.
 */
final class PacketHandler {
  private final Connection conn;
  private final boolean client;

  PacketHandler(Connection conn, boolean client) {
    this.conn = conn;
    this.client = client;
  }

  void onPacket(RpcStream s, int kind, boolean control, ByteBuf data) {
    switch (kind) {
      case Kind.MESSAGE -> {
        if (s instanceof PendingServerStream) {
          data.release();
          throw new ProtocolException("Message before Invoke on stream "
              + Long.toUnsignedString(s.id));
        }
        s.handleMessage(data);
      }
      case Kind.INVOKE -> {
        String name = data.toString(StandardCharsets.UTF_8);
        data.release();
        if (!(s instanceof PendingServerStream p)) {
          throw new ProtocolException("invoke on existing stream "
              + Long.toUnsignedString(s.id));
        }
        conn.dispatch.invoked(p, name);
      }
      case Kind.INVOKE_METADATA -> {
        try {
          if (!(s instanceof PendingServerStream p)) {
            throw new ProtocolException("InvokeMetadata on existing stream "
                + Long.toUnsignedString(s.id));
          }
          if (data.readableBytes() > conn.config.maxMetadataSize()) {
            p.refused = Status.of(Code.RESOURCE_EXHAUSTED, "metadata of "
                + data.readableBytes() + " bytes exceeds the limit of "
                + conn.config.maxMetadataSize());
          } else {
            p.metadata = Metadata.of(InvokeMetadata.decode(data.nioBuffer()));
            // held until the Invoke: counted against the connection's buffer
            conn.router.holdMetadata(p, data.readableBytes());
          }
        } finally {
          data.release();
        }
      }
      case Kind.ERROR -> {
        byte[] body = ByteBufUtil.getBytes(data);
        data.release();
        ErrorBody err = ErrorBody.decode(body);
        if (s instanceof ClientCall<?, ?> c) {
          c.handleError(err);
        } else if (s instanceof ServerCall<?, ?> c) {
          c.handleError(err);
        } else {
          s.terminate(Status.of(err.code(), err.message()), RpcStream.EOF_STATUS, true);
        }
        conn.maybeFinish(s);
      }
      case Kind.CANCEL -> {
        data.release();
        Status st = Status.of(Code.CANCELLED, client ? "cancelled by the server"
            : "cancelled by the client");
        s.terminate(st, st, true);
        conn.maybeFinish(s);
      }
      case Kind.CLOSE -> {
        data.release();
        s.terminate(Status.of(Code.CANCELLED, "closed: remote closed the stream"),
            RpcStream.EOF_STATUS, false);
        conn.maybeFinish(s);
      }
      case Kind.CLOSE_SEND -> {
        data.release();
        s.handlePeerCloseSend();
        conn.maybeFinish(s);
      }
      default -> {
        data.release();
        if (!control) {
          throw new ProtocolException("unknown packet kind: " + Kind.name(kind));
        }
        // unknown control packets are ignored, for forward compatibility
      }
    }
  }}
