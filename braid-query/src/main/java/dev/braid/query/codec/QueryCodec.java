package dev.braid.query.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.braid.query.BoundWeight;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.FullPosition;
import dev.braid.query.MaxResultSize;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionRegion;
import dev.braid.query.PartitionSlice;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommand;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOptions;
import dev.braid.query.SpecificRanges;
import dev.braid.query.SpecificRangesV2;
import dev.braid.query.TraceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Encodes the query types to their protobuf messages and decodes them back. Clustering-key
 * components are typed, so a codec is bound to the {@link ClusteringSchema} the messages are
 * expressed in (for a reversed command, its reversed schema: only the column types matter).
 *
 * <p>Encoders omit optional fields equal to their absent-default; decoders apply the defaults
 * documented in {@code braid_query.proto} for absent fields, and reject malformed messages
 * (unknown region or weight, a key on a keyless position, unknown option bits, bad component
 * encodings, missing required fields, v2 row ranges that are not clustered ±1 bounds) with
 * {@link IllegalArgumentException}.
 */
public final class QueryCodec {
    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private final ClusteringSchema schema;

    private QueryCodec(ClusteringSchema schema) {
        this.schema = schema;
    }

    /** A codec for messages expressed in {@code schema}. */
    public static QueryCodec forSchema(ClusteringSchema schema) {
        return new QueryCodec(java.util.Objects.requireNonNull(schema, "schema"));
    }

    /** The schema. */
    public ClusteringSchema schema() {
        return schema;
    }

    // ---- keys ----

    /** Encodes a prefix (validated against the schema). */
    public dev.braid.query.proto.ClusteringPrefix encode(ClusteringPrefix prefix) {
        schema.validate(prefix);
        dev.braid.query.proto.ClusteringPrefix.Builder b = dev.braid.query.proto.ClusteringPrefix.newBuilder();
        for (int i = 0; i < prefix.size(); i++) {
            b.addComponents(ByteString.copyFrom(schema.column(i).type().encode(prefix.get(i))));
        }
        return b.build();
    }

    /** Decodes a prefix. */
    public ClusteringPrefix decode(dev.braid.query.proto.ClusteringPrefix m) {
        if (m.getComponentsCount() > schema.size()) {
            throw new IllegalArgumentException("clustering prefix has " + m.getComponentsCount()
                    + " components but the schema has " + schema.size() + " columns");
        }
        Object[] values = new Object[m.getComponentsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = schema.column(i).type().decode(m.getComponents(i).toByteArray());
        }
        return ClusteringPrefix.of(values);
    }

    /** Encodes a partition key. */
    public static dev.braid.query.proto.PartitionKey encode(PartitionKey key) {
        dev.braid.query.proto.PartitionKey.Builder b = dev.braid.query.proto.PartitionKey.newBuilder();
        for (Bytes c : key.components()) {
            b.addComponents(ByteString.copyFrom(c.toByteArray()));
        }
        return b.build();
    }

    /** Decodes a partition key. */
    public static PartitionKey decode(dev.braid.query.proto.PartitionKey m) {
        List<Bytes> cs = new ArrayList<>(m.getComponentsCount());
        for (ByteString c : m.getComponentsList()) {
            cs.add(Bytes.of(c.toByteArray()));
        }
        return new PartitionKey(cs);
    }

    static dev.braid.query.proto.Uuid encode(UUID u) {
        return dev.braid.query.proto.Uuid.newBuilder().setMsb(u.getMostSignificantBits())
                .setLsb(u.getLeastSignificantBits()).build();
    }

    static UUID decode(dev.braid.query.proto.Uuid m) {
        return new UUID(m.getMsb(), m.getLsb());
    }

    // ---- positions and ranges ----

    /** Encodes a position. */
    public dev.braid.query.proto.Position encode(PositionInPartition p) {
        dev.braid.query.proto.Position.Builder b = dev.braid.query.proto.Position.newBuilder()
                .setRegion(p.region().code()).setWeight(p.weight().value());
        if (p.isClustered()) {
            b.setKey(encode(p.key()));
        }
        return b.build();
    }

    /** Decodes a position. */
    public PositionInPartition decode(dev.braid.query.proto.Position m) {
        PartitionRegion region = PartitionRegion.fromCode(m.getRegion());
        BoundWeight weight = BoundWeight.fromValue(m.getWeight());
        if (region == PartitionRegion.CLUSTERED && !m.hasKey()) {
            throw new IllegalArgumentException("clustered position without a key");
        }
        return PositionInPartition.of(region, weight, m.hasKey() ? decode(m.getKey()) : null);
    }

