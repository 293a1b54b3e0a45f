package dev.braid.bench.micro;

import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.Notation;
import dev.braid.query.PartitionSlice;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.codec.QueryCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Read-command serialization, v1 (legacy clustering ranges) against v2 (position ranges):
 * encode to bytes and decode from bytes, for commands with 1 and 10 row ranges on the schema
 * {@code int, text, bigint desc}. The encoded sizes are printed by {@link #sizes()} (and by
 * {@code braid bench allocs}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QueryCodecBenchmark {
  static final ClusteringSchema SCHEMA = ClusteringSchema.parse("int, text, bigint desc");
  static final QueryCodec CODEC = QueryCodec.forSchema(SCHEMA);

  @Param({"1", "10"})
  int ranges;

  ReadCommand v1;
  ReadCommandV2 v2;
  byte[] v1Bytes;
  byte[] v2Bytes;

  @Setup
  public void setup() {
    ReadCommand[] c = commands(ranges);
    v1 = c[0];
    v2 = ReadCommandV2.fromLegacy(v1);
    v1Bytes = CODEC.toBytes(v1);
    v2Bytes = CODEC.toBytes(v2);
  }

  /** A v1 command with {@code n} mixed row ranges (as RangeConversionBenchmark builds). */
  static ReadCommand[] commands(int n) {
    Random rnd = new Random(42);
    List<ClusteringRange> legacy = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = rnd.nextInt(100);
      String text = switch (i % 4) {
        case 0 -> "{(" + a + ",'k" + a + "'," + rnd.nextInt(1000) + ")}";
        case 1 -> "[(" + a + ",'a'), (" + (a + 1) + "))";
        case 2 -> "((" + a + "), +inf)";
        default -> "[(" + a + ",'m',7), (" + a + ",'m')]";
      };
      legacy.add(Notation.parseClusteringRange(SCHEMA, text));
    }
    PartitionSlice slice = PartitionSlice.builder().defaultRowRanges(legacy)
        .regularColumns(List.of(3, 4, 5)).staticColumns(List.of(2))
        .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY,
            SliceOption.ALLOW_SHORT_READ)).build();
    return new ReadCommand[] {ReadCommand.builder().tableId(new UUID(1, 2))
        .schemaVersion(new UUID(3, 4)).slice(slice).rowLimit(100)
        .timestamp(Instant.ofEpochSecond(1_750_000_000L)).queryId(new UUID(5, 6)).build()};
  }

  /** "ranges=N: v1 X bytes, v2 Y bytes" for N = 1 and 10. */
  public static String sizes() {
    StringBuilder sb = new StringBuilder();
    for (int n : new int[] {1, 10}) {
      ReadCommand c = commands(n)[0];
      sb.append(String.format("read command with %2d row range(s): v1 %4d bytes, v2 %4d "
          + "bytes%n", n, CODEC.toBytes(c).length, CODEC.toBytes(ReadCommandV2.fromLegacy(c))
          .length));
    }
    return sb.toString();
  }

  @Benchmark
  public byte[] encodeV1() {
    return CODEC.toBytes(v1);
  }

  @Benchmark
  public byte[] encodeV2() {
    return CODEC.toBytes(v2);
  }

  @Benchmark
  public ReadCommand decodeV1() {
    return CODEC.readCommandFromBytes(v1Bytes);
  }

  @Benchmark
  public ReadCommandV2 decodeV2() {
    return CODEC.readCommandV2FromBytes(v2Bytes);
  }
}
