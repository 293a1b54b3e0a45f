package dev.braid.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.wire.FrameHeader.Result;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Frame encoding, header parsing and splitting (upstream TestAppendParse, TestSplit). */
class FrameProperties {
  record Frame(int kind, boolean control, boolean done, long stream, long message,
      byte[] data) {
    byte[] encode() {
      return Frames.frame(kind, control, done, stream, message, data);
    }
  }

  @Provide
  static Arbitrary<Frame> frames() {
    return Combinators.combine(
        Arbitraries.integers().between(0, Kind.MAX),
        Arbitraries.of(true, false),
        Arbitraries.of(true, false),
        VarintProperties.anyBitLength(),
        VarintProperties.anyBitLength(),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as(Frame::new);
  }

  @Property
  void encodedFrameParsesBackWithNoLeftover(@ForAll("frames") Frame f) {
    byte[] bytes = f.encode();
    FrameHeader h = new FrameHeader();
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    assertThat(h.parse(buf, f.data().length)).isEqualTo(Result.COMPLETE);
    assertThat(h.kind).isEqualTo(f.kind());
    assertThat(h.control).isEqualTo(f.control());
    assertThat(h.done).isEqualTo(f.done());
    assertThat(h.streamId).isEqualTo(f.stream());
    assertThat(h.messageId).isEqualTo(f.message());
    assertThat(h.length).isEqualTo(f.data().length);
    assertThat(h.headerSize)
        .isEqualTo(FrameHeader.size(f.stream(), f.message(), f.data().length));
    assertThat(h.headerSize + h.length).as("no leftover bytes").isEqualTo(bytes.length);
    assertThat(Arrays.copyOfRange(bytes, h.headerSize, bytes.length)).isEqualTo(f.data());
    assertThat(buf.position()).isZero();
  }

  /** Until the whole frame is there: NEED_HEADER before the header ends, then NEED_DATA. */
  @Property(tries = 300)
  void everyProperPrefixNeedsMore(@ForAll("frames") Frame f) {
    byte[] bytes = f.encode();
    int headerSize = FrameHeader.size(f.stream(), f.message(), f.data().length);
    FrameHeader h = new FrameHeader();
    for (int n = 0; n < bytes.length; n++) {
      Result r = h.parse(ByteBuffer.wrap(bytes, 0, n), Integer.MAX_VALUE);
      if (n < headerSize) {
        assertThat(r).as("prefix %d", n).isEqualTo(Result.NEED_HEADER);
      } else {
        assertThat(r).as("prefix %d", n).isEqualTo(Result.NEED_DATA);
        assertThat(h.length).isEqualTo(f.data().length);
        assertThat(h.streamId).isEqualTo(f.stream());
        assertThat(h.messageId).isEqualTo(f.message());
      }
    }
  }

  /** A frame's length over the limit is refused as soon as the header is complete. */
  @Property
  void lengthOverTheLimitIsRefusedFromTheHeaderAlone(@ForAll("frames") Frame f,
      @ForAll @IntRange(min = 0, max = 299) int limit) {
    byte[] bytes = f.encode();
    int headerSize = FrameHeader.size(f.stream(), f.message(), f.data().length);
    ByteBuffer headerOnly = ByteBuffer.wrap(bytes, 0, headerSize);
    FrameHeader h = new FrameHeader();
    if (f.data().length > limit) {
      assertThatThrownBy(() -> h.parse(headerOnly, limit))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("data overflow");
    } else {
      assertThat(h.parse(headerOnly, limit))
          .isEqualTo(f.data().length == 0 ? Result.COMPLETE : Result.NEED_DATA);
    }
    assertThat(headerOnly.position()).isZero();
  }

  /**
   * Parsing sees only the bytes between position and limit: the same bytes embedded in a
   * larger buffer, with arbitrary bytes before and after, give the same outcome as an exact
   * copy; position and limit are unchanged; nothing but ProtocolException is thrown.
   */
  @Property
  void parseNeverReadsPastTheLimitAndLeavesThePosition(
      @ForAll @Size(max = 40) byte[] bytes,
      @ForAll @Size(max = 12) byte[] before,
      @ForAll @Size(min = 1, max = 12) byte[] after,
      @ForAll boolean direct,
      @ForAll("limits") int maxLength) {
    String exact = outcome(ByteBuffer.wrap(bytes.clone()), maxLength);

    byte[] all = TestBytes.concat(before, bytes, after);
    ByteBuffer embedded = direct ? ByteBuffer.allocateDirect(all.length).put(all)
        : ByteBuffer.wrap(all);
    embedded.limit(before.length + bytes.length).position(before.length);
    assertThat(outcome(embedded, maxLength)).isEqualTo(exact);
    assertThat(embedded.position()).isEqualTo(before.length);
    assertThat(embedded.limit()).isEqualTo(before.length + bytes.length);

    ByteBuffer readOnly = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    assertThat(outcome(readOnly, maxLength)).isEqualTo(exact);
  }

  @Provide
  static Arbitrary<Integer> limits() {
    return Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
        Arbitraries.of(0, 127, 128, Frames.DEFAULT_MAX_PACKET_SIZE, Integer.MAX_VALUE));
  }

