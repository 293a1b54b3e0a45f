package dev.braid.rpc.internal;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.StreamHandler;
import dev.braid.rpc.UnaryHandler;
import dev.braid.wire.ErrorBody;
import dev.braid.wire.Kind;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The server side of one call: runs the handler on the server's executor and turns its
 * outcome into DRPC packets (Message + CloseSend, or Error).
 *
 * <p>Threading as {@link RpcStream}. The handler thread is the one sender and receiver;
 * cancellation arrives from the event loop.
 */
final class ServerCall<Q, R> extends RpcStream implements ServerStream<Q, R>, Runnable {
  private final ServiceDefinition.Entry entry;
  private final MethodDescriptor<Q, R> method;
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ServerCall.class);

  /** The text a peer gets for a handler failure other than a StatusException. */
  static final String HANDLER_FAILED = "handler failed";

  /** Set on the loop before the handler runs (or, late, by the peer's Deadline packet). */
  private volatile Metadata metadata;
  private volatile long deadlineNanos;
  /** loop: this call holds one stream of the server-wide limit. */
  boolean holdsStreamLimit;
  /** loop: {@link #start} ran. */
  private boolean startedCall;
  private List<Runnable> cancelListeners;
  private volatile Status cancelStatus;
  /** Event loop: the unary request was dispatched. */
  private boolean dispatched;
  /** The unary request handed to the executor with this call. */
  private ByteBuf request;

  /** Runs the handler: this call is its own executor task (no lambda per call). */
  @Override
  public void run() {
    if (method.type() == MethodType.UNARY) {
      ByteBuf data = request;
      request = null;
      runUnary(data);
    } else {
      runStream();
    }
  }

  @SuppressWarnings("unchecked")
  ServerCall(Connection conn, long id, ServiceDefinition.Entry entry, Metadata metadata) {
    super(conn, id);
    this.entry = entry;
    this.method = (MethodDescriptor<Q, R>) entry.method();
    this.metadata = metadata;
    this.deadlineNanos = parseDeadline(metadata);
  }

  private static long parseDeadline(Metadata md) {
    String v = md.get(CallOptions.DEADLINE_METADATA_KEY);
    if (v == null) {
      return Long.MAX_VALUE;
    }
    try {
      long us = Long.parseLong(v);
      return us < 0 ? Long.MAX_VALUE
          : System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(Math.min(us, Long.MAX_VALUE / 2000));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  boolean isClient() {
    return false;
  }

  @Override
  boolean isUnary() {
    return method.type() == MethodType.UNARY;
  }

  @Override
  Executor callbackExecutor() {
    return conn.config.handlerExecutor();
  }

  /**
   * Event loop: the Invoke and the frames read with it were handled; streaming handlers
   * start now, unary ones wait for their request.
   */
  void start() {
    startedCall = true;
    armDeadline();
    if (method.type() != MethodType.UNARY && !dispatched) {
      dispatched = true;
      execute(this);
    }
  }

  private void armDeadline() {
    if (deadlineNanos != Long.MAX_VALUE && deadlineTimer == null && !isTerminated()) {
      long delay = deadlineNanos - System.nanoTime();
      deadlineTimer = conn.schedule(this::expire, delay);
    }
  }

  /**
   * Event loop: the client's Deadline packet: {@code micros} from now. The handler sees it
   * as {@link #deadlineNanos()} and, as before, as metadata {@code braid-timeout-us}.
   */
  void peerDeadline(long micros) {
    if (deadlineNanos != Long.MAX_VALUE) {
      return; // the first deadline counts
    }
    long us = Math.min(micros, Long.MAX_VALUE / 2000);
    metadata = metadata.with(CallOptions.DEADLINE_METADATA_KEY, Long.toString(us));
    deadlineNanos = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(us);
    if (startedCall) {
      armDeadline();
    }
  }

  private void execute(Runnable task) {
    try {
      conn.config.handlerExecutor().execute(task);
    } catch (RuntimeException e) {
      log.warn("cannot run the handler of {}", method.fullName(), e);
      finish(Status.of(Code.UNAVAILABLE, "server cannot run the handler"));
    }
  }

  @Override
  void handleMessage(ByteBuf data) {
    if (method.type() != MethodType.UNARY) {
      super.handleMessage(data);
      return;
    }
    // no credit to return: a unary request is the last message of its stream
    if (dispatched) {
      data.release(); // a unary call takes one request; DRPC servers ignore the rest
      return;
    }
    dispatched = true;
    request = data;
    execute(this);
  }

  @Override
  void handlePeerCloseSend() {
    super.handlePeerCloseSend();
    if (method.type() == MethodType.UNARY && !dispatched) {
      dispatched = true;
      finish(Status.of(Code.INVALID_ARGUMENT, "unary call ended without a request"));
    }
  }

  /** Event loop: the client sent an Error, Cancel or Close, or the connection died. */
  @Override
  boolean terminate(Status status, Status receiveStatus, boolean dropReceived) {
    // Mark the call cancelled before waking the handler, so that a handler woken by the
    // termination already sees isCancelled().
    List<Runnable> listeners = isTerminated() ? null : markCancelled(status);
    boolean t = super.terminate(status, receiveStatus, dropReceived);
    runListeners(listeners);
    return t;
  }

  void handleError(ErrorBody body) {
    Status s = Status.of(body.code(), body.message());
    terminate(s, s, false);
  }

  private void expire() {
    Status s = Status.of(Code.DEADLINE_EXCEEDED, "deadline exceeded");
    if (!isTerminated()) {
      runListeners(markCancelled(s));
      finish(s);
    }
  }

  private void runUnary(ByteBuf data) {
    if (isCancelled()) {
      data.release();
      return;
    }
    Q request;
    try {
      request = FrameWriter.decode(method.requestEncoding(), data);
    } catch (Exception e) {
      finish(Status.of(Code.INTERNAL, "failed to decode the request"));
      return;
    } finally {
      data.release();
    }
    @SuppressWarnings("unchecked")
    UnaryHandler<Q, R> handler = (UnaryHandler<Q, R>) entry.unary();
    R response;
    try {
      response = handler.handle(request, this);
    } catch (Throwable t) {
      finish(statusOf(t, method.fullName()));
      return;
    }
    if (response == null) {
      finish(null);
      return;
    }
    try {
      sendFinal(response);
    } catch (StatusException e) {
      // cancelled meanwhile, or the response was too large: already reported
    }
  }

  private void runStream() {
    @SuppressWarnings("unchecked")
    StreamHandler<Q, R> handler = (StreamHandler<Q, R>) entry.stream();
    Status outcome = null;
    try {
      handler.handle(this);
    } catch (Throwable t) {
      outcome = statusOf(t, method.fullName());
    }
    finish(outcome);
  }

  /**
   * What the peer learns of a handler's failure: a {@link StatusException} as thrown; any
   * other throwable only as a generic message (UNKNOWN, or INTERNAL for an Error), its
   * cause logged here once at WARN with the method, as gRPC keeps causes local.
   */
  static Status statusOf(Throwable t, String method) {
    if (t instanceof StatusException se) {
      return se.status();
    }
    log.warn("handler of {} failed", method, t);
    if (t instanceof Error && !(t instanceof AssertionError)) {
      return Status.of(Code.INTERNAL, HANDLER_FAILED, t);
    }
    return Status.of(Code.UNKNOWN, HANDLER_FAILED, t);
  }

  /** The response and CloseSend as one buffer. */
  private void sendFinal(R response) throws StatusException {
    int size;
    try {
      size = checkedSize(method.responseEncoding(), response, "response");
    } catch (StatusException e) {
      finish(e.status());
      throw e;
    }
    long mid = reserveIds(2);
    int split = conn.splitSize();
    ByteBuf buf = conn.alloc().buffer(FrameWriter.inlineSize(id, mid, size, split)
        + FrameWriter.packetSize(id, mid + 1, 0, split));
    try {
      buf = FrameWriter.appendMessage(conn.alloc(), buf, id, mid, method.responseEncoding(),
          response, size, split, true);
    } catch (RuntimeException e) {
      buf.release();
      finish(Status.of(Code.INTERNAL, "failed to encode the response: " + e, e));
      return;
    }
    queue(buf, size, true, false, null);
  }

  /** Ends our side: CloseSend when {@code status} is null, else an Error packet. */
  void finish(Status status) {
    discardReceived();
    if (status == null) {
      sendEmpty(Kind.CLOSE_SEND, false, true, false, null);
      return;
    }
    synchronized (this) {
      try {
        if (terminated) {
          return;
        }
        byte[] body = ErrorBody.encode(status.code(), status.message());
        long mid = reserveIds(1);
        ByteBuf buf = conn.alloc().buffer(FrameWriter.packetSize(id, mid, body.length,
            conn.splitSize()));
        FrameWriter.writeBytes(buf, Kind.ERROR, id, mid, body, conn.splitSize());
        queue(buf, 0, true, true, status);
      } catch (StatusException e) {
        // terminated meanwhile: nothing to send
      }
    }
  }

  // ------------------------------------------------------------ ServerStream

  @Override
  public Q receive() throws StatusException {
    ByteBuf b = takeMessage();
    if (b == null) {
      return null;
    }
    try {
      return FrameWriter.decode(method.requestEncoding(), b);
    } catch (Exception e) {
      throw Status.of(Code.INTERNAL, "failed to decode the request: " + e, e)
          .asException();
    } finally {
      b.release();
    }
  }

  @Override
  public void send(R message) throws StatusException {
    sendMessage(method.responseEncoding(), message,
        checkedSize(method.responseEncoding(), message, "response"), "response");
  }

  @Override
  public String method() {
    return method.fullName();
  }

  @Override
  public Metadata metadata() {
    return metadata;
  }

  @Override
  public long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public boolean isCancelled() {
    return cancelStatus != null;
  }

  @Override
  public void onCancel(Runnable listener) {
    synchronized (this) {
      if (cancelStatus == null) {
        if (cancelListeners == null) {
          cancelListeners = new ArrayList<>(2);
        }
        cancelListeners.add(listener);
        return;
      }
    }
    listener.run();
  }

  @Override
  void onCancelled(Status status) {
    runListeners(markCancelled(status));
  }

  private List<Runnable> markCancelled(Status status) {
    synchronized (this) {
      if (cancelStatus != null) {
        return null;
      }
      cancelStatus = status;
      List<Runnable> run = cancelListeners;
      cancelListeners = null;
      return run;
    }
  }

  private void runListeners(List<Runnable> run) {
    if (run != null) {
      for (Runnable r : run) {
        try {
          conn.config.handlerExecutor().execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          log.warn("cancel listener of {} not run: the executor rejected it", method.fullName());
        }
      }
    }
  }
}
