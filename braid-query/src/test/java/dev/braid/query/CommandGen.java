package dev.braid.query;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of slices and read commands on the {@link Grid} schema. */
final class CommandGen {
    private CommandGen() {
    }

    static Arbitrary<PartitionKey> partitionKeys() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(Bytes::of).list().ofMinSize(1).ofMaxSize(2)
                .map(PartitionKey::new);
    }

    static Arbitrary<SliceOptions> options() {
        return Arbitraries.longs().between(0, (1L << SliceOption.values().length) - 1).map(SliceOptions::fromMask);
    }

    static Arbitrary<List<Integer>> columns() {
        return Arbitraries.integers().between(0, 40).list().ofMaxSize(5);
    }

    static Arbitrary<Long> unsigned64() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(-1L, 0L, 1L, 0xFFFF_FFFFL, 0x1_0000_0000L));
    }

    static Arbitrary<PartitionSlice> slices() {
        Arbitrary<SpecificRanges> specific = Combinators.combine(partitionKeys(), Grid.legacyRanges().list().ofMaxSize(3))
                .as(SpecificRanges::new);
        return Combinators.combine(Grid.legacyRanges().list().ofMaxSize(4), columns(), columns(), options(),
                specific.injectNull(0.4), Arbitraries.integers().between(3, 255), unsigned64())
                .as((ranges, st, reg, opts, spec, cql, limit) -> PartitionSlice.builder().defaultRowRanges(ranges)
                        .staticColumns(st).regularColumns(reg).options(opts).specificRanges(spec)
                        .cqlProtocolVersion(cql).partitionRowLimit(limit).build());
    }

    static Arbitrary<PartitionSliceV2> slicesV2() {
        Arbitrary<SpecificRangesV2> specific = Combinators.combine(partitionKeys(), Grid.boundRanges().list().ofMaxSize(3))
                .as(SpecificRangesV2::new);
        return Combinators.combine(Grid.boundRanges().list().ofMaxSize(4), columns(), columns(), options(),
                specific.injectNull(0.4), unsigned64())
                .as((ranges, st, reg, opts, spec, limit) -> PartitionSliceV2.builder().defaultRowRanges(ranges)
                        .staticColumns(st).regularColumns(reg).options(opts).specificRanges(spec)
                        .partitionRowLimit(limit).build());
    }

    static Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }

    static Arbitrary<TraceInfo> traces() {
        return Combinators.combine(uuids(), Arbitraries.of(TraceInfo.Type.values()), Arbitraries.of(true, false),
                Arbitraries.longs(), Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(0), Arbitraries.longs(),
                Arbitraries.longs()).as(TraceInfo::new);
    }

    static Arbitrary<MaxResultSize> maxResultSizes() {
        return Combinators.combine(Arbitraries.longs().between(0, 1L << 40), Arbitraries.longs().between(0, 1L << 20),
                Arbitraries.longs().between(0, 1L << 30))
                .as((soft, extra, page) -> new MaxResultSize(soft, soft + extra, page));
    }

    /** Commands with coordinator-local fields left at their defaults (they are not serialized). */
    static Arbitrary<ReadCommand> commands() {
        Arbitrary<ReadCommand.Builder> head = Combinators.combine(uuids(), uuids(), slices(), unsigned64(),
                Arbitraries.longs().between(-1L << 40, 1L << 40).map(Instant::ofEpochSecond))
                .as((t, v, s, rl, ts) -> ReadCommand.builder().tableId(t).schemaVersion(v).slice(s).rowLimit(rl).timestamp(ts));
        return Combinators.combine(head, traces().injectNull(0.5), Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                uuids(), Arbitraries.of(true, false), maxResultSizes().injectNull(0.4), unsigned64())
                .as((b, tr, pl, q, fp, mrs, tl) -> b.traceInfo(tr).partitionLimit(pl).queryId(q).firstPage(fp)
                        .maxResultSize(mrs).tombstoneLimit(tl).build());
    }
}