    /** Encodes a position range. */
    public dev.braid.query.proto.PositionRange encode(PositionRange r) {
        return dev.braid.query.proto.PositionRange.newBuilder().setStart(encode(r.start())).setEnd(encode(r.end())).build();
    }

    /** Decodes a position range. */
    public PositionRange decode(dev.braid.query.proto.PositionRange m) {
        if (!m.hasStart() || !m.hasEnd()) {
            throw new IllegalArgumentException("position range without start or end");
        }
        return PositionRange.of(decode(m.getStart()), decode(m.getEnd()));
    }

    /** Encodes a legacy clustering range. */
    public dev.braid.query.proto.ClusteringRange encode(ClusteringRange r) {
        dev.braid.query.proto.ClusteringRange.Builder b = dev.braid.query.proto.ClusteringRange.newBuilder();
        if (r.isSingular()) {
            return b.setSingular(true).setStart(encode(r.start().orElseThrow())).build();
        }
        r.start().ifPresent(s -> b.setStart(encode(s)));
        r.end().ifPresent(e -> b.setEnd(encode(e)));
        return b.build();
    }

    private dev.braid.query.proto.ClusteringBound encode(ClusteringRange.Bound bound) {
        return dev.braid.query.proto.ClusteringBound.newBuilder().setPrefix(encode(bound.prefix()))
                .setInclusive(bound.inclusive()).build();
    }

    /** Decodes a legacy clustering range. */
    public ClusteringRange decode(dev.braid.query.proto.ClusteringRange m) {
        if (m.getSingular()) {
            if (!m.hasStart() || m.hasEnd()) {
                throw new IllegalArgumentException("a singular clustering range carries exactly its start bound");
            }
            return ClusteringRange.singular(decode(m.getStart().getPrefix()));
        }
        Optional<ClusteringRange.Bound> s = m.hasStart()
                ? Optional.of(new ClusteringRange.Bound(decode(m.getStart().getPrefix()), m.getStart().getInclusive()))
                : Optional.empty();
        Optional<ClusteringRange.Bound> e = m.hasEnd()
                ? Optional.of(new ClusteringRange.Bound(decode(m.getEnd().getPrefix()), m.getEnd().getInclusive()))
                : Optional.empty();
        return ClusteringRange.of(s, e);
    }

    /** Encodes a full position. */
    public dev.braid.query.proto.FullPosition encode(FullPosition p) {
        return dev.braid.query.proto.FullPosition.newBuilder().setPartitionKey(encode(p.partitionKey()))
                .setPosition(encode(p.position())).build();
    }

    /** Decodes a full position. */
    public FullPosition decode(dev.braid.query.proto.FullPosition m) {
        if (!m.hasPartitionKey() || !m.hasPosition()) {
            throw new IllegalArgumentException("full position without partition key or position");
        }
        return new FullPosition(decode(m.getPartitionKey()), decode(m.getPosition()));
    }

    // ---- slices ----

    /** Encodes a v1 slice. */
    public dev.braid.query.proto.PartitionSlice encode(PartitionSlice s) {
        dev.braid.query.proto.PartitionSlice.Builder b = dev.braid.query.proto.PartitionSlice.newBuilder();
        s.defaultRowRanges().forEach(r -> b.addDefaultRowRanges(encode(r)));
        b.addAllStaticColumns(s.staticColumns()).addAllRegularColumns(s.regularColumns())
                .setOptions(s.options().mask());
        s.specificRanges().ifPresent(sp -> {
            dev.braid.query.proto.SpecificRanges.Builder sb = dev.braid.query.proto.SpecificRanges.newBuilder()
                    .setPartitionKey(encode(sp.partitionKey()));
            sp.ranges().forEach(r -> sb.addRanges(encode(r)));
            b.setSpecificRanges(sb);
        });
        b.setCqlFormat(dev.braid.query.proto.CqlSerializationFormat.newBuilder().setProtocolVersion(s.cqlProtocolVersion()));
        if ((s.partitionRowLimitLowBits() & UINT32_MAX) != UINT32_MAX) {
            b.setPartitionRowLimitLowBits(s.partitionRowLimitLowBits());
        }
        if (s.partitionRowLimitHighBits() != 0) {
            b.setPartitionRowLimitHighBits(s.partitionRowLimitHighBits());
        }
        return b.build();
    }

