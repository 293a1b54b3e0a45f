package dev.braid.bench.query;

import dev.braid.query.BoundWeight;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PartitionRegion;
import dev.braid.query.PositionInPartition;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Cost of one position comparison, for full keys and for mixed prefixes and weights. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PositionComparatorBenchmark {
    static final int PAIRS = 1024;

    /** The clustering schema. */
    @Param({"int, int, int", "int, text, bigint desc"})
    public String schemaSpec;

    /** "full": rows with full keys sharing a prefix; "mixed": prefixes of any length and weight. */
    @Param({"full", "mixed"})
    public String shape;

    ClusteringSchema schema;
    PositionInPartition[] left = new PositionInPartition[PAIRS];
    PositionInPartition[] right = new PositionInPartition[PAIRS];

    /** Builds fixed pseudo-random position pairs. */
    @Setup
    public void setup() {
        schema = ClusteringSchema.parse(schemaSpec);
        Random rnd = new Random(7);
        for (int i = 0; i < PAIRS; i++) {
            left[i] = random(rnd);
            right[i] = random(rnd);
        }
    }

    private PositionInPartition random(Random rnd) {
        boolean full = shape.equals("full");
        int len = full ? schema.size() : rnd.nextInt(schema.size() + 1);
        Object[] values = new Object[len];
        for (int c = 0; c < len; c++) {
            int v = c == 0 ? 1 : rnd.nextInt(4);
            switch (schema.column(c).type()) {
                case TEXT:
                    values[c] = "value-" + v;
                    break;
                case BIGINT:
                    values[c] = (long) v;
                    break;
                default:
                    values[c] = v;
                    break;
            }
        }
        BoundWeight w = full ? BoundWeight.EQUAL : BoundWeight.values()[rnd.nextInt(3)];
        return PositionInPartition.of(PartitionRegion.CLUSTERED, w, ClusteringPrefix.of(values));
    }

    /** One comparison. */
    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public int compare() {
        int acc = 0;
        for (int i = 0; i < PAIRS; i++) {
            acc += schema.compare(left[i], right[i]);
        }
        return acc;
    }
}
