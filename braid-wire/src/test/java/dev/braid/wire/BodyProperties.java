package dev.braid.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/** Properties of the Error and InvokeMetadata packet bodies. */
class BodyProperties {
  /** Strings of any UTF-16 content: ASCII, 2-, 3- and 4-byte characters, lone surrogates. */
  @Provide
  static Arbitrary<String> anyUtf16() {
    return pieces(true);
  }

  /** Well-formed strings: surrogates only in pairs. */
  @Provide
  static Arbitrary<String> wellFormed() {
    return pieces(false);
  }

  private static Arbitrary<String> pieces(boolean loneSurrogates) {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.chars().range('\u0000', '\u007f').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07ff').map(String::valueOf)),
        Tuple.of(2, Arbitraries.chars().range('\u0800', '\uffff')
            .filter(c -> !Character.isSurrogate(c)).map(String::valueOf)),
        Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString)),
        Tuple.of(loneSurrogates ? 2 : 0,
            Arbitraries.chars().range('\uD800', '\uDFFF').map(String::valueOf)));
    return piece.list().ofMaxSize(12).map(l -> String.join("", l));
  }

  @Provide
  static Arbitrary<Map<String, String>> anyMetadata() {
    return Arbitraries.maps(anyUtf16(), anyUtf16()).ofMaxSize(6);
  }

  @Provide
  static Arbitrary<Map<String, String>> wellFormedMetadata() {
    return Arbitraries.maps(wellFormed(), wellFormed()).ofMaxSize(6);
  }

  @Property
  void metadataSizeIsTheEncodedLengthForAnyStrings(@ForAll("anyMetadata") Map<String, String> m) {
    byte[] bytes = InvokeMetadata.encode(m);
    assertThat(bytes).hasSize(InvokeMetadata.size(m));
    ByteBuffer buf = ByteBuffer.allocate(InvokeMetadata.size(m));
    InvokeMetadata.encode(m, buf);
    assertThat(buf.hasRemaining()).isFalse();
    assertThat(buf.array()).isEqualTo(bytes);
  }

  @Property
  void metadataSizeIsTheEncodedLengthForAnyString(@ForAll("anyUtf16") String s) {
    Map<String, String> m = Map.of(s, s);
    assertThat(InvokeMetadata.encode(m)).hasSize(InvokeMetadata.size(m));
  }

  @Property
  void wellFormedMetadataRoundTripsInOrder(
      @ForAll("wellFormedMetadata") Map<String, String> m) {
    Map<String, String> ordered = new LinkedHashMap<>(m);
    Map<String, String> back = InvokeMetadata.decode(InvokeMetadata.encode(ordered));
    assertThat(back).containsExactlyEntriesOf(ordered);
  }

  /**
   * With lone surrogates the strings change (the UTF-8 encoder replaces them) and distinct
   * keys may collide; decoding gives what Java's UTF-8 round trip gives, the last
   * duplicate winning.
   */
  @Property
  void anyMetadataDecodesToItsUtf8Image(@ForAll("anyMetadata") Map<String, String> m) {
    Map<String, String> ordered = new LinkedHashMap<>(m);
    Map<String, String> image = new LinkedHashMap<>();
    ordered.forEach((k, v) -> image.put(utf8Image(k), utf8Image(v)));
    assertThat(InvokeMetadata.decode(InvokeMetadata.encode(ordered)))
        .containsExactlyEntriesOf(image);
  }

  private static String utf8Image(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  @Property
  void metadataDecoderFailsOnlyWithProtocolException(@ForAll @Size(max = 64) byte[] bytes) {
    try {
      Map<String, String> m = InvokeMetadata.decode(bytes);
      assertThat(m).isNotNull();
      // an accepted buffer decodes the same way from a ByteBuffer view of it
      assertThat(InvokeMetadata.decode(ByteBuffer.wrap(bytes))).isEqualTo(m);
    } catch (ProtocolException expected) {
      // fine
    }
  }

  /** One flipped byte or a cut in a valid encoding: a map or a ProtocolException. */
  @Property
  void damagedMetadataFailsOnlyWithProtocolException(
      @ForAll("wellFormedMetadata") Map<String, String> m,
      @ForAll int where,
      @ForAll byte value,
      @ForAll boolean cut) {
    byte[] bytes = InvokeMetadata.encode(m);
    if (bytes.length == 0) {
      return;
    }
    int at = Math.floorMod(where, bytes.length);
    byte[] damaged = cut ? Arrays.copyOf(bytes, at) : bytes.clone();
    if (!cut) {
      damaged[at] = value;
    }
    try {
      InvokeMetadata.decode(damaged);
    } catch (ProtocolException expected) {
      // fine
    }
    if (cut) {
      // Cutting anywhere inside an entry must be noticed unless the cut lands on an entry
      // boundary.
      if (!entryBoundaries(m).contains(at)) {
        assertThatThrownBy(() -> InvokeMetadata.decode(damaged))
            .isInstanceOf(ProtocolException.class);
      }
    }
  }

  private static List<Integer> entryBoundaries(Map<String, String> m) {
    List<Integer> out = new ArrayList<>();
    int at = 0;
    out.add(at);
    for (Map.Entry<String, String> e : m.entrySet()) {
      at += InvokeMetadata.size(Map.of(e.getKey(), e.getValue()));
      out.add(at);
    }
    return out;
  }

  @Property
  void errorBodyRoundTrips(@ForAll long code, @ForAll("wellFormed") String text) {
    byte[] body = ErrorBody.encode(code, text);
    assertThat(body).hasSize(8 + text.getBytes(StandardCharsets.UTF_8).length);
    assertThat(ByteBuffer.wrap(body).getLong()).as("big-endian code").isEqualTo(code);
    assertThat(ErrorBody.decode(body)).isEqualTo(new ErrorBody(code, text));
  }

  @Property
  void anyErrorBodyDecodes(@ForAll @Size(max = 40) byte[] body) {
    ErrorBody e = ErrorBody.decode(body);
    if (body.length < 8) {
      assertThat(e.code()).isZero();
      assertThat(e.message()).endsWith(ErrorBody.INVALID_NOTE);
    } else {
      assertThat(e.code()).isEqualTo(ByteBuffer.wrap(body).getLong());
      assertThat(e.message()).isEqualTo(
          new String(body, 8, body.length - 8, StandardCharsets.UTF_8));
    }
  }
}
