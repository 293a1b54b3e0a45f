package dev.braid.query.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.EmptyValue;
import dev.braid.query.FullPosition;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSlice;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.TestGenerators;
import dev.braid.query.proto.Position;
import dev.braid.query.proto.Uuid;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class QueryCodecProperties {
    private static final ClusteringSchema GRID = ClusteringSchema.parse("int, int, int");
    private static final ClusteringSchema ALL_TYPES = ClusteringSchema.parse(
            "int asc, bigint desc, text, blob desc, boolean, double, uuid desc, timestamp");
    private final QueryCodec codec = QueryCodec.forSchema(GRID);

    @Provide
    Arbitrary<ReadCommand> commands() {
        return TestGenerators.commands();
    }

    @Provide
    Arbitrary<PartitionSliceV2> slicesV2() {
        return TestGenerators.slicesV2();
    }

    @Provide
    Arbitrary<PositionInPartition> positions() {
        return TestGenerators.positions();
    }

    @Provide
    Arbitrary<ClusteringPrefix> typedPrefixes() {
        Arbitrary<Object> empty = Arbitraries.just(EmptyValue.INSTANCE);
        List<Arbitrary<Object>> cols = List.of(
                Arbitraries.oneOf(Arbitraries.integers().map(x -> (Object) x), empty),
                Arbitraries.oneOf(Arbitraries.longs().map(x -> (Object) x), empty),
                Arbitraries.strings().ofMaxLength(8).map(x -> (Object) x),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(5).map(b -> (Object) Bytes.of(b)),
                Arbitraries.of(true, false).map(x -> (Object) x),
                Arbitraries.oneOf(Arbitraries.doubles().map(x -> (Object) x), Arbitraries.of(Double.NaN, -0.0, Double.NEGATIVE_INFINITY)),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((a, b) -> (Object) new UUID(a, b)),
                Arbitraries.longs().between(-1L << 45, 1L << 45).map(x -> (Object) Instant.ofEpochMilli(x)));
        return Arbitraries.integers().between(0, cols.size()).flatMap(n -> {
            if (n == 0) {
                return Arbitraries.just(ClusteringPrefix.empty());
            }
            return Combinators.combine(cols.subList(0, n)).as(ClusteringPrefix::of);
        });
    }

    @Property(tries = 200)
    void commandsRoundTripThroughProtoV1AndV2(@ForAll("commands") ReadCommand v1) {
        assertThat(codec.readCommandFromBytes(codec.toBytes(v1))).isEqualTo(v1);
        ReadCommandV2 v2 = ReadCommandV2.fromLegacy(v1);
        assertThat(codec.readCommandV2FromBytes(codec.toBytes(v2))).isEqualTo(v2);
        ReadCommandV2 rev = v2.reversed();
        assertThat(codec.readCommandV2FromBytes(codec.toBytes(rev))).isEqualTo(rev);
        // v1 -> v2 -> wire -> v2 -> v1
        ReadCommand back = codec.readCommandV2FromBytes(codec.toBytes(v2)).toLegacy(GRID);
        assertThat(back).isEqualTo(v2.toLegacy(GRID));
    }

    @Property(tries = 200)
    void slicesRoundTrip(@ForAll("slicesV2") PartitionSliceV2 v2) {
        assertThat(codec.decode(codec.encode(v2))).isEqualTo(v2);
        PartitionSlice v1 = v2.toLegacy(GRID);
        assertThat(codec.decode(codec.encode(v1))).isEqualTo(v1);
    }

    @Property(tries = 200)
    void positionsRoundTrip(@ForAll("positions") PositionInPartition p) {
        assertThat(codec.decode(codec.encode(p))).isEqualTo(p);
        FullPosition fp = new FullPosition(PartitionKey.of(Bytes.of((byte) 1, (byte) 2)), p);
        assertThat(codec.decode(codec.encode(fp))).isEqualTo(fp);
    }

    @Property(tries = 300)
    void typedPrefixesRoundTripAndKeepTheirOrder(@ForAll("typedPrefixes") ClusteringPrefix a,
            @ForAll("typedPrefixes") ClusteringPrefix b) {
        QueryCodec typed = QueryCodec.forSchema(ALL_TYPES);
        ClusteringPrefix a2 = typed.decode(typed.encode(a));
        assertThat(a2).isEqualTo(a);
        PositionRange r = PositionRange.of(PositionInPartition.beforeKey(a), PositionInPartition.afterAllPrefixed(b));
        assertThat(typed.decode(typed.encode(r))).isEqualTo(r);
        assertThat(Integer.signum(ALL_TYPES.compareCommonPrefix(typed.decode(typed.encode(a)), typed.decode(typed.encode(b)))))
                .isEqualTo(Integer.signum(ALL_TYPES.compareCommonPrefix(a, b)));
        ClusteringRange legacy = ClusteringRange.between(ClusteringRange.Bound.inclusive(a), ClusteringRange.Bound.exclusive(b));
        assertThat(typed.decode(typed.encode(legacy))).isEqualTo(legacy);
        assertThat(typed.decode(typed.encode(ClusteringRange.singular(a)))).isEqualTo(ClusteringRange.singular(a));
    }

    private static final Uuid ID = Uuid.newBuilder().setMsb(1).setLsb(2).build();

    @Example
    void absentFieldsTakeTheDocumentedDefaults() {
        dev.braid.query.proto.ReadCommand minimal = dev.braid.query.proto.ReadCommand.newBuilder()
                .setCfId(ID).setSchemaVersion(ID).setSlice(dev.braid.query.proto.PartitionSlice.getDefaultInstance())
                .setRowLimitLowBits(100).setTimestamp(42).build();
        ReadCommand c = codec.decode(minimal);
        assertThat(c.rowLimit()).isEqualTo(100);
        assertThat(c.timestamp()).isEqualTo(Instant.ofEpochSecond(42));
        assertThat(c.traceInfo()).isEmpty();
        assertThat(c.partitionLimit()).isEqualTo(0xFFFF_FFFFL);
        assertThat(c.queryId()).isEqualTo(new UUID(0, 0));
        assertThat(c.isFirstPage()).isFalse();
        assertThat(c.maxResultSize()).isEmpty();
        assertThat(c.tombstoneLimit()).isEqualTo(-1L);
        assertThat(c.slice().partitionRowLimit()).isEqualTo(0xFFFF_FFFFL);
        assertThat(c.slice().cqlProtocolVersion()).isEqualTo(4);
        assertThat(c.slice().defaultRowRanges()).isEmpty();
        assertThat(c.slice().specificRanges()).isEmpty();
        dev.braid.query.proto.MaxResultSize mrs = dev.braid.query.proto.MaxResultSize.newBuilder()
                .setSoftLimit(1).setHardLimit(2).build();
        assertThat(QueryCodec.decode(mrs).pageSize()).isZero();
        // default-valued fields are omitted by the encoder
        ReadCommand defaults = ReadCommand.builder().tableId(new UUID(1, 2)).schemaVersion(new UUID(1, 2))
                .slice(PartitionSlice.builder().build()).timestamp(Instant.EPOCH).build();
        dev.braid.query.proto.ReadCommand enc = codec.encode(defaults);
        assertThat(enc.hasPartitionLimit() || enc.hasTombstoneLimit() || enc.hasQueryUuid() || enc.hasMaxResultSize())
                .isFalse();
        assertThat(codec.decode(enc)).isEqualTo(defaults);
    }

    @Example
    void coordinatorLocalFieldsAreNotSerialized() {
        ReadCommand c = ReadCommand.builder().tableId(new UUID(1, 2)).schemaVersion(new UUID(3, 4))
                .slice(PartitionSlice.builder().build()).timestamp(Instant.EPOCH).readTimestamp(777).allowLimit(true).build();
        ReadCommand decoded = codec.readCommandFromBytes(codec.toBytes(c));
        assertThat(decoded.readTimestamp()).isEqualTo(ReadCommand.MISSING_TIMESTAMP);
        assertThat(decoded.allowLimit()).isFalse();
        assertThat(decoded).isEqualTo(c.toBuilder().readTimestamp(ReadCommand.MISSING_TIMESTAMP).allowLimit(false).build());
    }

    @Example
    void malformedMessagesAreRejected() {
        assertThatThrownBy(() -> codec.decode(dev.braid.query.proto.PartitionSlice.newBuilder().setOptions(1L << 40).build()))
                .hasMessageContaining("unknown partition-slice option bits");
        assertThatThrownBy(() -> codec.decode(Position.newBuilder().setRegion(7).build()))
                .hasMessageContaining("unknown partition region");
        assertThatThrownBy(() -> codec.decode(Position.newBuilder().setRegion(2).setWeight(2)
                .setKey(dev.braid.query.proto.ClusteringPrefix.getDefaultInstance()).build()))
                .hasMessageContaining("bound weight");
        assertThatThrownBy(() -> codec.decode(Position.newBuilder().setRegion(2).build()))
                .hasMessageContaining("without a key");
        assertThatThrownBy(() -> codec.decode(Position.newBuilder().setRegion(1)
                .setKey(dev.braid.query.proto.ClusteringPrefix.getDefaultInstance()).build()))
                .hasMessageContaining("cannot have a key");
        assertThatThrownBy(() -> codec.decode(dev.braid.query.proto.ClusteringPrefix.newBuilder()
                .addComponents(ByteString.copyFrom(new byte[3])).build()))
                .hasMessageContaining("int value must be 4 bytes");
        assertThatThrownBy(() -> codec.decode(dev.braid.query.proto.ClusteringPrefix.newBuilder()
                .addComponents(ByteString.EMPTY).addComponents(ByteString.EMPTY).addComponents(ByteString.EMPTY)
                .addComponents(ByteString.EMPTY).build()))
                .hasMessageContaining("schema has 3 columns");
        dev.braid.query.proto.PartitionSliceV2 staticRange = dev.braid.query.proto.PartitionSliceV2.newBuilder()
                .addDefaultRowRanges(codec.encode(PositionRange.forStaticRow())).build();
        assertThatThrownBy(() -> codec.decode(staticRange)).hasMessageContaining("non-clustered bound");
        assertThatThrownBy(() -> codec.decode(dev.braid.query.proto.ReadCommandV2.newBuilder().setCfId(ID).build()))
                .hasMessageContaining("missing schema_version");
        assertThatThrownBy(() -> codec.readCommandFromBytes(new byte[] {(byte) 0xff, 1}))
                .hasMessageContaining("malformed ReadCommand");
    }
}
