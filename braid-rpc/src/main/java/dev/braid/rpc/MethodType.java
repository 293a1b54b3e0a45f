package dev.braid.rpc;

/** The four shapes of a call. */
public enum MethodType {
  /** One request, one response. */
  UNARY,
  /** Many requests, one response. */
  CLIENT_STREAMING,
  /** One request, many responses. */
  SERVER_STREAMING,
  /** Many requests and responses, freely interleaved. */
  BIDI_STREAMING;

  /** Whether the client sends exactly one message. */
  public boolean clientSendsOne() {
    return this == UNARY || this == SERVER_STREAMING;
  }

  /** Whether the server sends exactly one message. */
  public boolean serverSendsOne() {
    return this == UNARY || this == CLIENT_STREAMING;
  }
}
