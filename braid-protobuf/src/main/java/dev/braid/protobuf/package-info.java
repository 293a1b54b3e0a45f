/**
 * Protocol Buffers for braid: {@link dev.braid.protobuf.ProtoEncoding}, the encoding of
 * protobuf-java messages. The code that {@code braid-protoc-plugin} generates uses it together
 * with the helpers in {@link dev.braid.protobuf.stub}.
 */
package dev.braid.protobuf;
