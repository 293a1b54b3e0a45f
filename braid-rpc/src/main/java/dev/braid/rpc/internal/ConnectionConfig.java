package dev.braid.rpc.internal;

import dev.braid.rpc.Multiplexing;
import java.util.concurrent.Executor;

/**
 * Settings of one connection, fixed when it is created. Builders in the public API
 * validate the values before they get here.
 *
 * @param maxMessageSize the largest packet body accepted or sent (DRPC: 4 MiB)
 * @param splitSize the largest frame body sent (DRPC: 64 KiB)
 * @param muxSplitSize the largest frame body sent once braid peers negotiated (smaller
 *     frames interleave more finely)
 * @param streamBufferBytes received bytes a stream may hold, without negotiated flow
 *     control, before the connection stops reading the socket for it
 * @param streamWindow the per-stream receive window announced to braid peers
 * @param maxStreamWindow the largest a stream's receive window grows to while its reader
 *     is found waiting for data (never below {@code streamWindow})
 * @param connectionBufferBytes received-but-unread bytes across all streams past which the
 *     connection stops reading the socket (negotiated mode)
 * @param maxConcurrentStreams streams a server accepts at once on one connection
 * @param maxMetadataSize the largest invoke metadata a server accepts
 * @param onReadyThreshold queued outbound bytes past which a stream is not ready
 * @param multiplexing the client's multiplexing mode (ignored by servers)
 * @param keepaliveMillis client ping interval once negotiated; 0 for none
 * @param idleTimeoutMillis close the connection after it has had no stream for this long;
 *     0 for never
 * @param handlerExecutor where server handlers and server-side callbacks run
 * @param callbackExecutor where client-side callbacks and async results run
 */
public record ConnectionConfig(int maxMessageSize, int splitSize, int muxSplitSize,
    int streamBufferBytes, int streamWindow, int maxStreamWindow, int connectionBufferBytes,
    int maxConcurrentStreams, int maxMetadataSize, int onReadyThreshold,
    Multiplexing multiplexing, long keepaliveMillis, long idleTimeoutMillis,
    Executor handlerExecutor,
    Executor callbackExecutor) {}
