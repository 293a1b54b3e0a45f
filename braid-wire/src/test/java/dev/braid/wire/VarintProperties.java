package dev.braid.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class VarintProperties {
  /** Longs with a uniformly distributed bit length, so short encodings are common too. */
  @Provide
  static Arbitrary<Long> anyBitLength() {
    return Arbitraries.integers().between(0, 64).flatMap(bits -> {
      if (bits == 0) {
        return Arbitraries.just(0L);
      }
      long top = 1L << (bits - 1);
      return Arbitraries.longs().map(r -> top | (r & (top - 1)));
    });
  }

  @Property
  void roundTripsAndSizeIsTheEncodingLength(@ForAll long value) {
    checkRoundTrip(value);
  }

  @Property
  void roundTripsForEveryBitLength(@ForAll("anyBitLength") long value) {
    checkRoundTrip(value);
  }

  private static void checkRoundTrip(long value) {
    byte[] buf = new byte[Varint.MAX_SIZE + 2];
    int end = Varint.write(buf, 1, value);
    int size = end - 1;
    assertThat(size).isEqualTo(Varint.size(value)).isEqualTo(VarintTest.upstreamLength(value));

    ByteBuffer viaBuffer = ByteBuffer.allocate(Varint.MAX_SIZE);
    Varint.write(viaBuffer, value);
    assertThat(viaBuffer.position()).isEqualTo(size);
    assertThat(ByteBuffer.wrap(viaBuffer.array(), 0, size))
        .isEqualTo(ByteBuffer.wrap(buf, 1, size));

    ByteBuffer in = ByteBuffer.wrap(buf, 1, size + 1); // one byte of slack after it
    assertThat(Varint.read(in)).isEqualTo(value);
    assertThat(in.position()).isEqualTo(end);

    // minimal: only the last byte lacks the continuation bit
    for (int i = 1; i < end - 1; i++) {
      assertThat(buf[i] & 0x80).isEqualTo(0x80);
    }
    assertThat(buf[end - 1] & 0x80).isZero();
    if (size > 1) {
      assertThat(buf[end - 1]).as("no trailing zero group").isNotZero();
    }
  }

  @Property
  void everyTruncationNeedsMoreAndKeepsThePosition(@ForAll("anyBitLength") long value) {
    byte[] buf = new byte[Varint.MAX_SIZE];
    int size = Varint.write(buf, 0, value);
    for (int cut = 0; cut < size; cut++) {
      ByteBuffer in = ByteBuffer.wrap(buf, 0, cut);
      assertThat(Varint.read(in)).isEqualTo(Varint.NEED_MORE);
      assertThat(in.position()).isZero();
    }
  }

  /** Any bytes: a value, "need more" or "too long", exactly as the LEB128 rules say. */
  @Property
  void arbitraryBytesDecodeByTheRules(@ForAll @Size(max = 12) byte[] bytes) {
    int terminator = -1;
    for (int i = 0; i < Math.min(bytes.length, Varint.MAX_SIZE); i++) {
      if ((bytes[i] & 0x80) == 0) {
        terminator = i;
        break;
      }
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (terminator >= 0) {
      long expected = 0;
      for (int i = 0; i <= terminator; i++) {
        expected |= (long) (bytes[i] & 0x7F) << (7 * i); // shift 63 at most: bits past 64 drop
      }
      assertThat(Varint.read(in)).isEqualTo(expected);
      assertThat(in.position()).isEqualTo(terminator + 1);
    } else if (bytes.length >= Varint.MAX_SIZE) {
      assertThatThrownBy(() -> Varint.read(in)).isInstanceOf(ProtocolException.class);
    } else {
      assertThat(Varint.read(in)).isEqualTo(Varint.NEED_MORE);
      assertThat(in.position()).isZero();
    }
  }
}
