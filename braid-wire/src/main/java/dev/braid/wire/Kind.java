package dev.braid.wire;

/**
 * Packet kinds. A kind is a 6-bit number (0..63) carried in bits 6..1 of a frame header;
 * the constants here are the ones DRPC defines plus braid's own extensions. Unknown kinds
 * are kept as plain numbers so that a receiver can apply the control-bit rule to them:
 * an unknown kind with the control bit is ignored, without it the connection fails.
 */
public final class Kind {
  /** Reserved; never sent. */
  public static final int RESERVED = 0;
  /** Starts a stream; the body is the RPC name, e.g. {@code /pkg.Service/Method}. */
  public static final int INVOKE = 1;
  /** One encoded message. */
  public static final int MESSAGE = 2;
  /** Terminates a stream with an error: 8-byte big-endian code and UTF-8 text. */
  public static final int ERROR = 3;
  /** Soft cancel of one stream; always sent with the control bit and an empty body. */
  public static final int CANCEL = 4;
  /** The stream is dead; terminates it. */
  public static final int CLOSE = 5;
  /** Half-close: the sender will send nothing more on this stream. */
  public static final int CLOSE_SEND = 6;
  /** Invoke metadata (a protobuf {@code map<string,string>}), just before the Invoke. */
  public static final int INVOKE_METADATA = 7;
  /**
   * Flow-control credit (braid extension, also used by the cockroachdb fork): control bit,
   * body = uvarint byte delta.
   */
  public static final int WINDOW_UPDATE = 8;
  /** braid extension: connection settings exchange (see docs/wire-protocol.md). */
  public static final int SETTINGS = 9;
  /** braid extension: keepalive ping and its acknowledgement. */
  public static final int PING = 10;
  /**
   * braid extension: the call's deadline, as a uvarint of remaining microseconds, sent by a
   * client right after the Invoke (and the Settings announcement) so that no peer's invoke
   * metadata carries it (see docs/wire-protocol.md).
   */
  public static final int DEADLINE = 11;

  /** The largest kind a 6-bit field can carry. */
  public static final int MAX = 63;

  private Kind() {}

  /** Whether {@code kind} is one of the seven kinds upstream DRPC defines. */
  public static boolean isDrpc(int kind) {
    return kind >= INVOKE && kind <= INVOKE_METADATA;
  }

  /** A readable name for a kind, e.g. {@code Invoke}, or {@code Kind(42)}. */
  public static String name(int kind) {
    switch (kind) {
      case RESERVED: return "Reserved";
      case INVOKE: return "Invoke";
      case MESSAGE: return "Message";
      case ERROR: return "Error";
      case CANCEL: return "Cancel";
      case CLOSE: return "Close";
      case CLOSE_SEND: return "CloseSend";
      case INVOKE_METADATA: return "InvokeMetadata";
      case WINDOW_UPDATE: return "WindowUpdate";
      case SETTINGS: return "Settings";
      case PING: return "Ping";
      case DEADLINE: return "Deadline";
      default: return "Kind(" + kind + ")";
    }
  }
}
