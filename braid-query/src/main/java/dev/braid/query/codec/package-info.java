/**
 * Codecs between the {@code dev.braid.query} types and the generated protobuf messages of
 * {@code braid_query.proto} ({@code dev.braid.query.proto}).
 */
package dev.braid.query.codec;
