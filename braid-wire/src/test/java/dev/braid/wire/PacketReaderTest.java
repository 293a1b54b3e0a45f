package dev.braid.wire;

import static dev.braid.wire.TestBytes.ascii;
import static dev.braid.wire.TestBytes.concat;
import static dev.braid.wire.TestBytes.drain;
import static dev.braid.wire.TestBytes.frame;
import static dev.braid.wire.TestBytes.hex;
import static dev.braid.wire.TestBytes.pattern;
import static dev.braid.wire.TestBytes.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PacketReaderTest {
  private static final int MAX = Frames.DEFAULT_MAX_PACKET_SIZE;
  private static final int M = Kind.MESSAGE;
  private static final byte[] NONE = new byte[0];

  private static AbstractThrowableAssert<?, ? extends Throwable> assertReadFails(int max,
      byte[]... frames) {
    return assertThatThrownBy(() -> readAll(max, frames)).isInstanceOf(ProtocolException.class);
  }

  /** The rows of upstream's reader_test.go TestReader, adapted to per-stream assembly. */
  @Nested
  @DisplayName("upstream TestReader table")
  class UpstreamTable {
    @Test
    void threeFramesMakeOnePacket() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "hello"),
          frame(M, false, 1, 1, " "),
          frame(M, true, 1, 1, "world")))
          .containsExactly(Packet.of(M, 1, 1, ascii("hello world")));
    }

    @Test
    void controlBitOnAnyFrameMakesAControlPacket() {
      for (int controlFrame = 0; controlFrame < 3; controlFrame++) {
        byte[][] frames = new byte[3][];
        for (int i = 0; i < 3; i++) {
          frames[i] = frame(M, i == controlFrame, i == 2, 1, 1, ascii("x"));
        }
        assertThat(readAll(MAX, frames)).as("control on frame %d", controlFrame)
            .containsExactly(new Packet(M, true, 1, 1, ascii("xxx")));
      }
      assertThat(readAll(MAX, frame(M, false, true, 1, 1, NONE)).get(0).control()).isFalse();
    }

    @Test
    void partialMessageThenCloseGivesOnlyTheClose() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "partial"),
          frame(Kind.CLOSE, true, 1, 2, "")))
          .containsExactly(Packet.of(Kind.CLOSE, 1, 2, NONE));
    }

    @Test
    void goingBackToTheDiscardedIdIsAViolation() {
      PacketReader r = new PacketReader();
      r.feed(concat(
          frame(M, false, 1, 1, "partial"),
          frame(Kind.CLOSE, true, 1, 2, ""),
          frame(M, true, 1, 1, "again")));
      assertThat(r.poll()).isEqualTo(Packet.of(Kind.CLOSE, 1, 2, NONE));
      assertThatThrownBy(r::poll)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void singleFrameOfMaxPlus29IsADataOverflow() {
      assertReadFails(MAX, frame(M, false, true, 1, 1, new byte[MAX + 29]))
          .hasMessageContaining("data overflow");
      assertReadFails(1000, frame(M, false, true, 1, 1, new byte[1000 + 29]))
          .hasMessageContaining("data overflow");
    }

    @Test
    void tenThousandKilobyteFramesOverflowAtTheFirstByteOverTheLimit() {
      byte[] kib = pattern(1024, 1);
      byte[] f = frame(M, false, false, 1, 1, kib);
      PacketReader r = new PacketReader();
      int frames = 10_240;
      for (int i = 1; i <= frames; i++) {
        r.feed(f);
        if (i <= MAX / 1024) {
          assertThat(r.poll()).isNull(); // 4096 KiB so far: exactly the limit, still fine
        } else {
          assertThatThrownBy(r::poll)
              .isInstanceOf(ProtocolException.class)
              .hasMessageContaining("data overflow");
          assertThat(i).isEqualTo(MAX / 1024 + 1);
          return;
        }
      }
      throw new AssertionError("no overflow after " + frames + " frames");
    }

    @Test
    void severalFramesOverASmallLimitOverflow() {
      assertReadFails(1000,
          frame(M, false, false, 1, 1, new byte[500]),
          frame(M, false, false, 1, 1, new byte[400]),
          frame(M, false, false, 1, 1, new byte[100]),
          frame(M, false, true, 1, 1, new byte[29]))
          .hasMessageContaining("data overflow");
    }

    @Test
    void controlIsPreservedPerPacket() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "partial"),
          frame(Kind.CLOSE, true, 1, 2, ""),
          frame(M, true, false, 1, 3, ascii("a")),
          frame(M, false, true, 1, 3, ascii("b"))))
          .containsExactly(
              Packet.of(Kind.CLOSE, 1, 2, NONE),
              new Packet(M, true, 1, 3, ascii("ab")));
    }

    @Test
    void kindChangeInsideAPacket() {
      assertReadFails(MAX,
          frame(M, false, 1, 1, "a"),
          frame(Kind.INVOKE, true, 1, 1, "b"))
          .hasMessageContaining("packet kind change");
    }

    @Test
    void idReusedAfterDone() {
      PacketReader r = new PacketReader();
      r.feed(concat(frame(M, true, 1, 1, "a"), frame(M, true, 1, 1, "b")));
      assertThat(r.poll()).isEqualTo(Packet.of(M, 1, 1, ascii("a")));
      assertThatThrownBy(r::poll)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void messageIdZero() {
      assertReadFails(MAX, frame(Kind.INVOKE, true, 1, 0, "x"))
          .hasMessageContaining("id monotonicity violation");
      assertReadFails(MAX, frame(Kind.INVOKE, true, 2, 0, "x"))
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void streamIdZero() {
      assertReadFails(MAX, frame(Kind.INVOKE, true, 0, 1, "x"))
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void otherwiseTheInputIsConsumedAndTheReaderWaits() {
      PacketReader r = new PacketReader();
      r.feed(concat(frame(M, true, 1, 1, "a"), frame(M, true, 1, 2, "b")));
      assertThat(drain(r)).hasSize(2);
      assertThat(r.poll()).isNull();
      assertThat(r.buffered()).isZero();
    }
  }

  @Nested
  @DisplayName("size limit")
  class SizeLimit {
    @Test
    void packetOfExactlyTheMaximumIsAcceptedInOneFrame() {
      byte[] data = pattern(MAX, 2);
      List<Packet> got = readAll(MAX, frame(M, false, true, 1, 1, data));
      assertThat(got).hasSize(1);
      assertThat(got.get(0).data()).isEqualTo(data);
    }

    @Test
    void packetOfExactlyTheMaximumIsAcceptedAcrossFrames() {
      byte[] data = pattern(MAX, 3);
      Packet p = Packet.of(M, 1, 1, data);
      assertThat(readAll(MAX, Frames.encode(p, 1 << 20))).containsExactly(p);
      assertThat(readAll(MAX, Frames.encode(p, Frames.DEFAULT_SPLIT_SIZE))).containsExactly(p);
      // uneven split: the last frame brings the total to exactly the limit
      assertThat(readAll(MAX, Frames.encode(p, 1_000_003))).containsExactly(p);
    }

    @Test
    void maximumPlusOneIsRejectedInOneFrame() {
      assertReadFails(MAX, frame(M, false, true, 1, 1, new byte[MAX + 1]))
          .hasMessageContaining("data overflow");
    }

    @Test
    void maximumPlusOneIsRejectedAcrossFrames() {
      Packet p = Packet.of(M, 1, 1, new byte[MAX + 1]);
      assertReadFails(MAX, Frames.encode(p, Frames.DEFAULT_SPLIT_SIZE))
          .hasMessageContaining("data overflow");
      // the last frame carries the one byte too many
      assertReadFails(MAX,
          frame(M, false, false, 1, 1, new byte[MAX]),
          frame(M, false, true, 1, 1, new byte[1]))
          .hasMessageContaining("data overflow");
    }

    @Test
    void exactlyTheSmallLimitAcrossFramesIsAccepted() {
      assertThat(readAll(1000,
          frame(M, false, false, 1, 1, new byte[500]),
          frame(M, false, false, 1, 1, new byte[400]),
          frame(M, false, true, 1, 1, new byte[100])))
          .singleElement().satisfies(p -> assertThat(p.data()).hasSize(1000));
    }

    @Test
    void zeroLimitAllowsOnlyEmptyPackets() {
      assertThat(readAll(0, frame(Kind.CLOSE, true, 1, 1, ""))).hasSize(1);
      assertReadFails(0, frame(M, true, 1, 1, "a")).hasMessageContaining("data overflow");
    }

    @Test
    void oversizedHeaderIsRejectedBeforeTheDataArrives() {
      // A frame declaring 5 MiB: only its header is fed.
      byte[] header = new byte[FrameHeader.MAX_SIZE];
      int n = FrameHeader.write(header, 0, M, false, true, 1, 1, 5 << 20);
      PacketReader r = new PacketReader(4 << 20);
      r.feed(header, 0, n);
      assertThatThrownBy(r::poll)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("data overflow");
    }

    @Test
    void oversizedHeaderIsRejectedEvenAfterAnIncompleteFrameOfAnotherStream() {
      // Nothing waits for data that will never be accepted.
      PacketReader r = new PacketReader(100);
      r.feed(frame(M, false, false, 1, 1, new byte[10]));
      r.feed(hex("05 02 01 65")); // stream 2, length 101
      assertThatThrownBy(r::poll).isInstanceOf(ProtocolException.class);
    }

    @Test
    void negativeLimitIsRejected() {
      assertThatThrownBy(() -> new PacketReader(-1))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** The cockroachdb fork's additions to reader_test.go, and braid's per-stream rules. */
  @Nested
  @DisplayName("per-stream assembly")
  class PerStream {
    @Test
    void lowerStreamAfterHigherIsAllowed() {
      assertThat(readAll(MAX,
          frame(Kind.INVOKE, true, 1, 1, "a"),
          frame(Kind.INVOKE, true, 2, 1, "b"),
          frame(Kind.CLOSE, true, 1, 2, "")))
          .extracting(Packet::streamId, Packet::messageId)
          .containsExactly(
              tuple(1L, 1L),
              tuple(2L, 1L),
              tuple(1L, 2L));
    }

    @Test
    void interleavedSingleFramePacketsOfTwoStreams() {
      List<Packet> got = readAll(MAX,
          frame(Kind.INVOKE, true, 1, 1, "/a"),
          frame(Kind.INVOKE, true, 2, 1, "/b"),
          frame(M, true, 1, 2, "m1"),
          frame(M, true, 2, 2, "m2"),
          frame(Kind.CLOSE_SEND, true, 2, 3, ""),
          frame(Kind.CLOSE_SEND, true, 1, 3, ""));
      assertThat(got).containsExactly(
          Packet.of(Kind.INVOKE, 1, 1, ascii("/a")),
          Packet.of(Kind.INVOKE, 2, 1, ascii("/b")),
          Packet.of(M, 1, 2, ascii("m1")),
          Packet.of(M, 2, 2, ascii("m2")),
          Packet.of(Kind.CLOSE_SEND, 2, 3, NONE),
          Packet.of(Kind.CLOSE_SEND, 1, 3, NONE));
    }

    @Test
    void replayOfAStreamsLastPacketIsAViolation() {
      PacketReader r = new PacketReader();
      r.feed(concat(
          frame(Kind.INVOKE, true, 1, 1, "a"),
          frame(Kind.INVOKE, true, 2, 1, "b"),
          frame(Kind.INVOKE, true, 2, 1, "b")));
      assertThat(drainUntilError(r)).hasSize(2);
    }

    @Test
    void partialPacketSurvivesAnInterleavedFrameOfAnotherStream() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "hel"),
          frame(Kind.INVOKE, true, 2, 1, "/x"),
          frame(M, false, 2, 2, "other"),
          frame(M, true, 1, 1, "lo"),
          frame(M, true, 2, 2, " stream")))
          .containsExactly(
              Packet.of(Kind.INVOKE, 2, 1, ascii("/x")),
              Packet.of(M, 1, 1, ascii("hello")),
              Packet.of(M, 2, 2, ascii("other stream")));
    }

    @Test
    void higherIdDiscardsOnlyThatStreamsPartial() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "dropped"),
          frame(M, false, 2, 1, "kept "),
          frame(M, true, 1, 2, "new"),
          frame(M, true, 2, 1, "whole")))
          .containsExactly(
              Packet.of(M, 1, 2, ascii("new")),
              Packet.of(M, 2, 1, ascii("kept whole")));
    }

    @Test
    void discardedPartialLeavesNoBytesBehind() {
      assertThat(readAll(MAX,
          frame(M, false, 1, 1, "stale"),
          frame(M, false, 1, 3, "fre"),
          frame(M, true, 1, 3, "sh")))
          .containsExactly(Packet.of(M, 1, 3, ascii("fresh")));
    }

    @Test
    void idBelowThePartialOfTheSameStreamIsAViolation() {
      assertReadFails(MAX,
          frame(M, false, 1, 3, "a"),
          frame(M, true, 1, 2, "b"))
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void violationOnOneStreamIsNotCausedByAnother() {
      // message 1 on stream 2 after message 5 on stream 1 is fine
      assertThat(readAll(MAX, frame(M, true, 1, 5, "a"), frame(M, true, 2, 1, "b")))
          .hasSize(2);
    }

    @Test
    void messageIdsMayJump() {
      assertThat(readAll(MAX, frame(M, true, 1, 1, "a"), frame(M, true, 1, 1000, "b")))
          .extracting(Packet::messageId).containsExactly(1L, 1000L);
    }

    @Test
    void idsAreUnsigned() {
      long big = Long.MIN_VALUE; // 2^63
      assertThat(readAll(MAX,
          frame(M, true, -1L, big, "a"),
          frame(M, true, -1L, big + 1, "b")))
          .extracting(Packet::streamId, Packet::messageId)
          .containsExactly(
              tuple(-1L, big),
              tuple(-1L, big + 1));
      assertReadFails(MAX, frame(M, true, 1, big, "a"), frame(M, true, 1, 2, "b"))
          .hasMessageContaining("id monotonicity violation");
    }

    @Test
    void largestMessageIdIsTheLastOfItsStream() {
      assertReadFails(MAX, frame(M, true, 1, -1L, "a"), frame(M, true, 1, 1, "b"))
          .hasMessageContaining("id monotonicity violation");
    }
  }

  @Nested
  @DisplayName("byte stream handling")
  class ByteStream {
    @Test
    void packetBeforeABadFrameIsDeliveredFirst() {
      // upstream TestReaderErrorWithData: the packet first, then the error.
      PacketReader r = new PacketReader();
      r.feed(concat(frame(M, true, 1, 1, "ok"), hex("05 01 01 ff ff ff ff ff ff ff ff ff ff")));
      assertThat(r.poll()).isEqualTo(Packet.of(M, 1, 1, ascii("ok")));
      assertThatThrownBy(r::poll)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("varint too long");
    }

    @Test
    void kindsAreNotInterpreted() {
      assertThat(readAll(MAX,
          frame(Kind.RESERVED, false, true, 1, 1, NONE),
          frame(42, true, true, 1, 2, ascii("fwd")),
          frame(Kind.MAX, false, true, 1, 3, NONE)))
          .containsExactly(
              Packet.of(Kind.RESERVED, 1, 1, NONE),
              new Packet(42, true, 1, 2, ascii("fwd")),
              Packet.of(Kind.MAX, 1, 3, NONE));
    }

    @Test
    void bufferedCountsBytesNotYetConsumed() {
      PacketReader r = new PacketReader();
      byte[] f = frame(M, true, 1, 1, "hello");
      r.feed(f, 0, 6);
      assertThat(r.poll()).isNull();
      assertThat(r.buffered()).isEqualTo(6);
      r.feed(f, 6, f.length - 6);
      assertThat(r.buffered()).isEqualTo(f.length);
      assertThat(r.poll()).isNotNull();
      assertThat(r.buffered()).isZero();
    }

    @Test
    void feedCopiesTheCallersBytes() {
      byte[] f = frame(M, true, 1, 1, "abc");
      PacketReader r = new PacketReader();
      r.feed(f);
      Arrays.fill(f, (byte) 0);
      assertThat(r.poll()).isEqualTo(Packet.of(M, 1, 1, ascii("abc")));
    }

    @Test
    void packetsDoNotShareBytesWithLaterInput() {
      PacketReader r = new PacketReader();
      r.feed(frame(M, true, 1, 1, "first"));
      Packet first = r.poll();
      for (int i = 2; i < 2000; i++) {
        r.feed(frame(M, true, 1, i, "xxxxx"));
        assertThat(r.poll()).isNotNull();
      }
      assertThat(first.data()).isEqualTo(ascii("first"));
    }

    @Test
    void feedWithAnOffsetUsesOnlyThatRange() {
      byte[] f = frame(M, true, 1, 1, "mid");
      byte[] padded = concat(hex("ff ff"), f, hex("ff"));
      PacketReader r = new PacketReader();
      r.feed(padded, 2, f.length);
      assertThat(drain(r)).containsExactly(Packet.of(M, 1, 1, ascii("mid")));
      assertThat(r.buffered()).isZero();
    }

    @Test
    void largeInputInSmallAndLargeChunks() {
      // Exercises both compaction and growth of the input buffer.
      Packet big = Packet.of(M, 1, 1, pattern(300_000, 4));
      Packet small = Packet.of(M, 1, 2, pattern(10, 5));
      byte[] bytes = concat(Frames.encode(big, 7_000), Frames.encode(small, 0));
      PacketReader r = new PacketReader();
      int at = 0;
      int chunk = 1;
      List<Packet> got = new ArrayList<>();
      while (at < bytes.length) {
        int n = Math.min(chunk, bytes.length - at);
        r.feed(bytes, at, n);
        at += n;
        got.addAll(drain(r));
        chunk = chunk * 3 % 20_011 + 1;
      }
      assertThat(got).containsExactly(big, small);
    }
  }

  private static List<Packet> drainUntilError(PacketReader r) {
    List<Packet> got = new ArrayList<>();
    try {
      for (Packet p = r.poll(); p != null; p = r.poll()) {
        got.add(p);
      }
    } catch (ProtocolException e) {
      assertThat(e).hasMessageContaining("id monotonicity violation");
      return got;
    }
    throw new AssertionError("expected a protocol error after " + got);
  }
}
