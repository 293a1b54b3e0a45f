package dev.braid.cluster;

/** A node could not start, join or carry out an operator's command; the message says why. */
public class ClusterException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
