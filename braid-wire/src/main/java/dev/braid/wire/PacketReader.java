package dev.braid.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a byte stream into packets, assembling frames per stream with {@link PacketAssembly}.
 *
 * <p>A partial packet of one stream survives frames of other streams in between; a higher
 * message id on the same stream discards it. The bytes a peer can make this reader buffer
 * are bounded by the maximum packet size per stream plus one frame header. Stream-level
 * rules (which stream ids may appear, what a kind means) are the connection's business, not
 * this reader's.
 *
 * <p>Not thread-safe. Used by tests, tools and anything that reads DRPC from a plain
 * {@code byte[]} source; the Netty engine applies the same rules to its own buffers.
 */
public final class PacketReader {
  private final int maxPacketSize;
  private final FrameHeader header = new FrameHeader();
  private final Map<Long, Partial> streams = new HashMap<>();
  private byte[] buf = new byte[4096];
  private int start;
  private int end;

  private static final class Partial {
    final PacketAssembly assembly;
    /** The bytes of the packet being assembled; null between packets, so that an idle
     * stream does not keep a buffer as large as its largest packet. */
    ByteArrayOutputStream data;

    Partial(int max) {
      assembly = new PacketAssembly(max);
    }
  }

  public PacketReader() {
    this(Frames.DEFAULT_MAX_PACKET_SIZE);
  }

  public PacketReader(int maxPacketSize) {
    if (maxPacketSize < 0) {
      throw new IllegalArgumentException("maxPacketSize must be >= 0");
    }
    this.maxPacketSize = maxPacketSize;
  }

  /** Appends bytes read from the peer. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Appends {@code len} bytes of {@code bytes} from {@code off}. */
  public void feed(byte[] bytes, int off, int len) {
    if (end + len > buf.length) {
      int live = end - start;
      if (live + len > buf.length) {
        buf = Arrays.copyOf(Arrays.copyOfRange(buf, start, end), Math.max(2 * buf.length,
            live + len));
      } else {
        System.arraycopy(buf, start, buf, 0, live);
      }
      start = 0;
      end = live;
    }
    System.arraycopy(bytes, off, buf, end, len);
    end += len;
  }

  /** The number of bytes fed but not yet consumed as whole frames. */
  public int buffered() {
    return end - start;
  }

  /**
   * Returns the next complete packet, or {@code null} if more bytes are needed.
   *
   * @throws ProtocolException if the bytes break the wire rules
   */
  public Packet poll() {
    while (true) {
      ByteBuffer view = ByteBuffer.wrap(buf, start, end - start);
      if (header.parse(view, maxPacketSize) != FrameHeader.Result.COMPLETE) {
        return null;
      }
      if (header.streamId == 0) {
        throw new ProtocolException("id monotonicity violation: stream id 0");
      }
      int dataStart = start + header.headerSize;
      start = dataStart + header.length;
      Partial p = streams.computeIfAbsent(header.streamId, id -> new Partial(maxPacketSize));
      int flags = p.assembly.accept(header.kind, header.control, header.done,
          header.messageId, header.length);
      if ((flags & PacketAssembly.STARTED) != 0) {
        p.data = new ByteArrayOutputStream(header.length);
      }
      p.data.write(buf, dataStart, header.length);
      if ((flags & PacketAssembly.COMPLETED) != 0) {
        byte[] data = p.data.toByteArray();
        p.data = null;
        return new Packet(p.assembly.kind(), p.assembly.control(), header.streamId,
            header.messageId, data);
      }
    }
  }
}
