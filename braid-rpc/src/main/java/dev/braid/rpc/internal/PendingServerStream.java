package dev.braid.rpc.internal;

import dev.braid.rpc.Metadata;
import dev.braid.rpc.Status;
import java.util.concurrent.Executor;

/**
 * A server stream whose Invoke has not arrived yet: it may only carry metadata. It counts
 * against the connection's stream limit, and its metadata against the connection's buffer.
 *
 * <p>Event loop only.
 */
final class PendingServerStream extends RpcStream {
  Metadata metadata;
  Status refused;
  /** Bytes of decoded metadata held until the Invoke. */
  int metadataHeld;

  PendingServerStream(Connection conn, long id) {
    super(conn, id);
    registered = true;
    started = true;
  }

  @Override
  boolean isClient() {
    return false;
  }

  @Override
  Executor callbackExecutor() {
    return conn.config.handlerExecutor();
  }
}
