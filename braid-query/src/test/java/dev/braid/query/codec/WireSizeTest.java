package dev.braid.query.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.MaxResultSize;
import dev.braid.query.Notation;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSlice;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.SpecificRanges;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Serialized size of v2 against v1 for representative commands (schema {@code int, text, bigint}).
 * Prints a table; asserts that both encodings round-trip and that v2 carries the same command.
 * {@link #main} prints the same table.
 */
class WireSizeTest {
    static final ClusteringSchema SCHEMA = ClusteringSchema.parse("int asc, text asc, bigint desc");

    static ClusteringRange r(String text) {
        return Notation.parseClusteringRange(SCHEMA, text);
    }

    static ReadCommand command(PartitionSlice slice) {
        return ReadCommand.builder().tableId(new UUID(0x1234_5678_9abc_def0L, 0x0fed_cba9_8765_4321L))
                .schemaVersion(new UUID(0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L)).slice(slice)
                .rowLimit(100).timestamp(Instant.ofEpochSecond(1_750_000_000L)).partitionLimit(1)
                .queryId(new UUID(42, 43)).firstPage(true).maxResultSize(new MaxResultSize(1 << 20, 10 << 20, 1 << 20))
                .tombstoneLimit(10_000).build();
    }

    static Map<String, ReadCommand> representative() {
        PartitionSlice.Builder base = PartitionSlice.builder().regularColumns(List.of(3, 4, 5)).staticColumns(List.of(2))
                .options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY, SliceOption.SEND_PARTITION_KEY,
                        SliceOption.ALLOW_SHORT_READ));
        Map<String, ReadCommand> m = new LinkedHashMap<>();
        m.put("whole partition (-inf,+inf)", command(base.defaultRowRanges(ClusteringRange.full()).build()));
        m.put("single row {(7,'user-0042',123456789)}",
                command(base.defaultRowRanges(r("{(7,'user-0042',123456789)}")).build()));
        m.put("range [(7,'a'), (7,'m'))", command(base.defaultRowRanges(r("[(7,'a'), (7,'m'))")).build()));
        List<ClusteringRange> in = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            in.add(r("{(" + i + ",'k" + i + "')}"));
        }
        m.put("IN of 10 prefixes", command(base.defaultRowRanges(in).build()));
        m.put("paging: specific ranges", command(base.defaultRowRanges(r("[(7), (9)]"))
                .specificRanges(new SpecificRanges(PartitionKey.of(dev.braid.query.Bytes.of(new byte[] {0, 0, 0, 7})),
                        List.of(r("((7,'user-0042',5), (9)]")))).build()));
        PartitionSlice forward = base.specificRanges(null)
                .defaultRowRanges(r("[(1), (2))"), r("[(4,'x'), (5)]"), r("((8), +inf)")).build();
        m.put("reversed, 3 ranges", command(forward).reversed());
        return m;
    }

    static List<String> report() {
        QueryCodec forward = QueryCodec.forSchema(SCHEMA);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-42s %6s %6s %7s", "command", "v1 B", "v2 B", "v2/v1"));
        for (Map.Entry<String, ReadCommand> e : representative().entrySet()) {
            ReadCommand v1 = e.getValue();
            QueryCodec codec = v1.slice().isReversed() ? QueryCodec.forSchema(SCHEMA.reversed()) : forward;
            int a = codec.toBytes(v1).length;
            int b = codec.toBytes(ReadCommandV2.fromLegacy(v1)).length;
            lines.add(String.format("%-42s %6d %6d %7.2f", e.getKey(), a, b, (double) b / a));
        }
        return lines;
    }

    @Test
    void representativeCommandsRoundTripAndSizesAreReported() {
        for (ReadCommand v1 : representative().values()) {
            ClusteringSchema s = v1.slice().isReversed() ? SCHEMA.reversed() : SCHEMA;
            QueryCodec codec = QueryCodec.forSchema(s);
            ReadCommandV2 v2 = ReadCommandV2.fromLegacy(v1);
            assertThat(codec.readCommandFromBytes(codec.toBytes(v1))).isEqualTo(v1);
            assertThat(codec.readCommandV2FromBytes(codec.toBytes(v2))).isEqualTo(v2);
            assertThat(codec.readCommandV2FromBytes(codec.toBytes(v2)).toLegacy(s)).isEqualTo(v1);
        }
        List<String> lines = report();
        assertThat(lines).hasSize(representative().size() + 1);
        lines.forEach(System.out::println);
    }

    /** Prints the size table. */
    public static void main(String[] args) {
        report().forEach(System.out::println);
    }
}
