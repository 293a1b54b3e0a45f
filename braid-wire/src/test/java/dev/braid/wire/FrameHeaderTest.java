package dev.braid.wire;

import static dev.braid.wire.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.wire.FrameHeader.Result;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameHeaderTest {
  private final FrameHeader h = new FrameHeader();

  @Test
  void flagsReadBackFromEveryHeaderByte() {
    for (int kind = 0; kind <= Kind.MAX; kind++) {
      for (boolean control : new boolean[] {false, true}) {
        for (boolean done : new boolean[] {false, true}) {
          int b = FrameHeader.headerByte(kind, control, done);
          assertThat(FrameHeader.kindOf(b)).isEqualTo(kind);
          h.setFlags(b);
          assertThat(h.kind).isEqualTo(kind);
          assertThat(h.control).isEqualTo(control);
          assertThat(h.done).isEqualTo(done);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} control={1} done={2} -> {3}")
  @CsvSource({
      // The header bytes listed in reference §1.1.
      "1, false, true, 03",
      "2, false, true, 05",
      "2, false, false, 04",
      "3, false, true, 07",
      "4, true, true, 89",
      "5, false, true, 0b",
      "6, false, true, 0d",
      "7, false, true, 0f",
  })
  void publishedHeaderBytes(int kind, boolean control, boolean done, String hexByte) {
    int expected = Integer.parseInt(hexByte, 16);
    assertThat(FrameHeader.headerByte(kind, control, done)).isEqualTo(expected);

    byte[] frame = Frames.frame(kind, control, done, 1, 1, new byte[0]);
    assertThat(frame[0] & 0xFF).isEqualTo(expected);
    assertThat(h.parse(ByteBuffer.wrap(frame), 0)).isEqualTo(Result.COMPLETE);
    assertThat(h.kind).isEqualTo(kind);
    assertThat(h.control).isEqualTo(control);
    assertThat(h.done).isEqualTo(done);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 64, 128, Integer.MIN_VALUE})
  void headerByteRejectsKindsOutsideSixBits(int kind) {
    assertThatThrownBy(() -> FrameHeader.headerByte(kind, false, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyHeaderByteDecodesToItsBits() {
    for (int b = 0; b < 256; b++) {
      byte[] frame = {(byte) b, 1, 1, 0};
      assertThat(h.parse(ByteBuffer.wrap(frame), 0)).isEqualTo(Result.COMPLETE);
      assertThat(h.control).isEqualTo((b & 0x80) != 0);
      assertThat(h.kind).isEqualTo((b >> 1) & 0x3F);
      assertThat(h.done).isEqualTo((b & 1) != 0);
      assertThat(FrameHeader.headerByte(h.kind, h.control, h.done)).isEqualTo(b);
    }
  }

  @Test
  void fewerThanFourBytesNeedTheHeader() {
    for (String s : new String[] {"", "05", "05 01", "05 01 01"}) {
      assertThat(h.parse(ByteBuffer.wrap(hex(s)), 100)).as(s).isEqualTo(Result.NEED_HEADER);
    }
  }

  @Test
  void truncatedVarintsNeedTheHeader() {
    // four or more bytes, but a varint is cut off: stream id, message id, length.
    for (String s : new String[] {"05 81 81 81", "05 01 81 81", "05 01 01 80",
        "05 01 01 80 80 80"}) {
      ByteBuffer buf = ByteBuffer.wrap(hex(s));
      assertThat(h.parse(buf, 1 << 20)).as(s).isEqualTo(Result.NEED_HEADER);
      assertThat(buf.position()).isZero();
    }
  }

  @Test
  void maximumIdsAreNotMistakenForATruncatedVarint() {
    // Stream and message ids 2^64-1 encode as ff..ff 01, which Varint.read returns as -1.
    byte[] frame = Frames.frame(Kind.INVOKE_METADATA, true, true, -1L, -1L, new byte[0]);
    assertThat(frame).hasSize(FrameHeader.MAX_SIZE - Varint.MAX_SIZE + 1);
    assertThat(h.parse(ByteBuffer.wrap(frame), 0)).isEqualTo(Result.COMPLETE);
    assertThat(h.streamId).isEqualTo(-1L);
    assertThat(h.messageId).isEqualTo(-1L);
    assertThat(h.kind).isEqualTo(Kind.INVOKE_METADATA);
    assertThat(h.control).isTrue();
    assertThat(h.done).isTrue();
    assertThat(h.length).isZero();
    assertThat(h.toString()).contains("s18446744073709551615", "m18446744073709551615");
  }

  @Test
  void partialDataNeedsDataButTheFieldsAreValid() {
    byte[] frame = hex("05 01 02 05 68 65 6c");
    ByteBuffer buf = ByteBuffer.wrap(frame);
    assertThat(h.parse(buf, 5)).isEqualTo(Result.NEED_DATA);
    assertThat(buf.position()).isZero();
    assertThat(h.kind).isEqualTo(Kind.MESSAGE);
    assertThat(h.streamId).isEqualTo(1);
    assertThat(h.messageId).isEqualTo(2);
    assertThat(h.length).isEqualTo(5);
    assertThat(h.headerSize).isEqualTo(4);
  }

  @Test
  void emptyFrameIsFourBytesAndComplete() {
    ByteBuffer buf = ByteBuffer.wrap(hex("0b 01 04 00"));
    assertThat(h.parse(buf, 0)).isEqualTo(Result.COMPLETE);
    assertThat(h.headerSize).isEqualTo(FrameHeader.MIN_SIZE);
    assertThat(h.length).isZero();
  }

  @Test
  void lengthOfExactlyTheLimitIsAccepted() {
    ByteBuffer buf = ByteBuffer.wrap(hex("05 01 01 e8 07")); // length 1000
    assertThat(h.parse(buf, 1000)).isEqualTo(Result.NEED_DATA);
    assertThat(h.length).isEqualTo(1000);
  }

  @Test
  void lengthOverTheLimitIsADataOverflowBeforeAnyDataArrives() {
    ByteBuffer buf = ByteBuffer.wrap(hex("05 01 01 e9 07")); // length 1001
    assertThatThrownBy(() -> h.parse(buf, 1000))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("data overflow");
    assertThat(buf.position()).isZero();
  }

  @Test
  void hugeUnsignedLengthIsAnOverflowNotANegativeLength() {
    for (String len : new String[] {"ff ff ff ff 0f", "80 80 80 80 10",
        "ff ff ff ff ff ff ff ff ff 01"}) {
      ByteBuffer buf = ByteBuffer.wrap(hex("05 01 01 " + len));
      assertThatThrownBy(() -> h.parse(buf, Integer.MAX_VALUE))
          .as(len)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("data overflow");
    }
  }

  @Test
  void negativeLimitIsAnArgumentError() {
    ByteBuffer buf = ByteBuffer.wrap(hex("05 01 01 ff ff ff ff 0f"));
    assertThatThrownBy(() -> h.parse(buf, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(buf.position()).isZero();
  }

  @Test
  void overlongVarintInTheHeaderIsAProtocolError() {
    ByteBuffer buf = ByteBuffer.wrap(hex("05 ff ff ff ff ff ff ff ff ff ff 01 01 00"));
    assertThatThrownBy(() -> h.parse(buf, 10))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("varint too long");
    assertThat(buf.position()).isZero();
  }

  @Test
  void parsesAtThePositionWithoutMovingIt() {
    byte[] bytes = hex("ff ff 05 01 02 02 08 01 ff");
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(2).limit(8);
    assertThat(h.parse(buf, 10)).isEqualTo(Result.COMPLETE);
    assertThat(buf.position()).isEqualTo(2);
    assertThat(buf.limit()).isEqualTo(8);
    assertThat(h.messageId).isEqualTo(2);
    assertThat(h.length).isEqualTo(2);

    buf.limit(7); // one data byte short
    assertThat(h.parse(buf, 10)).isEqualTo(Result.NEED_DATA);
  }

  @Test
  void sizeMatchesWhatWriteProduces() {
    long[] ids = {0, 1, 127, 128, 16_383, 16_384, Long.MAX_VALUE, -1L};
    int[] lengths = {0, 1, 127, 128, 65_536, Integer.MAX_VALUE};
    byte[] dst = new byte[FrameHeader.MAX_SIZE + 3];
    for (long s : ids) {
      for (long m : ids) {
        for (int len : lengths) {
          int end = FrameHeader.write(dst, 3, Kind.MESSAGE, false, true, s, m, len);
          assertThat(end - 3).isEqualTo(FrameHeader.size(s, m, len));
        }
      }
    }
  }

  @Test
  void headerSizeBounds() {
    assertThat(FrameHeader.MIN_SIZE).isEqualTo(4);
    assertThat(FrameHeader.MAX_SIZE).isEqualTo(31);
    byte[] dst = new byte[FrameHeader.MAX_SIZE];
    assertThat(FrameHeader.write(dst, 0, Kind.MESSAGE, false, true, -1L, -1L,
        Integer.MAX_VALUE)).isEqualTo(1 + 10 + 10 + 5);
  }

  @Test
  void fuzzSeedsFromUpstreamParse() {
    // FuzzParseFrame seeds: an empty frame; max ids with kind 7, done and control.
    assertThat(h.parse(ByteBuffer.wrap(new byte[0]), 0)).isEqualTo(Result.NEED_HEADER);
    byte[] seed = Frames.frame(7, true, true, -1L, -1L, new byte[] {1, 2, 3});
    assertThat(h.parse(ByteBuffer.wrap(seed), 3)).isEqualTo(Result.COMPLETE);
    assertThat(h.headerSize + h.length).isEqualTo(seed.length);
  }

  @Test
  void toStringNamesKindFlagsIdsAndLength() {
    h.parse(ByteBuffer.wrap(hex("89 01 05 00")), 0);
    assertThat(h.toString()).contains(Kind.name(Kind.CANCEL), "control", "done", "s1", "m5");
  }
}
