package dev.braid.node;

/**
 * A node could not start: its message is one line naming the cause (a refusal such as a locked
 * or newer data directory, an unknown feature, a seed that is not a braid node, a release the
 * cluster does not admit). Nothing is left running when it is thrown.
 */
public class NodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with its one-line message. */
  public NodeException(String message) {
    super(message);
  }

  /** A failure with its one-line message and cause. */
  public NodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
