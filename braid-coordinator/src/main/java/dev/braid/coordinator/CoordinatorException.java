package dev.braid.coordinator;

/**
 * A request the coordinator could not complete at its consistency level. The subclasses are the
 * client-visible kinds: {@link Unavailable} (nothing was sent), {@link WriteTimeout},
 * {@link ReadTimeout} and {@link ReplicaError}.
 */
public class CoordinatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CoordinatorException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Not enough live replicas for the consistency level; no replica was contacted. */
  public static final class Unavailable extends CoordinatorException {
    private static final long serialVersionUID = 1L;
    public final ConsistencyLevel cl;
    public final int required;
    public final int alive;

    Unavailable(ConsistencyLevel cl, int required, int alive) {
      super("Cannot achieve consistency level " + cl + ": " + required + " replicas required, "
          + alive + " alive", null);
      this.cl = cl;
      this.required = required;
      this.alive = alive;
    }
  }

  /** A write that did not reach its consistency level in time; it may be applied or not. */
  public static final class WriteTimeout extends CoordinatorException {
    private static final long serialVersionUID = 1L;
    public final ConsistencyLevel cl;
    public final int acknowledged;
    public final int required;

    WriteTimeout(ConsistencyLevel cl, int acknowledged, int required) {
      super("Operation timed out - received only " + acknowledged + " responses of " + required
          + " required at consistency " + cl, null);
      this.cl = cl;
      this.acknowledged = acknowledged;
      this.required = required;
    }
  }

  /** A read that did not get enough responses (or repair acknowledgements) in time. */
  public static final class ReadTimeout extends CoordinatorException {
    private static final long serialVersionUID = 1L;
    public final ConsistencyLevel cl;
    public final int received;
    public final int required;

    ReadTimeout(ConsistencyLevel cl, int received, int required, String what) {
      super("Operation timed out - received only " + received + " responses of " + required
          + " required at consistency " + cl + " (" + what + ")", null);
      this.cl = cl;
      this.received = received;
      this.required = required;
    }
  }

  /** Too many replicas failed (a replica-level error or an RPC failure) for the level. */
  public static final class ReplicaError extends CoordinatorException {
    private static final long serialVersionUID = 1L;

    ReplicaError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
