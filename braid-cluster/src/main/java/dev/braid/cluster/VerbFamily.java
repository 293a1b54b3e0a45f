package dev.braid.cluster;

/** A family of verbs: one operation, in several wire versions (see {@link Verb}). */
public enum VerbFamily {
  READ_DATA,
  READ_MUTATION_DATA,
  READ_DIGEST
}
