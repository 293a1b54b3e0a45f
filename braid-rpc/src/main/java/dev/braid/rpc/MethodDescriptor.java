package dev.braid.rpc;

import java.util.Objects;

/**
 * Describes one RPC method: its full name as sent in the Invoke packet
 * ({@code /package.Service/Method}, as gRPC and DRPC both spell it), its shape, and the
 * encodings of its request and response.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public final class MethodDescriptor<Q, R> {
  private final String fullName;
  private final MethodType type;
  private final Encoding<Q> requestEncoding;
  private final Encoding<R> responseEncoding;

  private MethodDescriptor(String fullName, MethodType type, Encoding<Q> requestEncoding,
      Encoding<R> responseEncoding) {
    this.fullName = Objects.requireNonNull(fullName, "fullName");
    if (fullName.isEmpty()) {
      throw new IllegalArgumentException("method name must not be empty");
    }
    this.type = Objects.requireNonNull(type, "type");
    this.requestEncoding = Objects.requireNonNull(requestEncoding, "requestEncoding");
    this.responseEncoding = Objects.requireNonNull(responseEncoding, "responseEncoding");
  }

  /** A descriptor; {@code fullName} is sent verbatim in the Invoke packet. */
  public static <Q, R> MethodDescriptor<Q, R> of(String fullName, MethodType type,
      Encoding<Q> requestEncoding, Encoding<R> responseEncoding) {
    return new MethodDescriptor<>(fullName, type, requestEncoding, responseEncoding);
  }

  /** A raw-bytes descriptor, handy for tests and tools. */
  public static MethodDescriptor<byte[], byte[]> raw(String fullName, MethodType type) {
    return new MethodDescriptor<>(fullName, type, Encoding.bytes(), Encoding.bytes());
  }

  /** The name for {@code service} (e.g. {@code pkg.Service}) and {@code method}. */
  public static String fullName(String service, String method) {
    return "/" + service + "/" + method;
  }

  public String fullName() {
    return fullName;
  }

  public MethodType type() {
    return type;
  }

  public Encoding<Q> requestEncoding() {
    return requestEncoding;
  }

  public Encoding<R> responseEncoding() {
    return responseEncoding;
  }

  @Override
  public String toString() {
    return fullName + " (" + type + ")";
  }
}
