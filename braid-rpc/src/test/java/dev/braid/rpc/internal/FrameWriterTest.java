package dev.braid.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.Encoding;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Frames;
import dev.braid.wire.Kind;
import dev.braid.wire.Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The writer's packets against the wire module's reference encoder: a message spanning
 * frames is encoded once and joined by reference, and must still be byte-for-byte what
 * {@link Frames#encode} produces.
 */
class FrameWriterTest {
  private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, false);

  /**
   * A byte-array encoding that is not {@link Encoding#bytes()}, so the general path is
   * taken; it can fail on encode and remembers the buffer it decoded from.
   */
  static final class ViaBuffer implements Encoding<byte[]> {
    final boolean failEncode;
    ByteBuffer decodedFrom;

    ViaBuffer(boolean failEncode) {
      this.failEncode = failEncode;
    }

    @Override
    public int encodedSize(byte[] message) {
      return message.length;
    }

    @Override
    public void encode(byte[] message, ByteBuffer dst) {
      if (failEncode) {
        throw new IllegalStateException("boom");
      }
      dst.put(message);
    }

    @Override
    public byte[] decode(ByteBuffer src) {
      decodedFrom = src;
      return null;
    }
  }

  @Property(tries = 300)
  void messagesMatchTheReferenceEncoding(@ForAll @IntRange(max = 200_000) int size,
      @ForAll @IntRange(min = 1, max = 70_000) int split,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long streamId,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE - 1) long messageId,
      @ForAll boolean prefix, @ForAll boolean closeSend, @ForAll boolean raw) {
    byte[] body = new byte[size];
    for (int i = 0; i < size; i++) {
      body[i] = (byte) (i * 31 + 7);
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    ByteBuf out = ALLOC.buffer(FrameWriter.inlineSize(streamId, messageId, size, split)
        + FrameHeader.MAX_SIZE * 2);
    if (prefix) {
      // what a call's first buffer holds before its request: the Invoke
      byte[] name = "/s.S/M".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      FrameWriter.writeBytes(out, Kind.INVOKE, streamId, messageId - 1, name, split);
      Frames.encode(new Packet(Kind.INVOKE, false, streamId, messageId - 1, name), split,
          expected);
    }
    Frames.encode(new Packet(Kind.MESSAGE, false, streamId, messageId, body), split, expected);
    if (closeSend) {
      Frames.encode(new Packet(Kind.CLOSE_SEND, false, streamId, messageId + 1, new byte[0]),
          split, expected);
    }
    ByteBuf packet = FrameWriter.appendMessage(ALLOC, out, streamId, messageId,
        raw ? Encoding.bytes() : new ViaBuffer(false), body, size, split, closeSend);
    try {
      assertThat(ByteBufUtil.getBytes(packet)).isEqualTo(expected.toByteArray());
      // the writer's header reader walks the same frames as the wire parser
      FrameHeader peeked = new FrameHeader();
      FrameHeader parsed = new FrameHeader();
      ByteBuffer flat = ByteBuffer.wrap(expected.toByteArray());
      for (int at = 0; at < packet.readableBytes(); at += peeked.headerSize + peeked.length) {
        FrameWriter.peekHeader(packet, packet.readerIndex() + at, peeked);
        flat.position(at);
        assertThat(parsed.parse(flat, Integer.MAX_VALUE))
            .isEqualTo(FrameHeader.Result.COMPLETE);
        assertThat(peeked).usingRecursiveComparison().isEqualTo(parsed);
      }
    } finally {
      packet.release();
    }
    assertThat(packet.refCnt()).isZero();
  }

  @Property(tries = 50)
  void aFailedEncodingLeavesTheCallersBufferAlone(
      @ForAll @IntRange(min = 2, max = 100_000) int size) {
    ViaBuffer failing = new ViaBuffer(true);
    ByteBuf out = ALLOC.buffer(64).writeByte(1);
    assertThatThrownBy(() -> FrameWriter.appendMessage(ALLOC, out, 1, 1, failing,
        new byte[size], size, 1024, true)).hasMessage("boom");
    // still the caller's alone (it may hold a header already; callers release it on failure)
    assertThat(out.refCnt()).isEqualTo(1);
    assertThat(out.getByte(0)).isEqualTo((byte) 1);
    assertThat(out.release()).isTrue();
  }

  @Property(tries = 50)
  void decodersGetAFreshArray(@ForAll @IntRange(max = 5000) int size) throws Exception {
    ByteBuf data = ALLOC.directBuffer(size);
    for (int i = 0; i < size; i++) {
      data.writeByte(i);
    }
    ViaBuffer keeping = new ViaBuffer(false);
    FrameWriter.decode(keeping, data);
    data.setZero(0, size).release(); // braid's buffer is reused or freed
    ByteBuffer seen = keeping.decodedFrom;
    assertThat(seen.hasArray()).isTrue();
    assertThat(seen.remaining()).isEqualTo(size);
    for (int i = 0; i < size; i++) {
      assertThat(seen.get(seen.position() + i)).isEqualTo((byte) i);
    }
  }
}
