package dev.braid.rpc.internal;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.InvokeMetadata;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A client call: a unary call completing {@link #future}, or a {@link ClientStream}.
 *
 * <p>Threading as {@link RpcStream}: one sender, one receiver, cancel from anywhere. The
 * unary future completes on the event loop.
 */
final class ClientCall<Q, R> extends RpcStream implements ClientStream<Q, R> {
  private final MethodDescriptor<Q, R> method;
  /** Non-null for unary calls: completed by the first message or the end. */
  final CompletableFuture<R> future;
  /** Event loop: a unary response arrived; Close is due unless CloseSend follows. */
  boolean responded;
  /** Message data bytes in the opening buffer (the unary request), for flow control. */
  int openingMessageBytes;

  ClientCall(Connection conn, long id, MethodDescriptor<Q, R> method, boolean unary) {
    super(conn, id);
    this.method = method;
    this.future = unary ? new CallFuture<>(this) : null;
  }

  @Override
  boolean isUnary() {
    return future != null;
  }

  /** A unary call's future: cancelling it cancels the call. */
  private static final class CallFuture<R> extends CompletableFuture<R> {
    private final ClientCall<?, R> call;

    CallFuture(ClientCall<?, R> call) {
      this.call = call;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        call.cancel();
      }
      return cancelled;
    }
  }

  @Override
  boolean isClient() {
    return true;
  }

  @Override
  Executor callbackExecutor() {
    return conn.config.callbackExecutor();
  }

  @Override
  public MethodDescriptor<Q, R> method() {
    return method;
  }

  /**
   * Encodes the opening packets: [InvokeMetadata] Invoke, and for unary calls the request
   * and CloseSend, all into one buffer so they leave in one write.
   */
  ByteBuf encodeStart(CallOptions options, long deadlineNanos, boolean withRequest, Q request)
      throws StatusException {
    Metadata md = options.metadata();
    byte[] deadline = null;
    if (deadlineNanos != Long.MAX_VALUE) {
      // a braid control packet after the Invoke: no peer's invoke metadata carries it, and
      // upstream ignores an unknown control packet on the current stream
      long remainingUs = Math.max(0, TimeUnit.NANOSECONDS.toMicros(
          deadlineNanos - System.nanoTime()));
      deadline = dev.braid.wire.Varint.encode(remainingUs);
    }
    byte[] name = method.fullName().getBytes(StandardCharsets.UTF_8);
    int mdSize = md.isEmpty() ? 0 : InvokeMetadata.size(md.asMap());
    if (mdSize > conn.config.maxMessageSize() || name.length > conn.config.maxMessageSize()) {
      throw Status.of(Code.RESOURCE_EXHAUSTED, "metadata or method name too large")
          .asException();
    }
    int reqSize = 0;
    if (withRequest) {
      reqSize = checkedSize(method.requestEncoding(), request, "request");
      openingMessageBytes = reqSize;
    }
    byte[] settings = conn.negotiation.announces(id) ? conn.negotiation.settingsBody() : null;
    int packets = (md.isEmpty() ? 0 : 1) + 1 + (settings != null ? 1 : 0)
        + (deadline != null ? 1 : 0) + (withRequest ? 2 : 0);
    long mid = reserveIds(packets);
    int split = conn.splitSize();
    long m = mid;
    int size = 0;
    if (!md.isEmpty()) {
      size += FrameWriter.packetSize(id, m++, mdSize, split);
    }
    size += FrameWriter.packetSize(id, m++, name.length, split);
    if (settings != null) {
      size += FrameWriter.packetSize(id, m++, settings.length, split);
    }
    if (deadline != null) {
      size += FrameWriter.packetSize(id, m++, deadline.length, split);
    }
    if (withRequest) {
      size += FrameWriter.inlineSize(id, m++, reqSize, split)
          + FrameWriter.packetSize(id, m, 0, split);
    }
    ByteBuf buf = conn.alloc().buffer(size);
    try {
      if (!md.isEmpty()) {
        FrameWriter.writeBytes(buf, Kind.INVOKE_METADATA, id, mid++,
            InvokeMetadata.encode(md.asMap()), split);
      }
      FrameWriter.writeBytes(buf, Kind.INVOKE, id, mid++, name, split);
      if (settings != null) {
        // braid's announcement: after the Invoke, so upstream servers ignore it
        FrameWriter.writeExtension(buf, Kind.SETTINGS, id, mid++, settings);
      }
      if (deadline != null) {
        FrameWriter.writeExtension(buf, Kind.DEADLINE, id, mid++, deadline);
      }
      if (withRequest) {
        buf = FrameWriter.appendMessage(conn.alloc(), buf, id, mid, method.requestEncoding(),
            request, reqSize, split, true);
      }
    } catch (RuntimeException e) {
      buf.release();
      throw Status.of(Code.INTERNAL, "failed to encode the request: " + e, e).asException();
    }
    return buf;
  }

  // -------------------------------------------------------------- ClientStream

  @Override
  public void send(Q message) throws StatusException {
    try {
      int size = checkedSize(method.requestEncoding(), message, "request");
      sendMessage(method.requestEncoding(), message, size, "request");
    } catch (StatusException e) {
      if (e.code() != Code.INTERNAL && e.code() != Code.RESOURCE_EXHAUSTED) {
        throw e; // the call had already ended
      }
      cancel(e.status()); // a bad message fails the whole call, and the server learns it
      throw e;
    }
  }

  @Override
  public void closeSend() throws StatusException {
    synchronized (this) {
      if (sendClosed && !terminated) {
        return;
      }
      if (terminated) {
        if (sendStatus != null && sendStatus.code() != Code.NONE) {
          throw sendStatus.asException();
        }
        return;
      }
      sendEmpty(Kind.CLOSE_SEND, false, true, false, null);
    }
  }

  @Override
  public R receive() throws StatusException {
    ByteBuf b = takeMessage();
    if (b == null) {
      return null;
    }
    try {
      return decode(b);
    } finally {
      b.release();
    }
  }

  private R decode(ByteBuf b) throws StatusException {
    try {
      return FrameWriter.decode(method.responseEncoding(), b);
    } catch (Exception e) {
      Status s = Status.of(Code.INTERNAL, "failed to decode the response: " + e, e);
      cancel(s);
      throw s.asException();
    }
  }

  @Override
  public void cancel() {
    cancel(Status.of(Code.CANCELLED, "cancelled by the client"));
  }

  void cancel(Status status) {
    if (cancelLocally(status)) {
      failFuture(status);
    }
  }

  @Override
  public void close() {
    cancel();
    discardReceived();
  }

  // ----------------------------------------------------------- event loop side

  @Override
  void handleMessage(ByteBuf data) {
    if (future == null) {
      super.handleMessage(data);
      return;
    }
    // no credit to return: a unary response is the last message of its stream
    try {
      if (responded) {
        return; // a unary call takes one response; extra messages are ignored
      }
      responded = true;
      R value;
      try {
        value = FrameWriter.decode(method.responseEncoding(), data);
      } catch (Exception e) {
        Status s = Status.of(Code.INTERNAL, "failed to decode the response: " + e, e);
        cancel(s);
        return;
      }
      future.complete(value);
      conn.unaryResponded(this);
    } finally {
      data.release();
    }
  }

  @Override
  void handlePeerCloseSend() {
    super.handlePeerCloseSend();
    if (future != null && !responded) {
      failFuture(Status.of(Code.INTERNAL, "the server ended the call without a response"));
    }
  }

  /** Event loop: the peer sent an Error packet. */
  void handleError(ErrorBody body) {
    Status s = Status.of(body.code(), body.message());
    terminate(s, s, false);
    failFuture(s);
  }

  @Override
  boolean terminate(Status status, Status receiveStatus, boolean dropReceived) {
    boolean t = super.terminate(status, receiveStatus, dropReceived);
    if (receiveStatus != EOF_STATUS) {
      failFuture(receiveStatus);
    } else {
      failFuture(Status.of(Code.INTERNAL, "the server ended the call without a response"));
    }
    return t;
  }

  void failFuture(Status s) {
    if (future != null && !future.isDone()) {
      future.completeExceptionally(s.asException());
    }
  }

  /** Event loop: the deadline passed. */
  void deadlineExpired(Duration timeout) {
    cancel(Status.of(Code.DEADLINE_EXCEEDED, "deadline exceeded after " + timeout));
  }
}
