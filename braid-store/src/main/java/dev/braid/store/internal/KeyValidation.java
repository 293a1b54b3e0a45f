package dev.braid.store.internal;

import dev.braid.query.ClusteringType;
import dev.braid.query.PartitionKey;
import dev.braid.store.InvalidRequestException;
import dev.braid.store.Limits;
import dev.braid.store.Murmur3Token;
import dev.braid.store.TableSchema;

/** Validation of keys and values received from peers and users. Stateless. */
public final class KeyValidation {
  private KeyValidation() {}

  /**
   * Validates a partition key against the table (component count, types, lengths, non-empty
   * single-column key); returns its serialized form.
   */
  public static byte[] validateKey(TableSchema t, PartitionKey key) {
    int n = t.partitionKeyColumns().size();
    if (key.components().size() != n) {
      throw new InvalidRequestException("partition key of " + t + " has " + n
          + " component(s), got "
          + key.components().size());
    }
    for (int i = 0; i < n; i++) {
      byte[] c = key.components().get(i).toByteArray();
      String col = t.partitionKeyColumns().get(i).getName();
      if (c.length > Limits.MAX_KEY_BYTES) {
        throw new InvalidRequestException("Key length of " + c.length
            + " is longer than maximum of "
            + Limits.MAX_KEY_BYTES + " (column " + col + ")");
      }
      if (c.length == 0 && n == 1) {
        throw new InvalidRequestException("Key may not be empty");
      }
      decodeValue(t.partitionKeyType(i), c, col);
    }
    byte[] s = Murmur3Token.serialize(key);
    if (s.length > Limits.MAX_KEY_BYTES) {
      throw new InvalidRequestException("Key length of " + s.length + " is longer than maximum of "
          + Limits.MAX_KEY_BYTES);
    }
    return s;
  }

  /** Decodes a value of {@code type}, failing with a message naming the column. */
  public static Object decodeValue(ClusteringType type, byte[] v, String column) {
    try {
      return type.decode(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("invalid value for column " + column + " of type " + type
          + ": " + e.getMessage(), e);
    }
  }
}
