package dev.braid.cql.plan;

/** The consistency levels the shell accepts. */
public enum Consistency {
  /** One replica. */
  ONE,
  /** A majority of replicas. */
  QUORUM,
  /** Every replica. */
  ALL
}
