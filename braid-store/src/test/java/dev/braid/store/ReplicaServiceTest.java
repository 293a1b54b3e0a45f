package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.query.PositionRange;
import dev.braid.query.ReadCommandV2;
import dev.braid.query.codec.QueryCodec;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Code;
import dev.braid.rpc.StatusException;
import dev.braid.store.proto.CreateKeyspaceRequest;
import dev.braid.store.proto.CreateTableRequest;
import dev.braid.store.proto.DescribeSchemaRequest;
import dev.braid.store.proto.FencingToken;
import dev.braid.store.proto.MutateRequest;
import dev.braid.store.proto.ReadDataRequest;
import dev.braid.store.proto.ReadDataResponse;
import dev.braid.store.proto.ReadDataV2Request;
import dev.braid.store.proto.ReadDigestRequest;
import dev.braid.store.proto.ReadDigestResponse;
import dev.braid.store.proto.ReadDigestV2Request;
import dev.braid.store.proto.ReadMutationDataResponse;
import dev.braid.store.proto.ReadMutationDataV2Request;
import dev.braid.store.proto.RateLimitInfo;
import dev.braid.store.proto.ReplicaBraid;
import dev.braid.store.proto.TableDef;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Replica service over braid on loopback: every verb, typed failures, validation. */
class ReplicaServiceTest {
  static Path dir;
  static ReplicaServer server;
  static ClientConnection conn;
  static ReplicaBraid.Client client;
  static TableSchema t;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("braid-store-svc");
    server = ReplicaServer.start(dir, new InetSocketAddress("127.0.0.1", 0), StoreOptions.defaults(),
        Duration.ofSeconds(2));
    conn = ClientConnection.connect("127.0.0.1:" + server.address().getPort());
    client = ReplicaBraid.newClient(conn);
    client.createKeyspace(CreateKeyspaceRequest.newBuilder().setKeyspace(Fixtures.keyspace("ks")).build());
    TableDef def = client.createTable(CreateTableRequest.newBuilder().setTable(Fixtures.table("ks", "t")).build())
        .getTable();
    t = TableSchema.load(def);
    client.mutate(MutateRequest.newBuilder().addMutations(Fixtures.insert(t, 1, 1, "a", 10))
        .addMutations(Fixtures.insert(t, 1, 2, "b", 10)).addMutations(Fixtures.insert(t, 1, 3, "c", 10))
        .build());
  }

  @AfterAll
  static void stop() throws Exception {
    conn.close();
    server.close();
    TestFiles.deleteRecursively(dir);
  }

  static ReadCommandV2 all(boolean reversed) {
    return Fixtures.select(t, List.of(PositionRange.allClusteredRows()), reversed, 1000);
  }

  QueryCodec codec() {
    return QueryCodec.forSchema(t.clusteringSchema());
  }

  @Test
  void v1AndV2VerbsAgree() throws Exception {
    ReadCommandV2 cmd = all(false);
    ReadDataResponse v2 = client.readDataV2(ReadDataV2Request.newBuilder().setCommand(codec().encode(cmd))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1))).setDigestAlgorithm(3).build());
    ReadDataResponse v1 = client.readData(ReadDataRequest.newBuilder()
        .setCommand(codec().encode(cmd.toLegacy(t.clusteringSchema())))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1))).setDigestAlgorithm(3).build());
    assertThat(v2.hasException()).isFalse();
    assertThat(v2.getResult().getRowCount()).isEqualTo(3);
    assertThat(v1.getResult()).isEqualTo(v2.getResult());
    assertThat(v1.getDigest()).isEqualTo(v2.getDigest());
    assertThat(v2.getDigest().size()).isEqualTo(16);
    ReadDigestResponse d = client.readDigestV2(ReadDigestV2Request.newBuilder().setCommand(codec().encode(cmd))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1))).setDigestAlgorithm(3).build());
    assertThat(d.getDigest()).isEqualTo(v2.getDigest());
    assertThat(d.getLastModified()).isEqualTo(10);
    ReadDigestResponse d1 = client.readDigest(ReadDigestRequest.newBuilder()
        .setCommand(codec().encode(cmd.toLegacy(t.clusteringSchema())))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1))).setDigestAlgorithm(3).build());
    assertThat(d1.getDigest()).isEqualTo(v2.getDigest());
  }

  @Test
  void reversedReadReturnsRowsInReverse() throws Exception {
    ReadCommandV2 cmd = all(true);
    ReadDataResponse r = client.readDataV2(ReadDataV2Request.newBuilder()
        .setCommand(QueryCodec.forSchema(t.clusteringSchema().reversed()).encode(cmd))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1))).build());
    assertThat(r.getResult().getPartitions(0).getRowsList()).extracting(x -> x.getClustering(0))
        .containsExactly(Fixtures.i(3), Fixtures.i(2), Fixtures.i(1));
    assertThat(r.getDigest().isEmpty()).isTrue();
  }

  @Test
  void mutationDataIncludesTombstones() throws Exception {
    ReadMutationDataResponse m = client.readMutationDataV2(ReadMutationDataV2Request.newBuilder()
        .setCommand(codec().encode(all(false))).setRange(PartitionRanges.all()).build());
    assertThat(m.getResult().getPartitions(0).getRowsCount()).isEqualTo(3);
    assertThat(m.getResult().getRowCount()).isEqualTo(3);
  }

  @Test
  void badDigestAlgorithmIsATypedError() {
    assertThatThrownBy(() -> client.readDataV2(ReadDataV2Request.newBuilder().setCommand(codec().encode(all(false)))
        .setRange(PartitionRanges.all()).setDigestAlgorithm(1).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
          assertThat(e.getMessage()).contains("unknown digest algorithm 1");
        });
  }

  @Test
  void unknownTableAndStaleTopologyComeBackInsideTheResponse() throws Exception {
    ReadCommandV2 other = all(false).toBuilder().tableId(UUID.randomUUID()).build();
    ReadDataResponse r = client.readDataV2(ReadDataV2Request.newBuilder().setCommand(codec().encode(other))
        .setRange(PartitionRanges.all()).build());
    assertThat(r.getException().hasUnknownTable()).isTrue();
    server.engine().setTopologyVersion(5);
    try {
      ReadDataResponse s = client.readDataV2(ReadDataV2Request.newBuilder().setCommand(codec().encode(all(false)))
          .setRange(PartitionRanges.all()).setFence(FencingToken.newBuilder().setTopologyVersion(4)).build());
      assertThat(s.getException().getStaleTopology().getCurrentVersion()).isEqualTo(5);
    } finally {
      server.engine().setTopologyVersion(0);
    }
    ReadDataResponse v = client.readDataV2(ReadDataV2Request.newBuilder()
        .setCommand(codec().encode(all(false).toBuilder().schemaVersion(UUID.randomUUID()).build()))
        .setRange(PartitionRanges.all()).build());
    assertThat(v.getException().hasUnknownSchemaVersion()).isTrue();
  }

  @Test
  void malformedRequestsFailThatCallOnly() throws Exception {
    dev.braid.query.proto.ReadCommandV2 bad = codec().encode(all(false)).toBuilder()
        .setSlice(codec().encode(all(false)).getSlice().toBuilder().setRegularColumns(0, 9)).build();
    assertThatThrownBy(() -> client.readDataV2(ReadDataV2Request.newBuilder().setCommand(bad)
        .setRange(PartitionRanges.all()).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
          assertThat(e.getMessage()).contains("unknown regular column id 9");
        });
    dev.braid.query.proto.ReadCommandV2 badBits = codec().encode(all(false)).toBuilder()
        .setSlice(codec().encode(all(false)).getSlice().toBuilder().setOptions(1L << 40)).build();
    assertThatThrownBy(() -> client.readDataV2(ReadDataV2Request.newBuilder().setCommand(badBits)
        .setRange(PartitionRanges.all()).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("unknown"));
    assertThatThrownBy(() -> client.readDataV2(ReadDataV2Request.newBuilder().setCommand(codec().encode(all(false)))
        .setRange(PartitionRanges.tokenRange(100, -100)).build()))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("wrapping"));
    assertThatThrownBy(() -> client.mutate(MutateRequest.newBuilder()
        .addMutations(Fixtures.insert(t, 1, 1, "x", 1).toBuilder().setRows(0,
            Fixtures.insert(t, 1, 1, "x", 1).getRows(0).toBuilder().setCells(0,
                Fixtures.insert(t, 1, 1, "x", 1).getRows(0).getCells(0).toBuilder()
                    .setValue(com.google.protobuf.ByteString.copyFrom(new byte[Limits.MAX_VALUE_BYTES + 1])))))
        .build()))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).contains("limit is"));
    // still serving
    assertThat(client.describeSchema(DescribeSchemaRequest.getDefaultInstance()).getTablesCount()).isEqualTo(1);
  }

  @Test
  void perPartitionRateLimitIsEnforcedOrOnlyAccounted() throws Exception {
    TableDef def = client.createTable(CreateTableRequest.newBuilder().setTable(Fixtures.table("ks", "limited")
        .toBuilder().setMaxReadsPerSecond(1)).build()).getTable();
    TableSchema lt = TableSchema.load(def);
    ReadCommandV2 cmd = Fixtures.select(lt, List.of(PositionRange.allClusteredRows()), false, 1000);
    ReadDataV2Request.Builder req = ReadDataV2Request.newBuilder()
        .setCommand(QueryCodec.forSchema(lt.clusteringSchema()).encode(cmd))
        .setRange(PartitionRanges.singlePartition(Fixtures.key(1)));
    RateLimitInfo enforce = RateLimitInfo.newBuilder().setKind(RateLimitInfo.Kind.ACCOUNT_AND_ENFORCE).build();
    RateLimitInfo account = RateLimitInfo.newBuilder().setKind(RateLimitInfo.Kind.ACCOUNT_ONLY).build();
    assertThat(client.readDataV2(req.setRateLimit(enforce).build()).hasException()).isFalse();
    assertThat(client.readDataV2(req.setRateLimit(account).build()).hasException()).isFalse();
    assertThat(client.readDataV2(req.setRateLimit(enforce).build()).getException().hasRateLimited()).isTrue();
    assertThat(client.readDataV2(req.clearRateLimit().build()).hasException()).isFalse();
  }

  @Test
  void zeroLimitsReturnNothing() throws Exception {
    assertThat(server.engine().readData(all(false).toBuilder().rowLimit(0).build(), PartitionRanges.all(), false, 0,
        Long.MAX_VALUE).result().getRowCount()).isZero();
  }

  @Test
  void aPassedDeadlineStopsTheRead() {
    assertThatThrownBy(() -> server.engine().readData(all(false), PartitionRanges.all(), false, 0,
        System.nanoTime() - 1)).isInstanceOf(DeadlineExceededException.class);
  }
}
