package dev.braid.store;

import com.google.protobuf.ByteString;
import dev.braid.query.Bytes;
import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.query.PartitionSliceV2;
import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.SliceOption;
import dev.braid.query.SliceOptions;
import dev.braid.query.codec.QueryCodec;
import dev.braid.store.proto.Cell;
import dev.braid.store.proto.ColumnDef;
import dev.braid.store.proto.ColumnKind;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.LivenessInfo;
import dev.braid.store.proto.Mutation;
import dev.braid.store.proto.Row;
import dev.braid.store.proto.TableDef;
import java.time.Instant;
import java.util.List;

/** Table {@code ks.t (k int, c int, s text static, v text, w int, PRIMARY KEY (k, c))} and helpers. */
final class Fixtures {
  private Fixtures() {}

  static KeyspaceDef keyspace(String name) {
    return KeyspaceDef.newBuilder().setName(name).setReplicationClass("SimpleStrategy")
        .setReplicationFactor(1).build();
  }

  static TableDef table(String ks, String name) {
    return TableDef.newBuilder().setKeyspace(ks).setName(name)
        .addColumns(ColumnDef.newBuilder().setName("k").setType("int").setKind(ColumnKind.PARTITION_KEY))
        .addColumns(ColumnDef.newBuilder().setName("c").setType("int").setKind(ColumnKind.CLUSTERING))
        .addColumns(ColumnDef.newBuilder().setName("s").setType("text").setKind(ColumnKind.STATIC))
        .addColumns(ColumnDef.newBuilder().setName("v").setType("text").setKind(ColumnKind.REGULAR))
        .addColumns(ColumnDef.newBuilder().setName("w").setType("int").setKind(ColumnKind.REGULAR))
        .build();
  }

  static PartitionKey key(int k) {
    return PartitionKey.of(Bytes.of(ClusteringType.INT.encode(k)));
  }

  static ByteString i(int v) {
    return ByteString.copyFrom(ClusteringType.INT.encode(v));
  }

  static ByteString s(String v) {
    return ByteString.copyFrom(ClusteringType.TEXT.encode(v));
  }

  /** INSERT INTO t (k, c, v) VALUES (k, c, v) USING TIMESTAMP ts. */
  static Mutation insert(TableSchema t, int k, int c, String v, long ts) {
    return Mutation.newBuilder().setTableId(TableSchema.Uuids.toProto(t.id()))
        .setKey(QueryCodec.encode(key(k)))
        .addRows(Row.newBuilder().addClustering(i(c)).setMarker(LivenessInfo.newBuilder().setTimestamp(ts))
            .addCells(Cell.newBuilder().setColumn(0).setTimestamp(ts).setValue(s(v))))
        .build();
  }

  /** SELECT v, w (and s) over the given ranges, at {@code now}. */
  static ReadCommandV2 select(TableSchema t, List<PositionRange> ranges, boolean reversed,
      long now) {
    PartitionSliceV2 slice =
        PartitionSliceV2.builder().defaultRowRanges(ranges).staticColumns(List.of(0))
        .regularColumns(List.of(0, 1)).options(SliceOptions.of(SliceOption.SEND_CLUSTERING_KEY,
            SliceOption.SEND_PARTITION_KEY)).build();
    if (reversed) {
      slice = slice.reversed();
    }
    return ReadCommandV2.builder().tableId(t.id()).schemaVersion(reversed ? t.reversedVersion()
        : t.version())
        .slice(slice).timestamp(Instant.ofEpochSecond(now)).build();
  }
}
