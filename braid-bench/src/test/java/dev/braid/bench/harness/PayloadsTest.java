package dev.braid.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  @Test
  void patternIsTheSharedXorshiftSequence() {
    // The Go peer (braid-interop/go-bench/internal/bench.Pattern) produces the same bytes.
    int x = 0x9E3779B9;
    byte[] expected = new byte[64];
    for (int i = 0; i < expected.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      expected[i] = (byte) x;
    }
    assertThat(Payloads.pattern(64)).isEqualTo(expected);
    assertThat(HexFormat.of().formatHex(Payloads.pattern(4))).isEqualTo(
        HexFormat.of().formatHex(expected, 0, 4));
    assertThat(Payloads.pattern(64)).isSameAs(Payloads.pattern(64));
  }

  @Test
  void stampsTagsBigEndian() {
    byte[] p = new byte[10];
    Payloads.stamp(p, 0x0102030405060708L);
    assertThat(p).startsWith(1, 2, 3, 4, 5, 6, 7, 8).endsWith(0, 0);
    byte[] small = new byte[3];
    Payloads.stamp(small, 0x0102030405060708L);
    assertThat(small).containsExactly(1, 2, 3);
    assertThat(Payloads.tag(3, 9)).isEqualTo((3L << 40) | 9);
  }

  @Test
  void comparesWithoutCopying() {
    byte[] a = Payloads.patternCopy(100);
    assertThat(Payloads.same(ByteString.copyFrom(a), a)).isTrue();
    assertThat(Payloads.same(ByteString.copyFrom(Payloads.corrupt(a)), a)).isFalse();
    assertThat(Payloads.same(ByteString.EMPTY, new byte[0])).isTrue();
    assertThat(Payloads.same(ByteString.copyFrom(new byte[] {1}), new byte[0])).isFalse();
    assertThat(Payloads.same(ByteBuffer.wrap(a), a)).isTrue();
    assertThat(Payloads.same(ByteBuffer.wrap(a, 0, 99), a)).isFalse();
  }

  @Test
  void streamRequestsRoundTrip() {
    assertThat(Payloads.parseStreamRequest(Payloads.streamRequest(16, 1 << 20)))
        .containsExactly(16, 1 << 20);
  }
}
