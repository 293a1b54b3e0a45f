package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.Bytes;
import dev.braid.query.PartitionKey;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.openhft.hashing.LongHashFunction;
import org.junit.jupiter.api.Test;

/**
 * Cassandra Murmur3Partitioner tokens: the vectors of the reference (store-semantics §2.1, §2.4:
 * the DataStax driver's values, several also in Cassandra's and ScyllaDB's tests) and agreement
 * with zero-allocation-hashing's standard MurmurHash3 wherever the two algorithms must agree.
 */
class Murmur3TokenTest {
  static long token(String hex) {
    return Murmur3Token.tokenOfBytes(HexFormat.of().parseHex(hex));
  }

  @Test
  void referenceVectors() {
    assertThat(token("00000000")).isEqualTo(-3485513579396041028L);
    assertThat(token("00000001")).isEqualTo(-4069959284402364209L);
    assertThat(token("0000002a")).isEqualTo(-7160136740246525330L);
    assertThat(token("ffffffff")).isEqualTo(7297452126230313552L);
    assertThat(token("616263")).isEqualTo(-5434086359492102041L);
    assertThat(token("61")).isEqualTo(-8839064797231613815L);
    assertThat(token("0000000000000001")).isEqualTo(6292367497774912474L);
    assertThat(token("ff")).isEqualTo(-4442228696663692417L);
    assertThat(token("0004000000010000016100")).isEqualTo(6516349416904725244L);
    assertThat(token("0001610000040000000100")).isEqualTo(8247712171917364652L);
  }

  @Test
  void compositeKeySerialization() {
    PartitionKey k = PartitionKey.of(Bytes.fromHex("00000001"),
        Bytes.of("a".getBytes(StandardCharsets.UTF_8)));
    assertThat(HexFormat.of().formatHex(Murmur3Token.serialize(k))).isEqualTo("0004000000010000016100");
    assertThat(Murmur3Token.token(k)).isEqualTo(6516349416904725244L);
    assertThat(Murmur3Token.token(PartitionKey.of(Bytes.fromHex("00000001"))))
        .isEqualTo(-4069959284402364209L);
  }

  @Test
  void theLibraryIsTheStandardAlgorithmAndDiffersOnHighTailBytes() {
    LongHashFunction std = LongHashFunction.murmur_3();
    // the reference's canonical (mmh3) values for the same inputs
    assertThat(std.hashBytes(HexFormat.of().parseHex("ff"))).isEqualTo(5177511712917721324L);
    assertThat(std.hashBytes(HexFormat.of().parseHex("ffffffff"))).isEqualTo(4889297221962843713L);
    assertThat(std.hashBytes(HexFormat.of().parseHex("00000001"))).isEqualTo(-4069959284402364209L);
  }

  @Test
  void emptyKeyIsTheMinimumToken() {
    assertThat(Murmur3Token.tokenOfBytes(new byte[0])).isEqualTo(Long.MIN_VALUE);
  }

  @Property(tries = 500)
  void agreesWithTheLibraryWhenNoTailByteIsNegative(@ForAll @Size(max = 70) byte[] key) {
    int tail = key.length & 15;
    boolean signed = false;
    for (int i = key.length - tail; i < key.length; i++) {
      signed |= key[i] < 0;
    }
    long lib = LongHashFunction.murmur_3().hashBytes(key);
    if (key.length == 0) {
      return;
    }
    long expected = lib == Long.MIN_VALUE ? Long.MAX_VALUE : lib;
    if (!signed) {
      assertThat(Murmur3Token.tokenOfBytes(key)).isEqualTo(expected);
    }
  }
}