  /** The parse outcome as a string; checks the result's consistency with the input. */
  private static String outcome(ByteBuffer buf, int maxLength) {
    FrameHeader h = new FrameHeader();
    int remaining = buf.remaining();
    int position = buf.position();
    Result r;
    try {
      r = h.parse(buf, maxLength);
    } catch (ProtocolException e) {
      assertThat(buf.position()).isEqualTo(position);
      return "error " + e.getMessage();
    }
    assertThat(buf.position()).isEqualTo(position);
    switch (r) {
      case NEED_HEADER:
        return "need header";
      case NEED_DATA:
        assertThat(h.headerSize).isLessThanOrEqualTo(remaining);
        assertThat(h.headerSize + h.length).isGreaterThan(remaining);
        break;
      default:
        assertThat(h.headerSize + h.length).isLessThanOrEqualTo(remaining);
        break;
    }
    assertThat(h.headerSize).isBetween(FrameHeader.MIN_SIZE, FrameHeader.MAX_SIZE);
    assertThat(h.length).isBetween(0, maxLength);
    return r + " " + h;
  }

  /** Upstream TestSplit, for random bodies and split sizes (≤ 0 means one frame). */
  @Property
  void splitFramesReassembleTheBody(
      @ForAll @Size(max = 600) byte[] data,
      @ForAll("splitSizes") int split,
      @ForAll("frames") Frame ids) {
    Packet p = new Packet(ids.kind(), ids.control(), ids.stream(), ids.message(), data);
    byte[] encoded = Frames.encode(p, split);
    assertThat((long) encoded.length)
        .isEqualTo(Frames.encodedSize(p.streamId(), p.messageId(), data.length, split));

    List<byte[]> frames = TestBytes.splitFrames(encoded);
    assertThat(frames).hasSize(Frames.frameCount(data.length, split));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    FrameHeader h = new FrameHeader();
    for (int i = 0; i < frames.size(); i++) {
      h.parse(ByteBuffer.wrap(frames.get(i)), Integer.MAX_VALUE);
      assertThat(h.kind).isEqualTo(p.kind());
      assertThat(h.control).isEqualTo(p.control());
      assertThat(h.streamId).isEqualTo(p.streamId());
      assertThat(h.messageId).isEqualTo(p.messageId());
      assertThat(h.done).isEqualTo(i == frames.size() - 1);
      if (split > 0) {
        assertThat(h.length).isLessThanOrEqualTo(split);
        if (i < frames.size() - 1) {
          assertThat(h.length).isEqualTo(split);
        }
      } else {
        assertThat(frames).hasSize(1);
      }
      joined.write(frames.get(i), h.headerSize, h.length);
    }
    assertThat(joined.toByteArray()).isEqualTo(data);
  }

  @Provide
  static Arbitrary<Integer> splitSizes() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-3, 70),
        Arbitraries.of(Integer.MIN_VALUE, 0, 1, Frames.DEFAULT_SPLIT_SIZE, Integer.MAX_VALUE));
  }
}
