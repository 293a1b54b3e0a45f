package dev.braid.rpc.internal;

import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Status;
import dev.braid.rpc.StatusException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Starts client calls on a {@link Connection}: the glue behind the public client API. */
public final class ClientCalls {
  private ClientCalls() {}

  /** Starts a unary call; the future completes on the event loop. */
  public static <Q, R> CompletableFuture<R> unary(Connection conn, MethodDescriptor<Q, R> method,
      Q request, CallOptions options) {
    if (method.type() != MethodType.UNARY) {
      return CompletableFuture.failedFuture(Status.of(Code.INVALID_ARGUMENT, method
          + " is not unary; use newStream").asException());
    }
    try {
      long deadline = deadline(options);
      ClientCall<Q, R> call = conn.newClientCall(method, true, options, deadline, request);
      armDeadline(conn, call, options.timeout(), deadline);
      return call.future;
    } catch (StatusException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Starts a streaming call. */
  public static <Q, R> ClientStream<Q, R> stream(Connection conn, MethodDescriptor<Q, R> method,
      CallOptions options) throws StatusException {
    long deadline = deadline(options);
    ClientCall<Q, R> call = conn.newClientCall(method, false, options, deadline, null);
    armDeadline(conn, call, options.timeout(), deadline);
    return call;
  }

  private static long deadline(CallOptions options) throws StatusException {
    Duration t = options.timeout();
    if (t == null) {
      return Long.MAX_VALUE;
    }
    if (t.isZero()) {
      throw Status.of(Code.DEADLINE_EXCEEDED, "deadline exceeded before the call started")
          .asException();
    }
    long nanos;
    try {
      nanos = t.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
    return System.nanoTime() + nanos;
  }

  private static void armDeadline(Connection conn, ClientCall<?, ?> call, Duration timeout,
      long deadline) {
    if (deadline != Long.MAX_VALUE) {
      call.deadlineTimer = conn.schedule(() -> call.deadlineExpired(timeout),
          deadline - System.nanoTime());
      if (call.isTerminated()) {
        // it ended before the timer was armed: the loop's finish did not see the timer
        call.deadlineTimer.cancel(false);
      }
    }
  }
}
