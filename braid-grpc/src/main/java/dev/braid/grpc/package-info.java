/**
 * braid together with gRPC-Java: {@link dev.braid.grpc.GrpcServerBridge}, the runtime of the
 * generated {@code GrpcAdapter}s that serve one implementation to gRPC clients, and port
 * sharing ({@link dev.braid.grpc.ListenMux}, {@link dev.braid.grpc.SharedPortServer}) that
 * routes a connection by its first 8 bytes, as upstream's {@code drpcmigrate}.
 */
package dev.braid.grpc;
