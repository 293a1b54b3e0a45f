package dev.braid.rpc;

/**
 * Serves a unary call. Runs on the server's executor.
 *
 * <p>Returning a response sends it followed by the server's CloseSend. Returning
 * {@code null} sends only the CloseSend, as a DRPC handler returning nil does; a braid
 * client then fails the call with {@link Code#INTERNAL} ("the server ended the call without
 * a response"), as a Go client returns {@code io.EOF}. Throwing a
 * {@link StatusException} sends its status as an Error; any other exception sends code
 * {@link Code#UNKNOWN} with the exception's text.
 */
@FunctionalInterface
public interface UnaryHandler<Q, R> {
  R handle(Q request, ServerContext context) throws Exception;
}
