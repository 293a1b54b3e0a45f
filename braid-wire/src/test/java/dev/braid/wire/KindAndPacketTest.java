package dev.braid.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KindAndPacketTest {
  @Test
  void drpcKindNumbers() {
    // reference §1.2
    assertThat(Kind.RESERVED).isZero();
    assertThat(Kind.INVOKE).isEqualTo(1);
    assertThat(Kind.MESSAGE).isEqualTo(2);
    assertThat(Kind.ERROR).isEqualTo(3);
    assertThat(Kind.CANCEL).isEqualTo(4);
    assertThat(Kind.CLOSE).isEqualTo(5);
    assertThat(Kind.CLOSE_SEND).isEqualTo(6);
    assertThat(Kind.INVOKE_METADATA).isEqualTo(7);
    assertThat(Kind.WINDOW_UPDATE).isEqualTo(8);
    assertThat(Kind.MAX).isEqualTo(63);
  }

  @Test
  void onlyTheSevenUpstreamKindsAreDrpc() {
    for (int k = 0; k <= Kind.MAX; k++) {
      assertThat(Kind.isDrpc(k)).as("kind %d", k).isEqualTo(k >= 1 && k <= 7);
    }
  }

  @Test
  void namesAreDistinctAndUnknownKindsShowTheirNumber() {
    Set<String> names = new HashSet<>();
    for (int k = 0; k <= Kind.MAX; k++) {
      assertThat(names.add(Kind.name(k))).as("name of %d is unique", k).isTrue();
    }
    assertThat(Kind.name(Kind.RESERVED)).isEqualTo("Reserved");
    assertThat(Kind.name(42)).isEqualTo("Kind(42)");
    assertThat(Kind.name(Kind.SETTINGS)).isEqualTo("Settings");
    assertThat(Kind.name(Kind.PING)).isEqualTo("Ping");
  }

  @Test
  void packetRejectsKindsOutsideSixBitsAndNullData() {
    assertThatThrownBy(() -> Packet.of(-1, 1, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Packet.of(64, 1, 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Packet.of(Kind.MESSAGE, 1, 1, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(Packet.of(Kind.MAX, 1, 1, new byte[0]).kind()).isEqualTo(63);
    assertThat(Packet.of(Kind.RESERVED, 1, 1, new byte[0]).kind()).isZero();
  }

  @Test
  void ofMakesANonControlPacket() {
    Packet p = Packet.of(Kind.MESSAGE, 3, 4, new byte[] {1});
    assertThat(p.control()).isFalse();
    assertThat(p.streamId()).isEqualTo(3);
    assertThat(p.messageId()).isEqualTo(4);
  }

  @Test
  void equalityComparesTheDataByContent() {
    Packet a = new Packet(Kind.MESSAGE, false, 1, 2, new byte[] {1, 2});
    Packet b = new Packet(Kind.MESSAGE, false, 1, 2, new byte[] {1, 2});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(new Packet(Kind.MESSAGE, false, 1, 2, new byte[] {1, 3}));
    assertThat(a).isNotEqualTo(new Packet(Kind.MESSAGE, true, 1, 2, new byte[] {1, 2}));
    assertThat(a).isNotEqualTo(new Packet(Kind.ERROR, false, 1, 2, new byte[] {1, 2}));
    assertThat(a).isNotEqualTo(new Packet(Kind.MESSAGE, false, 2, 2, new byte[] {1, 2}));
    assertThat(a).isNotEqualTo(new Packet(Kind.MESSAGE, false, 1, 3, new byte[] {1, 2}));
    assertThat(a).isNotEqualTo("Message s1 m2");
  }

  @Test
  void toStringShowsUnsignedIdsAndSmallBodiesInHex() {
    Packet p = new Packet(Kind.CANCEL, true, -1L, 5, new byte[] {0x0a, (byte) 0xff});
    assertThat(p.toString()).contains("Cancel", "control", "s18446744073709551615", "m5",
        "0aff");
    assertThat(Packet.of(Kind.MESSAGE, 1, 1, new byte[1000]).toString()).contains("1000");
  }
}
