package dev.braid.wire;

import static dev.braid.wire.TestBytes.hex;
import static dev.braid.wire.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvokeMetadataTest {
  /** drpcmetadata TestCompatibility_Append: appendEntry("key", "value"). */
  private static final String KEY_VALUE = "0a 0c 0a 03 6b 65 79 12 05 76 61 6c 75 65";
  /** drpcmetadata TestDecode. */
  private static final String TEST_A = "0a 09 0a 04 74 65 73 74 12 01 61";

  @Test
  void encodesTheUpstreamKeyValueVector() {
    assertThat(InvokeMetadata.encode(Map.of("key", "value"))).isEqualTo(hex(KEY_VALUE));
    assertThat(InvokeMetadata.size(Map.of("key", "value"))).isEqualTo(14);
  }

  @Test
  void decodesTheUpstreamVectors() {
    assertThat(InvokeMetadata.decode(hex(TEST_A))).containsExactlyEntriesOf(Map.of("test", "a"));
    assertThat(InvokeMetadata.decode(hex(KEY_VALUE)))
        .containsExactlyEntriesOf(Map.of("key", "value"));
  }

  @Test
  void emptyInputIsAnEmptyMapAndAnEmptyMapIsNoBytes() {
    assertThat(InvokeMetadata.decode(new byte[0])).isEmpty();
    assertThat(InvokeMetadata.encode(Map.of())).isEmpty();
    assertThat(InvokeMetadata.size(Map.of())).isZero();
  }

  @Test
  void entriesDecodeInWireOrder() {
    // Like upstream's TestCompatibility_Parse: a buffer of several entries comes back in
    // the order of the buffer, not in key order.
    Map<String, String> in = new LinkedHashMap<>();
    in.put("key5", "val5");
    in.put("key1", "val1");
    in.put("key2", "val2");
    in.put("key3", "val3");
    in.put("key4", "val4");
    Map<String, String> out = InvokeMetadata.decode(InvokeMetadata.encode(in));
    assertThat(out).containsExactlyEntriesOf(in);
    assertThat(List.copyOf(out.keySet())).containsExactly("key5", "key1", "key2", "key3",
        "key4");
  }

  @Test
  void emptyKeyAndValueAreWrittenAndAccepted() {
    byte[] bytes = InvokeMetadata.encode(Map.of("", ""));
    assertThat(bytes).isEqualTo(hex("0a 04 0a 00 12 00"));
    assertThat(InvokeMetadata.decode(bytes)).containsExactlyEntriesOf(Map.of("", ""));
    assertThat(InvokeMetadata.decode(hex("0a 05 0a 00 12 01 76")))
        .containsExactlyEntriesOf(Map.of("", "v"));
    assertThat(InvokeMetadata.decode(hex("0a 05 0a 01 6b 12 00")))
        .containsExactlyEntriesOf(Map.of("k", ""));
  }

  @Test
  void duplicateKeyLastWins() {
    byte[] bytes = hex("0a 06 0a 01 6b 12 01 31" + "0a 06 0a 01 6b 12 01 32");
    assertThat(InvokeMetadata.decode(bytes)).containsExactlyEntriesOf(Map.of("k", "2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "0a 05 0a 03 6b 65 79", // missing value
      "0a 07 12 01 76 0a 02 6b 65", // value before key (reordered)
      "0a 03 12 01 76", // key missing, value only
      "0a 00", // empty entry
      "12 06 0a 01 6b 12 01 76", // unknown top-level tag (field 2)
      "0a 06 1a 01 6b 12 01 76", // unknown tag inside the entry (field 3)
      "0a 08 0a 01 6b 12 01 76 1a 00", // trailing field inside an entry
      "0a 07 0a 01 6b 12 01 76 00", // trailing byte inside an entry
      "0a 0c 0a 03 6b 65 79 12 05 76 61 6c 75 65 00", // trailing byte after the entries
      "0a", // entry tag without length
      "0a 80", // truncated entry length varint
      "0a 02 0a 81", // truncated key length varint
      "0a 05 0a 01 6b 12 80", // truncated value length varint
      "0a 0d 0a 03 6b 65 79 12 05 76 61 6c 75 65", // entry length past the end
      "0a 06 0a 05 6b 12 01 76", // key length past the end of the entry
      "0a 06 0a 01 6b 12 02 76", // value length past the end of the entry
      "0a 0c 0a 03 6b 65 79 12 05 76 61 6c 75", // whole buffer cut short
      "0a ff ff ff ff ff ff ff ff ff 01", // length 2^64-1
      "0a ff ff ff ff ff ff ff ff ff ff 01", // overlong length varint
      "08 01", // a varint field instead of the map entry
  })
  void strictDecoderRejects(String bytes) {
    assertThatThrownBy(() -> InvokeMetadata.decode(hex(bytes)))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void rejectionNamesTheMetadata() {
    assertThatThrownBy(() -> InvokeMetadata.decode(hex("0a 05 0a 03 6b 65 79")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("metadata");
  }

  @Test
  void utf8RoundTripIncludingNonAscii() {
    Map<String, String> in = new LinkedHashMap<>();
    in.put("clé", "valeur—é");
    in.put("键", "值");
    in.put("emoji😀", "🚀🚀");
    in.put("x".repeat(200), "y".repeat(300)); // two-byte length varints
    byte[] bytes = InvokeMetadata.encode(in);
    assertThat(bytes).hasSize(InvokeMetadata.size(in));
    assertThat(InvokeMetadata.decode(bytes)).containsExactlyEntriesOf(in);
  }

  @Test
  void nonAsciiKeyIsLengthPrefixedInBytesNotChars() {
    byte[] bytes = InvokeMetadata.encode(Map.of("é", "😀"));
    // é is 2 UTF-8 bytes, 😀 is 4 (a surrogate pair: 2 chars).
    assertThat(bytes).isEqualTo(hex("0a 0a 0a 02 c3 a9 12 04 f0 9f 98 80"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD800", "a\uD83D", "\uDC00x", "\uD83D\uD83D\uDE00",
      "\uDE00\uD83D", "x\uDBFF\uDFFFy\uD800"})
  void loneSurrogatesEncodeConsistently(String s) {
    Map<String, String> m = Map.of(s, s);
    byte[] bytes = InvokeMetadata.encode(m);
    assertThat(bytes).hasSize(InvokeMetadata.size(m));
    // What comes back is what Java's UTF-8 encoder makes of the string.
    String expected = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(InvokeMetadata.decode(bytes)).containsExactlyEntriesOf(Map.of(expected, expected));
  }

  @Test
  void encodeIntoABufferAndDecodeFromOne() {
    Map<String, String> m = Map.of("a", "b");
    ByteBuffer buf = ByteBuffer.allocate(2 + InvokeMetadata.size(m) + 2);
    buf.put((byte) 0xEE).put((byte) 0xEE);
    InvokeMetadata.encode(m, buf);
    assertThat(buf.position()).isEqualTo(2 + InvokeMetadata.size(m));

    buf.flip().position(2);
    assertThat(InvokeMetadata.decode(buf)).containsExactlyEntriesOf(m);
    assertThat(buf.position()).isEqualTo(buf.limit());
  }

  @Test
  void decodesFromReadOnlyAndDirectBuffers() {
    byte[] bytes = hex(TEST_A);
    assertThat(InvokeMetadata.decode(ByteBuffer.wrap(bytes).asReadOnlyBuffer()))
        .containsExactlyEntriesOf(Map.of("test", "a"));
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    assertThat(InvokeMetadata.decode(direct)).containsExactlyEntriesOf(Map.of("test", "a"));
  }

  @Test
  void decodesFromAnOffsetInsideALargerArray() {
    byte[] inner = hex(TEST_A);
    byte[] outer = TestBytes.concat(hex("0a 0a"), inner, hex("ff"));
    ByteBuffer slice = ByteBuffer.wrap(outer, 2, inner.length).slice();
    assertThat(InvokeMetadata.decode(slice)).containsExactlyEntriesOf(Map.of("test", "a"));
  }

  @Test
  void sizeCountsUtf8Bytes() {
    // tag, entry length, then the entry: key tag, key length, key bytes, value tag, length.
    int entry = 1 + 1 + utf8("é").length + 1 + 1;
    assertThat(InvokeMetadata.size(Map.of("é", ""))).isEqualTo(1 + 1 + entry);
  }
}
