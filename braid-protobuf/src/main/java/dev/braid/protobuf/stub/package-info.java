/**
 * The small runtime behind the code {@code braid-protoc-plugin} generates: client helpers
 * for the streaming shapes and server adapters from the generated method signatures to
 * braid's {@link dev.braid.rpc.UnaryHandler} and {@link dev.braid.rpc.StreamHandler}.
 */
package dev.braid.protobuf.stub;
