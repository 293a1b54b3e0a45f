package dev.braid.rpc.internal;

import java.util.concurrent.Executor;

/**
 * Settings of one connection, fixed when it is created. Builders in the public API
 * validate the values before they get here.
 *
 * @param maxMessageSize the largest packet body accepted or sent (DRPC: 4 MiB)
 * @param splitSize the largest frame body sent (DRPC: 64 KiB)
 * @param streamBufferBytes received bytes a stream may hold before the connection stops
 *     reading the socket for it
 * @param onReadyThreshold queued outbound bytes past which a stream is not ready
 * @param handlerExecutor where server handlers and server-side callbacks run
 * @param callbackExecutor where client-side callbacks and async results run
 */
public record ConnectionConfig(int maxMessageSize, int splitSize, int streamBufferBytes,
    int onReadyThreshold, Executor handlerExecutor, Executor callbackExecutor) {}
