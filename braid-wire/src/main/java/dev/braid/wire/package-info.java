/**
 * The DRPC wire format: frames, packets, varints, error bodies and invoke metadata.
 *
 * <p>A DRPC connection is a byte stream of <em>frames</em>. Each frame is a header byte
 * ({@code control << 7 | kind << 1 | done}), three unsigned LEB128 varints (stream id,
 * message id, data length) and the data. Frames sharing a (stream, message) id form a
 * <em>packet</em>; the frame with the done bit ends it. This package encodes and parses
 * frames ({@link Frames}), enforces the reader's assembly rules per stream
 * ({@link PacketAssembly}), and encodes the bodies of error ({@link ErrorBody}) and
 * invoke-metadata ({@link InvokeMetadata}) packets.
 *
 * <p>The package has no dependencies and allocates nothing for a length before the length
 * has been checked against a limit. Every malformed input is reported as a
 * {@link ProtocolException}; nothing else is thrown for bad bytes.
 */
package dev.braid.wire;
