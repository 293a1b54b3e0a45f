/**
 * Tools over protobuf descriptors for braid: {@link dev.braid.protobuf.tools.JsonCall} (JSON
 * requests and responses for any method of a descriptor set or .proto file, as
 * {@code braid call --proto} uses) and {@link dev.braid.protobuf.tools.Protoc} (finding and
 * running protoc).
 */
package dev.braid.protobuf.tools;