    /** Decodes a v1 slice. */
    public PartitionSlice decode(dev.braid.query.proto.PartitionSlice m) {
        PartitionSlice.Builder b = PartitionSlice.builder();
        List<ClusteringRange> ranges = new ArrayList<>(m.getDefaultRowRangesCount());
        m.getDefaultRowRangesList().forEach(r -> ranges.add(decode(r)));
        b.defaultRowRanges(ranges).staticColumns(m.getStaticColumnsList()).regularColumns(m.getRegularColumnsList())
                .options(SliceOptions.fromMask(m.getOptions()));
        if (m.hasSpecificRanges()) {
            List<ClusteringRange> sr = new ArrayList<>();
            m.getSpecificRanges().getRangesList().forEach(r -> sr.add(decode(r)));
            b.specificRanges(new SpecificRanges(decode(m.getSpecificRanges().getPartitionKey()), sr));
        }
        b.cqlProtocolVersion(m.hasCqlFormat() ? m.getCqlFormat().getProtocolVersion() : PartitionSlice.DEFAULT_CQL_PROTOCOL_VERSION);
        b.partitionRowLimit(m.hasPartitionRowLimitLowBits() ? m.getPartitionRowLimitLowBits() : -1,
                m.hasPartitionRowLimitHighBits() ? m.getPartitionRowLimitHighBits() : 0);
        return b.build();
    }

    /** Encodes a v2 slice. */
    public dev.braid.query.proto.PartitionSliceV2 encode(PartitionSliceV2 s) {
        dev.braid.query.proto.PartitionSliceV2.Builder b = dev.braid.query.proto.PartitionSliceV2.newBuilder();
        s.defaultRowRanges().forEach(r -> b.addDefaultRowRanges(encode(r)));
        b.addAllStaticColumns(s.staticColumns()).addAllRegularColumns(s.regularColumns())
                .setOptions(s.options().mask());
        s.specificRanges().ifPresent(sp -> {
            dev.braid.query.proto.SpecificRangesV2.Builder sb = dev.braid.query.proto.SpecificRangesV2.newBuilder()
                    .setPartitionKey(encode(sp.partitionKey()));
            sp.ranges().forEach(r -> sb.addRanges(encode(r)));
            b.setSpecificRanges(sb);
        });
        b.setCqlFormat(dev.braid.query.proto.CqlSerializationFormat.newBuilder().setProtocolVersion(s.cqlProtocolVersion()));
        if ((s.partitionRowLimitLowBits() & UINT32_MAX) != UINT32_MAX) {
            b.setPartitionRowLimitLowBits(s.partitionRowLimitLowBits());
        }
        if (s.partitionRowLimitHighBits() != 0) {
            b.setPartitionRowLimitHighBits(s.partitionRowLimitHighBits());
        }
        return b.build();
    }

    /** Decodes a v2 slice (row ranges must be clustered ±1 bounds). */
    public PartitionSliceV2 decode(dev.braid.query.proto.PartitionSliceV2 m) {
        PartitionSliceV2.Builder b = PartitionSliceV2.builder();
        List<PositionRange> ranges = new ArrayList<>(m.getDefaultRowRangesCount());
        m.getDefaultRowRangesList().forEach(r -> ranges.add(decode(r)));
        b.defaultRowRanges(ranges).staticColumns(m.getStaticColumnsList()).regularColumns(m.getRegularColumnsList())
                .options(SliceOptions.fromMask(m.getOptions()));
        if (m.hasSpecificRanges()) {
            List<PositionRange> sr = new ArrayList<>();
            m.getSpecificRanges().getRangesList().forEach(r -> sr.add(decode(r)));
            b.specificRanges(new SpecificRangesV2(decode(m.getSpecificRanges().getPartitionKey()), sr));
        }
        b.cqlProtocolVersion(m.hasCqlFormat() ? m.getCqlFormat().getProtocolVersion() : PartitionSlice.DEFAULT_CQL_PROTOCOL_VERSION);
        b.partitionRowLimit(m.hasPartitionRowLimitLowBits() ? m.getPartitionRowLimitLowBits() : -1,
                m.hasPartitionRowLimitHighBits() ? m.getPartitionRowLimitHighBits() : 0);
        return b.build();
    }

    // ---- commands ----

