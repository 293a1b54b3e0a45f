package dev.braid.wire;

import static dev.braid.wire.PacketAssembly.COMPLETED;
import static dev.braid.wire.PacketAssembly.DISCARDED_PARTIAL;
import static dev.braid.wire.PacketAssembly.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketAssemblyTest {
  private final PacketAssembly a = new PacketAssembly(100);

  @Test
  void singleFramePacketStartsAndCompletes() {
    assertThat(a.accept(Kind.INVOKE, false, true, 1, 10)).isEqualTo(STARTED | COMPLETED);
    assertThat(a.assembling()).isFalse();
    assertThat(a.kind()).isEqualTo(Kind.INVOKE);
    assertThat(a.messageId()).isEqualTo(1);
    assertThat(a.size()).isEqualTo(10);
    assertThat(a.control()).isFalse();
  }

  @Test
  void continuationFramesReportNoFlagsUntilDone() {
    assertThat(a.accept(Kind.MESSAGE, false, false, 1, 5)).isEqualTo(STARTED);
    assertThat(a.assembling()).isTrue();
    assertThat(a.accept(Kind.MESSAGE, false, false, 1, 5)).isZero();
    assertThat(a.size()).isEqualTo(10);
    assertThat(a.accept(Kind.MESSAGE, true, true, 1, 0)).isEqualTo(COMPLETED);
    assertThat(a.control()).isTrue();
    assertThat(a.size()).isEqualTo(10);
  }

  @Test
  void higherIdDiscardsThePartial() {
    a.accept(Kind.MESSAGE, true, false, 1, 5);
    assertThat(a.accept(Kind.CLOSE, false, true, 2, 0))
        .isEqualTo(DISCARDED_PARTIAL | STARTED | COMPLETED);
    assertThat(a.kind()).isEqualTo(Kind.CLOSE);
    assertThat(a.control()).as("control of the discarded partial does not leak").isFalse();
    assertThat(a.size()).isZero();
  }

  @Test
  void idBelowThePartialIsAViolation() {
    a.accept(Kind.MESSAGE, false, true, 1, 0);
    a.accept(Kind.MESSAGE, false, false, 5, 1);
    // 3 is above the last completed id but below the packet being assembled.
    assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, 3, 1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("id monotonicity violation");
  }

  @Test
  void messageIdZeroIsNeverValid() {
    assertThatThrownBy(() -> a.accept(Kind.INVOKE, false, true, 0, 0))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("id monotonicity violation");
  }

  @Test
  void idsAreComparedUnsigned() {
    long big = Long.MIN_VALUE; // 2^63
    a.accept(Kind.MESSAGE, false, true, big, 0);
    assertThat(a.accept(Kind.MESSAGE, false, true, big + 1, 0)).isEqualTo(STARTED | COMPLETED);
    assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, 7, 0))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("id monotonicity violation");
  }

  @Test
  void afterTheLargestIdNoIdIsLeft() {
    assertThat(a.accept(Kind.MESSAGE, false, true, -1L, 0)).isEqualTo(STARTED | COMPLETED);
    for (long id : new long[] {-1L, 0, 1, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, id, 0))
          .as("id %s", Long.toUnsignedString(id))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("id monotonicity violation");
    }
  }

  @Test
  void largestIdMayStillBeAssembledFromSeveralFrames() {
    assertThat(a.accept(Kind.MESSAGE, false, false, -1L, 1)).isEqualTo(STARTED);
    assertThat(a.accept(Kind.MESSAGE, false, true, -1L, 1)).isEqualTo(COMPLETED);
    assertThat(a.size()).isEqualTo(2);
  }

  @Test
  void kindChangeInsideAPacket() {
    a.accept(Kind.MESSAGE, false, false, 1, 1);
    assertThatThrownBy(() -> a.accept(Kind.ERROR, false, true, 1, 1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("packet kind change");
  }

  @Test
  void sizeLimitIsInclusive() {
    assertThat(a.accept(Kind.MESSAGE, false, false, 1, 60)).isEqualTo(STARTED);
    assertThat(a.accept(Kind.MESSAGE, false, true, 1, 40)).isEqualTo(COMPLETED);
    a.accept(Kind.MESSAGE, false, false, 2, 60);
    assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, 2, 41))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("data overflow");
  }

  @Test
  void oversizedSingleFrameIsAnOverflow() {
    assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, 1, 101))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("data overflow");
  }

  @Test
  void idMayNotBeReusedAfterDone() {
    a.accept(Kind.MESSAGE, false, true, 4, 0);
    assertThatThrownBy(() -> a.accept(Kind.MESSAGE, false, true, 4, 0))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("id monotonicity violation");
  }

  @Test
  void negativeLimitIsRejected() {
    assertThatThrownBy(() -> new PacketAssembly(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new PacketAssembly(0).accept(Kind.CLOSE, false, true, 1, 0))
        .isEqualTo(STARTED | COMPLETED);
  }
}
