/**
 * braid's public API: a DRPC client ({@link dev.braid.rpc.ClientConnection}) and server
 * ({@link dev.braid.rpc.BraidServer}), method descriptors, encodings, metadata, deadlines and
 * one status model.
 *
 * <p>Everything else lives in {@code dev.braid.rpc.internal} and may change at any time.
 *
 * <h2>Threading</h2>
 * I/O runs on Netty event loops. Server handlers run on the server's executor, never on an
 * event loop unless the user installs a direct executor. Blocking client calls block only
 * the calling thread; asynchronous results complete on the connection's callback executor.
 */
package dev.braid.rpc;
