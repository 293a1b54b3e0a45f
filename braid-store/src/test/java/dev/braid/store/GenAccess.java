package dev.braid.store;

import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringSchema;
import java.util.Random;

/** Public access to {@link Gen} for tests in other packages. */
public final class GenAccess {
  private GenAccess() {}

  /** See {@link Gen#schema}. */
  public static ClusteringSchema schema(Random r, int min, int max) {
    return Gen.schema(r, min, max);
  }

  /** See {@link Gen#prefix}. */
  public static ClusteringPrefix prefix(Random r, ClusteringSchema s, int len, boolean allowEmpty) {
    return Gen.prefix(r, s, len, allowEmpty);
  }
}
