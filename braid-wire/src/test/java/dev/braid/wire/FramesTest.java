package dev.braid.wire;

import static dev.braid.wire.TestBytes.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {
  @Test
  void upstreamDefaults() {
    assertThat(Frames.DEFAULT_SPLIT_SIZE).isEqualTo(64 * 1024);
    assertThat(Frames.DEFAULT_MAX_PACKET_SIZE).isEqualTo(4 * 1024 * 1024);
  }

  /** Upstream TestSplit: n in [-1, 8] over bodies of 0..20 bytes. */
  @Test
  void splitRulesForSmallSplitSizes() {
    for (int n = -1; n <= 8; n++) {
      for (int len = 0; len <= 20; len++) {
        byte[] data = pattern(len, n + 1);
        Packet packet = new Packet(Kind.MESSAGE, false, 3, 9, data);
        byte[] encoded = Frames.encode(packet, n);
        List<byte[]> frames = TestBytes.splitFrames(encoded);
        String what = "n=" + n + " len=" + len;

        assertThat(frames).as(what).hasSize(Frames.frameCount(len, n));
        if (n <= 0 || len == 0) {
          assertThat(frames).as(what).hasSize(1);
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        FrameHeader h = new FrameHeader();
        for (int i = 0; i < frames.size(); i++) {
          byte[] f = frames.get(i);
          h.parse(ByteBuffer.wrap(f), Integer.MAX_VALUE);
          assertThat(h.kind).as(what).isEqualTo(Kind.MESSAGE);
          assertThat(h.streamId).isEqualTo(3);
          assertThat(h.messageId).isEqualTo(9);
          assertThat(h.control).isFalse();
          assertThat(h.done).as(what + " frame " + i).isEqualTo(i == frames.size() - 1);
          if (n > 0) {
            assertThat(h.length).as(what).isLessThanOrEqualTo(n);
          }
          if (n > 0 && i < frames.size() - 1) {
            assertThat(h.length).as("all but the last frame are full").isEqualTo(n);
          }
          joined.write(f, h.headerSize, h.length);
        }
        assertThat(joined.toByteArray()).as(what).isEqualTo(data);
        assertThat(Frames.encodedSize(3, 9, len, n)).as(what).isEqualTo(encoded.length);
      }
    }
  }

  @Test
  void emptyBodyIsOneEmptyDoneFrame() {
    byte[] encoded = Frames.encode(Packet.of(Kind.CLOSE, 1, 4, new byte[0]), 5);
    assertThat(encoded).isEqualTo(TestBytes.hex("0b 01 04 00"));
  }

  @Test
  void controlBitIsOnEveryFrameOfAControlPacket() {
    byte[] encoded = Frames.encode(new Packet(Kind.WINDOW_UPDATE, true, 2, 1, pattern(10, 0)),
        3);
    List<byte[]> frames = TestBytes.splitFrames(encoded);
    assertThat(frames).hasSize(4);
    for (byte[] f : frames) {
      assertThat(f[0] & 0x80).isEqualTo(0x80);
    }
  }

  @Test
  void encodeAppendsToTheStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x77);
    Packet p = Packet.of(Kind.MESSAGE, 1, 2, new byte[] {8, 1});
    Frames.encode(p, 0, out);
    Frames.encode(p, 1, out);
    byte[] once = Frames.encode(p, 0);
    byte[] split = Frames.encode(p, 1);
    assertThat(out.toByteArray())
        .isEqualTo(TestBytes.concat(new byte[] {0x77}, once, split));
  }

  @Test
  void splitSizeOfExactlyTheBodyIsOneFrame() {
    assertThat(Frames.frameCount(65_536, 65_536)).isEqualTo(1);
    assertThat(Frames.frameCount(65_537, 65_536)).isEqualTo(2);
    assertThat(Frames.frameCount(1, 65_536)).isEqualTo(1);
    assertThat(TestBytes.splitFrames(Frames.encode(Packet.of(Kind.MESSAGE, 1, 1,
        new byte[64]), 64))).hasSize(1);
  }

  @Test
  void frameCountDoesNotOverflowForLargeBodies() {
    assertThat(Frames.frameCount(Integer.MAX_VALUE, 65_536)).isEqualTo(32_768);
    assertThat(Frames.frameCount(Integer.MAX_VALUE, 2)).isEqualTo(1 << 30);
    assertThat(Frames.frameCount(Integer.MAX_VALUE, 1)).isEqualTo(Integer.MAX_VALUE);
    assertThat(Frames.frameCount(Integer.MAX_VALUE - 1, Integer.MAX_VALUE)).isEqualTo(1);
    // 32767 full frames with a 3-byte length varint and one of 65535 bytes (also 3 bytes).
    long expected = 32_768L * FrameHeader.size(1, 1, 65_536) + Integer.MAX_VALUE;
    assertThat(Frames.encodedSize(1, 1, Integer.MAX_VALUE, 65_536)).isEqualTo(expected);
  }

  @Test
  void frameEncodesExactlyOneFrame() {
    byte[] f = Frames.frame(Kind.MESSAGE, false, false, 300, 2, new byte[] {9});
    FrameHeader h = new FrameHeader();
    assertThat(h.parse(ByteBuffer.wrap(f), 1)).isEqualTo(FrameHeader.Result.COMPLETE);
    assertThat(h.done).isFalse();
    assertThat(h.streamId).isEqualTo(300);
    assertThat(h.headerSize + h.length).isEqualTo(f.length);
    assertThat(f[f.length - 1]).isEqualTo((byte) 9);
  }
}
