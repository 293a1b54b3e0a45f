package dev.braid.protobuf;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import dev.braid.rpc.Encoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The braid {@link Encoding} for protobuf-java messages (full or lite runtime, 4.x).
 *
 * <p>No intermediate copies: {@link #encode} serializes straight into the frame buffer braid
 * hands it (heap or direct) through {@link CodedOutputStream#newInstance(ByteBuffer)}, and
 * {@link #decode} parses the received array in place, {@code bytes} fields referring to it
 * rather than copied (braid never reuses that array). Thread-safe and stateless.
 *
 * <pre>{@code
 * Encoding<HelloRequest> enc = ProtoEncoding.of(HelloRequest.getDefaultInstance());
 * }</pre>
 *
 * @param <T> the message type
 */
public final class ProtoEncoding<T extends MessageLite> implements Encoding<T> {
  private final Parser<T> parser;
  private final ExtensionRegistryLite extensions;

  private ProtoEncoding(Parser<T> parser, ExtensionRegistryLite extensions) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.extensions = Objects.requireNonNull(extensions, "extensions");
  }

  /** The encoding whose messages {@code parser} parses (e.g. {@code HelloRequest.parser()}). */
  public static <T extends MessageLite> ProtoEncoding<T> of(Parser<T> parser) {
    return new ProtoEncoding<>(parser, ExtensionRegistryLite.getEmptyRegistry());
  }

  /** As {@link #of(Parser)}, resolving extensions through {@code extensions} when parsing. */
  public static <T extends MessageLite> ProtoEncoding<T> of(Parser<T> parser,
      ExtensionRegistryLite extensions) {
    return new ProtoEncoding<>(parser, extensions);
  }

  /** The encoding for messages of {@code defaultInstance}'s type. */
  public static <T extends MessageLite> ProtoEncoding<T> of(T defaultInstance) {
    @SuppressWarnings("unchecked") // a message's parser parses its own type
    Parser<T> parser = (Parser<T>) defaultInstance.getParserForType();
    return of(parser);
  }

  /** The parser used by {@link #decode}. */
  public Parser<T> parser() {
    return parser;
  }

  @Override
  public int encodedSize(T message) {
    return message.getSerializedSize();
  }

  @Override
  public void encode(T message, ByteBuffer dst) {
    int expected = dst.remaining();
    CodedOutputStream out = CodedOutputStream.newInstance(dst);
    try {
      message.writeTo(out);
      out.flush();
    } catch (IOException e) {
      // Only an overflow can fail here: the message changed after encodedSize was taken.
      throw new IllegalStateException("message of " + expected
          + " bytes did not fit its buffer; was it modified while being sent?", e);
    }
    if (dst.hasRemaining()) {
      throw new IllegalStateException("message wrote " + (expected - dst.remaining())
          + " bytes, expected " + expected + "; was it modified while being sent?");
    }
  }

  @Override
  public T decode(ByteBuffer src) throws IOException {
    if (!src.hasArray()) {
      return parser.parseFrom(src, extensions);
    }
    // The array is ours to keep (see Encoding#decode): bytes fields alias it, no second copy.
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(src.array(),
        src.arrayOffset() + src.position(), src.remaining()).newCodedInput();
    in.enableAliasing(true);
    T message = parser.parseFrom(in, extensions);
    in.checkLastTagWas(0);
    return message;
  }

  @Override
  public String toString() {
    return "ProtoEncoding[" + parser + "]";
  }
}
