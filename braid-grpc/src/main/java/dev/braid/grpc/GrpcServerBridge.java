package dev.braid.grpc;

import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import dev.braid.rpc.StreamHandler;
import dev.braid.rpc.UnaryHandler;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves braid handlers to gRPC-Java clients: the runtime of the generated
 * {@code GrpcAdapter} classes.
 *
 * <p>Each gRPC call runs the braid handler on an executor (never on gRPC's callback threads,
 * so a handler may block in {@link ServerStream#receive()} or {@link ServerStream#send}).
 * The handler sees the call through braid's own {@link ServerStream}/{@code ServerContext}:
 * the full method name as braid spells it ({@code /pkg.Service/Method}), the gRPC request
 * headers as {@link Metadata} (ASCII headers only; {@code -bin} headers are left out), the
 * gRPC deadline and cancellation. The handler also runs inside the call's {@link Context}.
 * Flow control follows braid's: one request is buffered ahead of {@code receive()}, and
 * {@code send} waits while gRPC reports the call not ready.
 *
 * <p>Status codes: braid uses gRPC's numbering, so a {@link StatusException} with code 5
 * reaches the gRPC client as {@code NOT_FOUND}, 12 as {@code UNIMPLEMENTED}; code 0 and codes
 * above 16 become {@code UNKNOWN}. Any other exception becomes {@code UNKNOWN} with its text.
 */
public final class GrpcServerBridge {
  private static final Logger log = LoggerFactory.getLogger(GrpcServerBridge.class);

  private GrpcServerBridge() {}

  private static final class DefaultExecutorHolder {
    static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new ThreadFactory() {
      private final AtomicInteger n = new AtomicInteger();

      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(r, "braid-grpc-handler-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      }
    });
  }

  /** A shared cached pool of daemon threads, the adapters' default executor. */
  public static Executor defaultExecutor() {
    return DefaultExecutorHolder.EXECUTOR;
  }

  /**
   * A gRPC service definition for {@code grpcService} whose methods run the handlers of
   * {@code braidService}, matched by name ({@code pkg.Service/Method} in gRPC is
   * {@code /pkg.Service/Method} in braid). Every gRPC method must have a braid handler.
   */
  public static ServerServiceDefinition bind(ServiceDescriptor grpcService,
      ServiceDefinition braidService, Executor executor) {
    Objects.requireNonNull(executor, "executor");
    Map<String, ServiceDefinition.Entry> entries = new HashMap<>();
    for (ServiceDefinition.Entry e : braidService.entries()) {
      entries.put(e.method().fullName(), e);
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(grpcService);
    for (MethodDescriptor<?, ?> m : grpcService.getMethods()) {
      ServiceDefinition.Entry e = entries.get("/" + m.getFullMethodName());
      if (e == null) {
        throw new IllegalArgumentException("no braid handler for gRPC method "
            + m.getFullMethodName());
      }
      b.addMethod(definition(m, e, executor));
    }
    return b.build();
  }

  @SuppressWarnings("unchecked") // the generated code pairs descriptors of the same types
  private static <Q, R> ServerMethodDefinition<Q, R> definition(MethodDescriptor<Q, R> m,
      ServiceDefinition.Entry e, Executor executor) {
    UnaryHandler<Q, R> unary = (UnaryHandler<Q, R>) e.unary();
    StreamHandler<Q, R> stream = (StreamHandler<Q, R>) e.stream();
    ServerCallHandler<Q, R> handler = (call, headers) -> {
      BridgeCall<Q, R> c = new BridgeCall<>(call, headers, executor);
      c.start(unary, stream);
      return c.listener;
    };
    return ServerMethodDefinition.create(m, handler);
  }

  /** A braid status code as a gRPC status. */
  static Status toGrpc(long code, String message) {
    Status s = code > 0 && code <= 16 ? Status.fromCodeValue((int) code) : Status.UNKNOWN;
    return s.withDescription(message);
  }

  /** One gRPC call seen through braid's {@link ServerStream}. */
  private static final class BridgeCall<Q, R> implements ServerStream<Q, R> {
    private static final Object END = new Object();
    private static final Object CANCELLED = new Object();

    private final ServerCall<Q, R> call;
    private final Metadata metadata;
    private final Executor executor;
    private final Context context;
    private final LinkedBlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrCancelled = lock.newCondition();
    private final List<Runnable> cancelListeners = new ArrayList<>();
    private volatile boolean cancelled;
    private boolean ended; // receive side, receiver thread only
    private boolean headersSent; // under lock
    private boolean closed; // under lock
    private volatile Runnable onReady;

    final ServerCall.Listener<Q> listener = new ServerCall.Listener<>() {
      @Override
      public void onMessage(Q message) {
        inbound.add(message);
      }

      @Override
      public void onHalfClose() {
        inbound.add(END);
      }

      @Override
      public void onCancel() {
        cancel();
      }

      @Override
      public void onReady() {
        signalReady();
        Runnable r = onReady;
        if (r != null) {
          executor.execute(r);
        }
      }
    };

    BridgeCall(ServerCall<Q, R> call, io.grpc.Metadata headers, Executor executor) {
      this.call = call;
      this.executor = executor;
      this.context = Context.current();
      Map<String, String> md = new LinkedHashMap<>();
      for (String key : headers.keys()) {
        if (key.endsWith(io.grpc.Metadata.BINARY_HEADER_SUFFIX)) {
          continue;
        }
        String v = headers.get(io.grpc.Metadata.Key.of(key, io.grpc.Metadata.ASCII_STRING_MARSHALLER));
        if (v != null) {
          md.put(key, v);
        }
      }
      this.metadata = Metadata.of(md);
    }

    void start(UnaryHandler<Q, R> unary, StreamHandler<Q, R> stream) {
      // gRPC reports cancellation (client cancel, deadline, broken connection) through
      // onCancel; the call's Context is also cancelled when the call completes normally,
      // so it is not listened to.
      call.request(1);
      executor.execute(context.wrap(() -> run(unary, stream)));
    }

    private void run(UnaryHandler<Q, R> unary, StreamHandler<Q, R> stream) {
      try {
        if (unary != null) {
          Q request = receive();
          if (request == null) {
            finish(Status.INTERNAL.withDescription("the client sent no request"));
            return;
          }
          R response = unary.handle(request, this);
          if (response == null) {
            finish(Status.INTERNAL.withDescription("the server ended the call without a "
                + "response"));
            return;
          }
          send(response);
        } else {
          stream.handle(this);
        }
        finish(Status.OK);
      } catch (StatusException e) {
        finish(toGrpc(e.code(), e.status().message()));
      } catch (Exception | Error e) {
        if (!cancelled) {
          log.debug("handler of {} failed", method(), e);
        }
        finish(Status.UNKNOWN.withDescription(String.valueOf(e.getMessage() == null ? e
            : e.getMessage())));
        if (e instanceof Error err) {
          throw err;
        }
      }
    }

    private void finish(Status status) {
      lock.lock();
      try {
        if (closed || cancelled) {
          return;
        }
        closed = true;
        call.close(status, new io.grpc.Metadata());
      } finally {
        lock.unlock();
      }
    }

    private void cancel() {
      List<Runnable> run;
      synchronized (cancelListeners) {
        if (cancelled) {
          return;
        }
        cancelled = true;
        run = new ArrayList<>(cancelListeners);
        cancelListeners.clear();
      }
      inbound.add(CANCELLED);
      signalReady();
      for (Runnable r : run) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("cancel listener failed", e);
        }
      }
    }

    private void signalReady() {
      lock.lock();
      try {
        readyOrCancelled.signalAll();
      } finally {
        lock.unlock();
      }
    }

    private StatusException cancelledException() {
      Deadline d = context.getDeadline();
      if (d != null && d.isExpired()) {
        return new StatusException(Code.DEADLINE_EXCEEDED, "deadline exceeded");
      }
      return new StatusException(Code.CANCELLED, "call cancelled by the client");
    }

    @Override
    public Q receive() throws StatusException {
      if (ended) {
        return null;
      }
      Object o;
      try {
        o = inbound.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StatusException(Code.CANCELLED, "interrupted");
      }
      if (o == END) {
        ended = true;
        return null;
      }
      if (o == CANCELLED) {
        inbound.add(CANCELLED);
        throw cancelledException();
      }
      call.request(1);
      @SuppressWarnings("unchecked") // only Q, END and CANCELLED are queued
      Q q = (Q) o;
      return q;
    }

    @Override
    public void send(R message) throws StatusException {
      Objects.requireNonNull(message, "message");
      lock.lock();
      try {
        while (!cancelled && !closed && !call.isReady()) {
          try {
            readyOrCancelled.await(100, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusException(Code.CANCELLED, "interrupted");
          }
        }
        if (cancelled) {
          throw cancelledException();
        }
        if (closed) {
          throw new StatusException(Code.INTERNAL, "the call has ended");
        }
        if (!headersSent) {
          headersSent = true;
          call.sendHeaders(new io.grpc.Metadata());
        }
        call.sendMessage(message);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isReady() {
      lock.lock();
      try {
        return !cancelled && !closed && call.isReady();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void setOnReady(Runnable callback) {
      this.onReady = callback;
    }

    @Override
    public String method() {
      return "/" + call.getMethodDescriptor().getFullMethodName();
    }

    @Override
    public Metadata metadata() {
      return metadata;
    }

    @Override
    public long deadlineNanos() {
      Deadline d = context.getDeadline();
      if (d == null) {
        return Long.MAX_VALUE;
      }
      return System.nanoTime() + d.timeRemaining(TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public void onCancel(Runnable listener) {
      Objects.requireNonNull(listener, "listener");
      synchronized (cancelListeners) {
        if (!cancelled) {
          cancelListeners.add(listener);
          return;
        }
      }
      listener.run();
    }
  }
}
