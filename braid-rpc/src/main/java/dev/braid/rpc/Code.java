package dev.braid.rpc;

/**
 * Well-known error codes. DRPC codes are free-form unsigned 64-bit numbers; braid uses the
 * gRPC numbering for the codes it produces itself, so that 12 means Unimplemented in DRPC,
 * gRPC and braid alike. Code 0 means "no code": a DRPC peer that sends an error without a
 * code sends 0.
 */
public final class Code {
  /** No code was given. */
  public static final long NONE = 0;
  /** The call was cancelled, usually by the caller. */
  public static final long CANCELLED = 1;
  /** An error with no better code, e.g. an exception thrown by a handler. */
  public static final long UNKNOWN = 2;
  public static final long INVALID_ARGUMENT = 3;
  /** The deadline passed before the call completed. */
  public static final long DEADLINE_EXCEEDED = 4;
  public static final long NOT_FOUND = 5;
  public static final long ALREADY_EXISTS = 6;
  public static final long PERMISSION_DENIED = 7;
  /** A limit was exceeded: message size, concurrent streams. */
  public static final long RESOURCE_EXHAUSTED = 8;
  public static final long FAILED_PRECONDITION = 9;
  public static final long ABORTED = 10;
  public static final long OUT_OF_RANGE = 11;
  /** The method is unknown or not implemented. */
  public static final long UNIMPLEMENTED = 12;
  /** A broken invariant, including a protocol violation by the peer. */
  public static final long INTERNAL = 13;
  /** The connection is closed or closing; the call may be retried elsewhere. */
  public static final long UNAVAILABLE = 14;
  public static final long DATA_LOSS = 15;
  public static final long UNAUTHENTICATED = 16;

  private Code() {}
}
