package dev.braid.bench.query;

import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.Notation;
import dev.braid.query.PartitionSlice;
import dev.braid.query.PositionRange;
import dev.braid.query.RangeConversions;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of converting legacy clustering ranges to position ranges and back, per range and per
 * read command (v1 -> v2 and v2 -> v1), on a schema {@code int, text, bigint desc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RangeConversionBenchmark {
    static final int RANGES = 256;
    static final ClusteringSchema SCHEMA = ClusteringSchema.parse("int, text, bigint desc");

    List<ClusteringRange> legacy;
    List<PositionRange> positions;
    ReadCommand command;
    ReadCommandV2 commandV2;

    /** Builds a fixed pseudo-random mix of singular, two-bound, half-open and inverted ranges. */
    @Setup
    public void setup() {
        Random rnd = new Random(42);
        legacy = new ArrayList<>(RANGES);
        for (int i = 0; i < RANGES; i++) {
            int a = rnd.nextInt(100);
            String text;
            switch (i % 4) {
                case 0:
                    text = "{(" + a + ",'k" + a + "'," + rnd.nextInt(1000) + ")}";
                    break;
                case 1:
                    text = "[(" + a + ",'a'), (" + (a + 1) + "))";
                    break;
                case 2:
                    text = "((" + a + "), +inf)";
                    break;
                default:
                    text = "[(" + a + ",'m',7), (" + a + ",'m')]";
                    break;
            }
            legacy.add(Notation.parseClusteringRange(SCHEMA, text));
        }
        positions = RangeConversions.fromLegacy(legacy);
        PartitionSlice slice = PartitionSlice.builder().defaultRowRanges(legacy.subList(0, 10))
                .regularColumns(List.of(3, 4, 5)).staticColumns(List.of(2))
                .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY, SliceOption.ALLOW_SHORT_READ)).build();
        command = ReadCommand.builder().tableId(new UUID(1, 2)).schemaVersion(new UUID(3, 4)).slice(slice)
                .rowLimit(100).timestamp(Instant.ofEpochSecond(1_750_000_000L)).queryId(new UUID(5, 6)).build();
        commandV2 = ReadCommandV2.fromLegacy(command);
    }

    /** Legacy -> position range, per range. */
    @Benchmark
    @OperationsPerInvocation(RANGES)
    public void fromLegacyPerRange(Blackhole bh) {
        for (ClusteringRange r : legacy) {
            bh.consume(RangeConversions.fromLegacy(r));
        }
    }

    /** Position -> canonical legacy range, per range (includes the emptiness check). */
    @Benchmark
    @OperationsPerInvocation(RANGES)
    public void toLegacyPerRange(Blackhole bh) {
        for (PositionRange r : positions) {
            Optional<ClusteringRange> c = RangeConversions.toLegacy(SCHEMA, r);
            bh.consume(c);
        }
    }

    /** Whole v1 command (10 ranges) -> v2. */
    @Benchmark
    public ReadCommandV2 commandFromLegacy() {
        return ReadCommandV2.fromLegacy(command);
    }

    /** Whole v2 command (10 ranges) -> v1. */
    @Benchmark
    public ReadCommand commandToLegacy() {
        return commandV2.toLegacy(SCHEMA);
    }
}