    static dev.braid.query.proto.TraceInfo encode(TraceInfo t) {
        return dev.braid.query.proto.TraceInfo.newBuilder().setSessionId(encode(t.sessionId()))
                .setType(t.type().ordinal()).setWriteOnClose(t.writeOnClose()).setStateProps(t.stateProps())
                .setSlowQueryThresholdUs(t.slowQueryThresholdMicros()).setSlowQueryTtlSec(t.slowQueryTtlSeconds())
                .setParentSpanId(t.parentSpanId()).setStartTsUs(t.startTimestampMicros()).build();
    }

    static TraceInfo decode(dev.braid.query.proto.TraceInfo m) {
        if (m.getType() >= TraceInfo.Type.values().length) {
            throw new IllegalArgumentException("unknown trace type " + m.getType());
        }
        if (m.getSlowQueryTtlSec() < 0) {
            throw new IllegalArgumentException("slow query TTL out of range: " + Integer.toUnsignedString(m.getSlowQueryTtlSec()));
        }
        return new TraceInfo(decode(m.getSessionId()), TraceInfo.Type.values()[m.getType()], m.getWriteOnClose(),
                m.getStateProps(), m.getSlowQueryThresholdUs(), m.getSlowQueryTtlSec(), m.getParentSpanId(),
                m.getStartTsUs());
    }

    static dev.braid.query.proto.MaxResultSize encode(MaxResultSize s) {
        dev.braid.query.proto.MaxResultSize.Builder b = dev.braid.query.proto.MaxResultSize.newBuilder()
                .setSoftLimit(s.softLimit()).setHardLimit(s.hardLimit());
        if (s.pageSize() != 0) {
            b.setPageSize(s.pageSize());
        }
        return b.build();
    }

    static MaxResultSize decode(dev.braid.query.proto.MaxResultSize m) {
        return new MaxResultSize(m.getSoftLimit(), m.getHardLimit(), m.hasPageSize() ? m.getPageSize() : 0);
    }

    /** Encodes a v1 command (coordinator-local fields are not serialized). */
    public dev.braid.query.proto.ReadCommand encode(ReadCommand c) {
        dev.braid.query.proto.ReadCommand.Builder b = dev.braid.query.proto.ReadCommand.newBuilder()
                .setCfId(encode(c.tableId())).setSchemaVersion(encode(c.schemaVersion())).setSlice(encode(c.slice()))
                .setRowLimitLowBits(c.rowLimitLowBits()).setTimestamp(c.timestamp().getEpochSecond())
                .setIsFirstPage(c.isFirstPage());
        c.traceInfo().ifPresent(t -> b.setTraceInfo(encode(t)));
        if (c.partitionLimit() != ReadCommand.NO_PARTITION_LIMIT) {
            b.setPartitionLimit((int) c.partitionLimit());
        }
        if (!c.queryId().equals(ReadCommand.NULL_QUERY_ID)) {
            b.setQueryUuid(encode(c.queryId()));
        }
        c.maxResultSize().ifPresent(s -> b.setMaxResultSize(encode(s)));
        if (c.rowLimitHighBits() != 0) {
            b.setRowLimitHighBits(c.rowLimitHighBits());
        }
        if (c.tombstoneLimit() != ReadCommand.NO_TOMBSTONE_LIMIT) {
            b.setTombstoneLimit(c.tombstoneLimit());
        }
        return b.build();
    }

    /** Decodes a v1 command, applying the defaults for absent fields. */
    public ReadCommand decode(dev.braid.query.proto.ReadCommand m) {
        requireHeader(m.hasCfId(), m.hasSchemaVersion(), m.hasSlice());
        return ReadCommand.builder().tableId(decode(m.getCfId())).schemaVersion(decode(m.getSchemaVersion()))
                .slice(decode(m.getSlice()))
                .rowLimit(m.getRowLimitLowBits(), m.hasRowLimitHighBits() ? m.getRowLimitHighBits() : 0)
                .timestamp(Instant.ofEpochSecond(m.getTimestamp()))
                .traceInfo(m.hasTraceInfo() ? decode(m.getTraceInfo()) : null)
                .partitionLimit(m.hasPartitionLimit() ? Integer.toUnsignedLong(m.getPartitionLimit()) : ReadCommand.NO_PARTITION_LIMIT)
                .queryId(m.hasQueryUuid() ? decode(m.getQueryUuid()) : ReadCommand.NULL_QUERY_ID)
                .firstPage(m.getIsFirstPage())
                .maxResultSize(m.hasMaxResultSize() ? decode(m.getMaxResultSize()) : null)
                .tombstoneLimit(m.hasTombstoneLimit() ? m.getTombstoneLimit() : ReadCommand.NO_TOMBSTONE_LIMIT)
                .build();
    }

