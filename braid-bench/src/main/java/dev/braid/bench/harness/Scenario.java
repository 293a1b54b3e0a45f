package dev.braid.bench.harness;

import java.util.Locale;

/** What a cell measures. */
public enum Scenario {
  /** Unary echo: one request, the same bytes back. One call = one round trip. */
  UNARY("unary"),
  /**
   * Server streaming: a small request asks for {@code messagesPerCall} messages of
   * {@code payloadBytes}, and a new stream follows as soon as one ends. Counted per
   * message: one "call" is one message received and verified, its latency the time since
   * the previous message of the same stream (or since the request, for the first). Streams
   * are counted to the message so that throughput stays exact when thousands of megabytes
   * are in flight and few streams end inside the measured phase.
   */
  STREAM("server-stream"),
  /** Bidirectional ping-pong: streams stay open; one call = one message and its echo. */
  BIDI("bidi");

  private final String label;

  Scenario(String label) {
    this.label = label;
  }

  /** The name used on the command line and in results. */
  public String label() {
    return label;
  }

  /** Parses a label (or the enum name, any case). */
  public static Scenario parse(String s) {
    for (Scenario sc : values()) {
      if (sc.label.equalsIgnoreCase(s) || sc.name().equalsIgnoreCase(s)) {
        return sc;
      }
    }
    if (s.toLowerCase(Locale.ROOT).equals("stream")) {
      return STREAM;
    }
    throw new IllegalArgumentException("unknown scenario '" + s
        + "' (expected unary, server-stream or bidi)");
  }

  @Override
  public String toString() {
    return label;
  }
}
