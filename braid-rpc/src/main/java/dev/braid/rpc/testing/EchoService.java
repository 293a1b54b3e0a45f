package dev.braid.rpc.testing;

import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.ServerStream;
import dev.braid.rpc.ServiceDefinition;
import dev.braid.rpc.StatusException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The raw-bytes test service {@code braid.test.Echo}, served by {@code braid serve} and
 * implemented identically by the Go interop peer.
 *
 * <ul>
 *   <li>{@code Unary}: replies with the request.
 *   <li>{@code ServerStream}: sends the request back N times, N from metadata {@code count}
 *       (default 1).
 *   <li>{@code ClientStream}: after the client's CloseSend, one reply: all messages joined.
 *   <li>{@code Bidi}: echoes each message.
 *   <li>{@code Fail}: an Error whose code comes from metadata {@code code} (default 5) and
 *       whose text is the request as UTF-8.
 *   <li>{@code Metadata}: replies with the received metadata as {@code key=value} lines
 *       sorted by key.
 *   <li>{@code Block}: echoes like Bidi and counts streams that end by cancellation.
 *   <li>{@code Cancelled}: replies with that count, in decimal.
 * </ul>
 */
public final class EchoService {
  /** The service name. */
  public static final String SERVICE = "braid.test.Echo";

  public static final MethodDescriptor<byte[], byte[]> UNARY = raw("Unary", MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> SERVER_STREAM =
      raw("ServerStream", MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> CLIENT_STREAM =
      raw("ClientStream", MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> BIDI =
      raw("Bidi", MethodType.BIDI_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> FAIL = raw("Fail", MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> METADATA =
      raw("Metadata", MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> BLOCK =
      raw("Block", MethodType.BIDI_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> CANCELLED =
      raw("Cancelled", MethodType.UNARY);

  private final AtomicLong cancelledBlocks = new AtomicLong();

  private static MethodDescriptor<byte[], byte[]> raw(String method, MethodType type) {
    return MethodDescriptor.raw(MethodDescriptor.fullName(SERVICE, method), type);
  }

  /** How many Block streams have ended by cancellation. */
  public long cancelledBlocks() {
    return cancelledBlocks.get();
  }

  /** The service, ready to register on a server. */
  public ServiceDefinition definition() {
    return ServiceDefinition.builder(SERVICE)
        .unary(UNARY, (req, ctx) -> req)
        .stream(SERVER_STREAM, s -> {
          byte[] req = s.receive();
          if (req == null) {
            throw new StatusException(Code.INVALID_ARGUMENT, "no request");
          }
          int n = intMetadata(s.metadata().get("count"), 1, "count");
          for (int i = 0; i < n; i++) {
            s.send(req);
          }
        })
        .stream(CLIENT_STREAM, s -> {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          byte[] m;
          while ((m = s.receive()) != null) {
            all.writeBytes(m);
          }
          s.send(all.toByteArray());
        })
        .stream(BIDI, EchoService::echo)
        .unary(FAIL, (req, ctx) -> {
          String c = ctx.metadata().get("code");
          long code;
          try {
            code = c == null ? Code.NOT_FOUND : Long.parseUnsignedLong(c);
          } catch (NumberFormatException e) {
            throw new StatusException(Code.INVALID_ARGUMENT, "bad code: " + c);
          }
          throw new StatusException(code, new String(req, StandardCharsets.UTF_8));
        })
        .unary(METADATA, (req, ctx) -> {
          Map<String, String> sorted = new TreeMap<>(ctx.metadata().asMap());
          return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8);
        })
        .stream(BLOCK, s -> {
          try {
            echo(s);
          } catch (StatusException e) {
            if (s.isCancelled()) {
              cancelledBlocks.incrementAndGet();
            }
            throw e;
          }
        })
        .unary(CANCELLED, (req, ctx) ->
            Long.toString(cancelledBlocks.get()).getBytes(StandardCharsets.US_ASCII))
        .build();
  }

  private static void echo(ServerStream<byte[], byte[]> s) throws StatusException {
    byte[] m;
    while ((m = s.receive()) != null) {
      s.send(m);
    }
  }

  private static int intMetadata(String v, int dflt, String key) throws StatusException {
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new StatusException(Code.INVALID_ARGUMENT, "bad " + key + ": " + v);
    }
  }
}