    /** Encodes a v2 command (coordinator-local fields are not serialized). */
    public dev.braid.query.proto.ReadCommandV2 encode(ReadCommandV2 c) {
        dev.braid.query.proto.ReadCommandV2.Builder b = dev.braid.query.proto.ReadCommandV2.newBuilder()
                .setCfId(encode(c.tableId())).setSchemaVersion(encode(c.schemaVersion())).setSlice(encode(c.slice()))
                .setRowLimitLowBits(c.rowLimitLowBits()).setTimestamp(c.timestamp().getEpochSecond())
                .setIsFirstPage(c.isFirstPage());
        c.traceInfo().ifPresent(t -> b.setTraceInfo(encode(t)));
        if (c.partitionLimit() != ReadCommand.NO_PARTITION_LIMIT) {
            b.setPartitionLimit((int) c.partitionLimit());
        }
        if (!c.queryId().equals(ReadCommand.NULL_QUERY_ID)) {
            b.setQueryUuid(encode(c.queryId()));
        }
        c.maxResultSize().ifPresent(s -> b.setMaxResultSize(encode(s)));
        if (c.rowLimitHighBits() != 0) {
            b.setRowLimitHighBits(c.rowLimitHighBits());
        }
        if (c.tombstoneLimit() != ReadCommand.NO_TOMBSTONE_LIMIT) {
            b.setTombstoneLimit(c.tombstoneLimit());
        }
        return b.build();
    }

    /** Decodes a v2 command, applying the defaults for absent fields. */
    public ReadCommandV2 decode(dev.braid.query.proto.ReadCommandV2 m) {
        requireHeader(m.hasCfId(), m.hasSchemaVersion(), m.hasSlice());
        return ReadCommandV2.builder().tableId(decode(m.getCfId())).schemaVersion(decode(m.getSchemaVersion()))
                .slice(decode(m.getSlice()))
                .rowLimit(m.getRowLimitLowBits(), m.hasRowLimitHighBits() ? m.getRowLimitHighBits() : 0)
                .timestamp(Instant.ofEpochSecond(m.getTimestamp()))
                .traceInfo(m.hasTraceInfo() ? decode(m.getTraceInfo()) : null)
                .partitionLimit(m.hasPartitionLimit() ? Integer.toUnsignedLong(m.getPartitionLimit()) : ReadCommand.NO_PARTITION_LIMIT)
                .queryId(m.hasQueryUuid() ? decode(m.getQueryUuid()) : ReadCommand.NULL_QUERY_ID)
                .firstPage(m.getIsFirstPage())
                .maxResultSize(m.hasMaxResultSize() ? decode(m.getMaxResultSize()) : null)
                .tombstoneLimit(m.hasTombstoneLimit() ? m.getTombstoneLimit() : ReadCommand.NO_TOMBSTONE_LIMIT)
                .build();
    }

    private static void requireHeader(boolean cf, boolean version, boolean slice) {
        if (!cf || !version || !slice) {
            throw new IllegalArgumentException("read command is missing "
                    + (!cf ? "cf_id" : !version ? "schema_version" : "slice"));
        }
    }

    /** Serializes a v1 command. */
    public byte[] toBytes(ReadCommand c) {
        return encode(c).toByteArray();
    }

    /** Serializes a v2 command. */
    public byte[] toBytes(ReadCommandV2 c) {
        return encode(c).toByteArray();
    }

    /**
     * Parses a serialized v1 command.
     *
     * @throws IllegalArgumentException if the bytes are not a valid command
     */
    public ReadCommand readCommandFromBytes(byte[] bytes) {
        try {
            return decode(dev.braid.query.proto.ReadCommand.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed ReadCommand: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a serialized v2 command.
     *
     * @throws IllegalArgumentException if the bytes are not a valid command
     */
    public ReadCommandV2 readCommandV2FromBytes(byte[] bytes) {
        try {
            return decode(dev.braid.query.proto.ReadCommandV2.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed ReadCommandV2: " + e.getMessage(), e);
        }
    }
}
