package dev.braid.bench.micro;

import dev.braid.rpc.Metadata;
import dev.braid.wire.FrameHeader;
import dev.braid.wire.Frames;
import dev.braid.wire.InvokeMetadata;
import dev.braid.wire.Kind;
import dev.braid.wire.Packet;
import dev.braid.wire.PacketAssembly;
import dev.braid.wire.PacketReader;
import dev.braid.wire.Varint;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * braid-wire's hot paths: varints, frame headers, whole-packet encoding, per-stream packet
 * assembly, the byte[] packet reader, and invoke metadata.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WireBenchmark {
  static final int N = 1024;
  /** Varint values: a realistic mix of ids and lengths (1 to 3 bytes, a few 5 and 9). */
  final long[] values = new long[N];
  final byte[] varints = new byte[N * Varint.MAX_SIZE];
  ByteBuffer varintBuf;
  final byte[] headerOut = new byte[FrameHeader.MAX_SIZE];
  ByteBuffer header;
  final FrameHeader parsed = new FrameHeader();
  Packet packet1k;
  PacketAssembly assembly;
  long nextMid = 1;
  byte[] bigPacketFrames;
  Map<String, String> metadata;
  byte[] metadataBytes;

  @Setup
  public void setup() {
    Random r = new Random(1);
    for (int i = 0; i < N; i++) {
      int k = r.nextInt(100);
      values[i] = k < 50 ? r.nextInt(128) : k < 85 ? r.nextInt(16384) : k < 97
          ? r.nextInt(1 << 21) : k < 99 ? r.nextInt() & 0x7FFFFFFFL : r.nextLong() >>> 1;
    }
    int off = 0;
    for (long v : values) {
      off = Varint.write(varints, off, v);
    }
    varintBuf = ByteBuffer.wrap(varints, 0, off);
    byte[] h = new byte[FrameHeader.MAX_SIZE + 1024];
    int n = FrameHeader.write(h, 0, Kind.MESSAGE, false, true, 1234, 2, 1024);
    header = ByteBuffer.wrap(h, 0, n + 1024);
    packet1k = Packet.of(Kind.MESSAGE, 1234, 2, new byte[1024]);
    assembly = new PacketAssembly(4 << 20);
    bigPacketFrames = Frames.encode(Packet.of(Kind.MESSAGE, 1, 1, new byte[256 << 10]),
        64 << 10);
    metadata = new LinkedHashMap<>();
    metadata.put("authorization", "Bearer 0123456789abcdef");
    metadata.put("braid-timeout-us", "1500000");
    metadataBytes = InvokeMetadata.encode(metadata);
  }

  /** Encodes 1024 varints into a byte[]. Per op: one varint. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int varintWrite() {
    int off = 0;
    for (long v : values) {
      off = Varint.write(varints, off, v);
    }
    return off;
  }

  /** Decodes 1024 varints from a ByteBuffer. Per op: one varint. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long varintRead() {
    ByteBuffer b = varintBuf;
    b.position(0);
    long sum = 0;
    for (int i = 0; i < N; i++) {
      sum += Varint.read(b);
    }
    return sum;
  }

  /** Sizes 1024 varints. Per op: one varint. */
  @Benchmark
  @OperationsPerInvocation(N)
  public int varintSize() {
    int s = 0;
    for (long v : values) {
      s += Varint.size(v);
    }
    return s;
  }

  /** One frame header (Message, stream 1234, message 2, 1 KiB) into a byte[]. */
  @Benchmark
  public int frameHeaderWrite() {
    return FrameHeader.write(headerOut, 0, Kind.MESSAGE, false, true, 1234, 2, 1024);
  }

  /** Parses one frame header with its 1 KiB of data present (reused FrameHeader). */
  @Benchmark
  public int frameHeaderParse() {
    header.position(0);
    parsed.parse(header, 4 << 20);
    return parsed.length;
  }

  /** A 1 KiB Message packet encoded to a new byte[] (Frames.encode, allocating). */
  @Benchmark
  public byte[] packetEncode1k() {
    return Frames.encode(packet1k, 64 << 10);
  }

  /** Assembly rules for one single-frame packet (the common case). */
  @Benchmark
  public int packetAssemblySingleFrame() {
    return assembly.accept(Kind.MESSAGE, false, true, nextMid++, 1024);
  }

  /**
   * A 256 KiB packet of four 64 KiB frames through PacketReader (copying into a new packet
   * body). Per op: one packet.
   */
  @Benchmark
  public Packet packetReader256k() {
    PacketReader r = new PacketReader();
    r.feed(bigPacketFrames);
    return r.poll();
  }

  /** Invoke metadata (two pairs) to bytes. */
  @Benchmark
  public byte[] metadataEncode() {
    return InvokeMetadata.encode(metadata);
  }

  /** Invoke metadata bytes to a map, then braid's Metadata (what the server does). */
  @Benchmark
  public Metadata metadataDecode() {
    return Metadata.of(InvokeMetadata.decode(ByteBuffer.wrap(metadataBytes)));
  }

  /** Baseline: a Blackhole call, to read the others against. */
  @Benchmark
  public void baseline(Blackhole bh) {
    bh.consume(nextMid);
  }
}
