package dev.braid.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.query.BoundWeight;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.PartitionRegion;
import dev.braid.query.PositionInPartition;
import dev.braid.store.GenAccess;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Byte order of encoded positions equals the position order of braid-query's {@link
 * ClusteringSchema#compare} (written independently of the encoding), for random positions of
 * random schemas, ASC and DESC columns, empty values, escapes and all weights.
 */
class KeyEncodingProperties {
  static PositionInPartition position(Random r, ClusteringSchema s) {
    int kind = r.nextInt(20);
    if (kind == 0) {
      return PositionInPartition.staticRow();
    }
    if (kind == 1) {
      return PositionInPartition.partitionStart();
    }
    if (kind == 2) {
      return PositionInPartition.partitionEnd();
    }
    int len = r.nextInt(s.size() + 1);
    ClusteringPrefix p = GenAccess.prefix(r, s, len, true);
    BoundWeight w = BoundWeight.fromValue(r.nextInt(3) - 1);
    return PositionInPartition.of(PartitionRegion.CLUSTERED, w, p);
  }

  @Property(tries = 300)
  void byteOrderEqualsPositionOrder(@ForAll long seed) {
    Random r = new Random(seed);
    ClusteringSchema s = GenAccess.schema(r, 0, 3);
    for (int i = 0; i < 200; i++) {
      PositionInPartition a = position(r, s);
      PositionInPartition b = r.nextInt(4) == 0 ? a : position(r, s);
      int expected = Integer.signum(s.compare(a, b));
      int actual = Integer.signum(Arrays.compareUnsigned(KeyCodec.position(s, a),
          KeyCodec.position(s, b)));
      assertThat(actual).as("schema %s: %s vs %s", s, a, b).isEqualTo(expected);
    }
  }

  @Test
  void workedExample() {
    ClusteringSchema s = ClusteringSchema.parse("int asc, text desc");
    assertThat(KeyCodec.hex(KeyCodec.row(s, ClusteringPrefix.of(1, "a"))))
        .isEqualTo("40800000014" + "09eff" + "38");
    assertThat(KeyCodec.hex(KeyCodec.position(s,
        PositionInPartition.beforeKey(ClusteringPrefix.of(1)))))
        .isEqualTo("408000000120");
    assertThat(KeyCodec.hex(KeyCodec.position(s, PositionInPartition.staticRow()))).isEqualTo("18");
    byte[] pk = KeyCodec.partitionPrefix(new java.util.UUID(0, 1), -4069959284402364209L,
        new byte[] {0, 0, 0, 1});
    assertThat(KeyCodec.hex(pk)).isEqualTo("00000000000000000000000000000001"
        + "478499982ae4e0cf" + "00ff00ff00ff01" + "00");
  }
}
