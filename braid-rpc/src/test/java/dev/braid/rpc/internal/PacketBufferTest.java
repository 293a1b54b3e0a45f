package dev.braid.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Packet assembly keeps the bytes in order, bounds its components and releases every read
 * buffer it retained.
 */
class PacketBufferTest {
  private static final ByteBufAllocator ALLOC = new UnpooledByteBufAllocator(true, false);

  @Property(tries = 300)
  void assemblesFramesInOrderWithBoundedComponents(
      @ForAll @Size(max = 200) List<@IntRange(max = 20_000) Integer> lengths,
      @ForAll long seed, @ForAll boolean finish) {
    Random random = new Random(seed);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    List<ByteBuf> reads = new ArrayList<>();
    UnpooledByteBufAllocator own = new UnpooledByteBufAllocator(true, false);
    PacketBuffer packet = new PacketBuffer(own);
    long total = 0;
    for (int len : lengths) {
      byte[] bytes = new byte[len];
      random.nextBytes(bytes);
      expected.writeBytes(bytes);
      // each frame arrives inside a larger read buffer, between other bytes
      ByteBuf read = ALLOC.directBuffer(len + 16);
      read.writeZero(7).writeBytes(bytes).writeZero(9);
      read.skipBytes(7);
      reads.add(read);
      packet.add(read, len);
      assertThat(read.readableBytes()).isEqualTo(9);
      total += len;
      assertThat(packet.components()).isLessThanOrEqualTo(
          (int) (2 * total / PacketBuffer.SMALL) + 1);
      // what the packet allocated itself (copies of small bodies): at most about twice them
      assertThat(own.metric().usedDirectMemory()).isLessThanOrEqualTo(
          2 * total + 256 * (2 * total / PacketBuffer.SMALL + 1));
    }
    for (ByteBuf read : reads) {
      read.release(); // the reader lets go of its buffers; the packet keeps what it needs
    }
    if (finish) {
      ByteBuf data = packet.finish();
      assertThat(ByteBufUtil.getBytes(data)).isEqualTo(expected.toByteArray());
      data.release();
    } else {
      packet.release();
    }
    assertThat(reads).allSatisfy(r -> assertThat(r.refCnt()).isZero());
    assertThat(own.metric().usedDirectMemory()).isZero();
  }

  @Test
  void tinyFramesBetweenLargeOnesCostLittleMemory() {
    // a peer alternating 1-byte and 4 KiB frames: each tiny body gets a small buffer, not
    // one sized for many
    UnpooledByteBufAllocator own = new UnpooledByteBufAllocator(true, false);
    PacketBuffer packet = new PacketBuffer(own);
    ByteBuf read = ALLOC.directBuffer(100 * (1 + PacketBuffer.SMALL));
    read.writeZero(read.capacity());
    for (int i = 0; i < 100; i++) {
      packet.add(read, 1);
      packet.add(read, PacketBuffer.SMALL);
    }
    assertThat(packet.components()).isEqualTo(200);
    assertThat(own.metric().usedDirectMemory()).isLessThanOrEqualTo(100 * 256);
    packet.release();
    assertThat(own.metric().usedDirectMemory()).isZero();
    assertThat(read.refCnt()).isEqualTo(1);
    read.release();
  }

  @Test
  void largeMessageOfSmallFramesIsNeitherCopiedNorMerged() {
    // 1 MiB and a little, in 16 KiB frames: one component per frame, each a slice of the
    // read buffer (Netty's default composite would have merged them at 65)
    ByteBuf read = ALLOC.directBuffer((1 << 20) + 100);
    read.writeZero((1 << 20) + 100);
    PacketBuffer packet = new PacketBuffer(ALLOC);
    int frames = 0;
    while (read.readableBytes() >= 16 << 10) {
      packet.add(read, 16 << 10);
      frames++;
    }
    packet.add(read, read.readableBytes());
    ByteBuf data = packet.finish();
    assertThat(frames).isEqualTo(64);
    assertThat(packet.components()).isEqualTo(65);
    assertThat(data.nioBufferCount()).isEqualTo(65);
    assertThat(read.refCnt()).isEqualTo(65); // the reader's reference and one per large frame
    data.release();
    assertThat(read.refCnt()).isEqualTo(1);
    read.release();
  }
}
