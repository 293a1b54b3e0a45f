package dev.braid.wire;

import static dev.braid.wire.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VarintTest {
  /** Upstream's length formula for an encoding (varint_test.go). */
  static int upstreamLength(long x) {
    int bitlen = 64 - Long.numberOfLeadingZeros(x);
    return (9 * bitlen + 64) / 64;
  }

  /** The boundaries upstream's TestVarint walks, plus 2^n−1 and 2^n for every n. */
  static Stream<Long> boundaries() {
    List<Long> v = new ArrayList<>(List.of(0L, 1L, 2L));
    for (int k = 1; k <= 9; k++) {
      long p = 1L << (7 * k);
      v.add(p - 1);
      v.add(p);
      v.add(p + 1);
    }
    v.add(Long.MAX_VALUE); // 2^63 − 1
    v.add(Long.MIN_VALUE); // 2^63
    v.add(Long.MIN_VALUE + 1); // 2^63 + 1
    v.add(-1L); // 2^64 − 1, all ones
    for (int n = 1; n < 64; n++) {
      v.add((1L << n) - 1); // n low bits set
      v.add(1L << n);
    }
    return v.stream();
  }

  @ParameterizedTest
  @MethodSource("boundaries")
  void lengthFollowsUpstreamFormulaAndRoundTrips(long value) {
    byte[] buf = new byte[Varint.MAX_SIZE];
    int n = Varint.write(buf, 0, value);
    assertThat(n).isEqualTo(upstreamLength(value)).isEqualTo(Varint.size(value));

    ByteBuffer bb = ByteBuffer.allocate(Varint.MAX_SIZE);
    Varint.write(bb, value);
    assertThat(bb.position()).isEqualTo(n);
    assertThat(bb.array()).isEqualTo(buf);

    ByteBuffer in = ByteBuffer.wrap(buf, 0, n);
    assertThat(Varint.read(in)).isEqualTo(value);
    assertThat(in.position()).isEqualTo(n);
  }

  @Test
  void lengthsAtTheSevenBitBoundaries() {
    // (9*bitlen+64)/64 evaluated by hand: 0..7 bits -> 1 byte, 8..14 -> 2, ..., 64 -> 10.
    assertThat(Varint.size(0)).isEqualTo(1);
    assertThat(Varint.size(0x7F)).isEqualTo(1);
    assertThat(Varint.size(0x80)).isEqualTo(2);
    assertThat(Varint.size((1L << 14) - 1)).isEqualTo(2);
    assertThat(Varint.size(1L << 14)).isEqualTo(3);
    assertThat(Varint.size((1L << 63) - 1)).isEqualTo(9);
    assertThat(Varint.size(1L << 63)).isEqualTo(10);
    assertThat(Varint.size(-1L)).isEqualTo(10);
  }

  @Test
  void publishedEncodings() {
    // From the worked examples: lengths 24 (A), 65536 and 4464 (E), delta 131072 (F).
    assertThat(encode(24)).isEqualTo(hex("18"));
    assertThat(encode(37)).isEqualTo(hex("25"));
    assertThat(encode(65_536)).isEqualTo(hex("80 80 04"));
    assertThat(encode(4_464)).isEqualTo(hex("f0 22"));
    assertThat(encode(131_072)).isEqualTo(hex("80 80 08"));
  }

  @Test
  void maximumValueTakesTenBytes() {
    byte[] max = hex("ff ff ff ff ff ff ff ff ff 01");
    assertThat(encode(-1L)).isEqualTo(max);
    ByteBuffer in = ByteBuffer.wrap(max);
    assertThat(Varint.read(in)).isEqualTo(-1L); // same number as NEED_MORE ...
    assertThat(in.position()).isEqualTo(10); // ... told apart by the position
  }

  @Test
  void truncatedVarintNeedsMoreAndLeavesThePosition() {
    for (String s : List.of("", "80", "ff ff", "80 80 80 80 80 80 80 80 80")) {
      ByteBuffer in = ByteBuffer.wrap(hex(s));
      assertThat(Varint.read(in)).as(s).isEqualTo(Varint.NEED_MORE);
      assertThat(in.position()).as(s).isZero();
    }
  }

  @Test
  void tenthByteWithContinuationIsTooLong() {
    ByteBuffer in = ByteBuffer.wrap(hex("ff ff ff ff ff ff ff ff ff 81 00"));
    assertThatThrownBy(() -> Varint.read(in))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("varint too long");
  }

  @Test
  void tooLongIsDetectedBeforeTheBufferEnds() {
    // Exactly ten continuation bytes: no eleventh byte is needed to know it is invalid.
    ByteBuffer in = ByteBuffer.wrap(hex("80 80 80 80 80 80 80 80 80 80"));
    assertThatThrownBy(() -> Varint.read(in)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void nonMinimalEncodingsAreAccepted() {
    ByteBuffer in = ByteBuffer.wrap(hex("80 80 00 05"));
    assertThat(Varint.read(in)).isZero();
    assertThat(in.position()).isEqualTo(3);
    assertThat(Varint.read(ByteBuffer.wrap(hex("81 00")))).isEqualTo(1);
  }

  @Test
  void bitsPastSixtyFourAreDropped() {
    // The tenth byte contributes only its lowest bit (bit 63).
    assertThat(Varint.read(ByteBuffer.wrap(hex("ff ff ff ff ff ff ff ff ff 7f")))).isEqualTo(-1L);
    assertThat(Varint.read(ByteBuffer.wrap(hex("80 80 80 80 80 80 80 80 80 02")))).isZero();
    assertThat(Varint.read(ByteBuffer.wrap(hex("80 80 80 80 80 80 80 80 80 03"))))
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void readsAtTheBufferPositionAndStopsAtTheLimit() {
    byte[] bytes = hex("ff 96 01 ff");
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, 2); // "96 01"
    assertThat(Varint.read(in)).isEqualTo(150);
    assertThat(in.position()).isEqualTo(3);

    ByteBuffer cut = ByteBuffer.wrap(bytes, 1, 1); // "96", continuation, limit reached
    assertThat(Varint.read(cut)).isEqualTo(Varint.NEED_MORE);
    assertThat(cut.position()).isEqualTo(1);
  }

  @Test
  void writeReturnsTheOffsetPastTheValue() {
    byte[] buf = new byte[8];
    int end = Varint.write(buf, 3, 300);
    assertThat(end).isEqualTo(5);
    assertThat(buf).isEqualTo(hex("00 00 00 ac 02 00 00 00"));
  }

  private static byte[] encode(long value) {
    byte[] buf = new byte[Varint.size(value)];
    assertThat(Varint.write(buf, 0, value)).isEqualTo(buf.length);
    return buf;
  }
}
