package dev.braid.bench.systems;

import dev.braid.bench.harness.Scenario;
import java.util.List;

/**
 * The systems compared, each with the dispatch configurations ("executors") it runs in.
 *
 * <ul>
 *   <li>{@code direct}: server handlers and client callbacks run on the I/O thread (braid:
 *       {@code BraidServer.builder().executor(Runnable::run)} and
 *       {@code ClientConnection.builder().callbackExecutor(Runnable::run)}; gRPC:
 *       {@code directExecutor()} on server and channel).
 *   <li>{@code pool}: each framework's default thread pool on both sides.
 *   <li>{@code goroutines}: Go DRPC's only model (a goroutine per connection and stream).
 *   <li>{@code event-loop}: raw Netty, everything on the I/O thread.
 * </ul>
 *
 * <p>braid's streaming API is blocking (a handler thread per stream, a client thread per
 * stream), so braid's streaming scenarios run only in {@code pool}.
 */
public enum SystemKind {
  BRAID_MUX("braid-mux", List.of("direct", "pool")),
  BRAID_CONN_PER_STREAM("braid-conn-per-stream", List.of("direct", "pool")),
  GRPC_JAVA("grpc-java", List.of("direct", "pool")),
  GO_DRPC("go-drpc", List.of("goroutines")),
  RAW_NETTY("raw-netty", List.of("event-loop"));

  private final String label;
  private final List<String> executors;

  SystemKind(String label, List<String> executors) {
    this.label = label;
    this.executors = executors;
  }

  public String label() {
    return label;
  }

  /** The dispatch configurations this system runs in. */
  public List<String> executors() {
    return executors;
  }

  /** Whether the server and client are Go programs rather than this JVM's code. */
  public boolean isGo() {
    return this == GO_DRPC;
  }

  /** Whether {@code scenario} can run with {@code executor}. */
  public boolean supports(String executor, Scenario scenario) {
    if (!executors.contains(executor)) {
      return false;
    }
    boolean braid = this == BRAID_MUX || this == BRAID_CONN_PER_STREAM;
    return !(braid && executor.equals("direct") && scenario != Scenario.UNARY);
  }

  /** The message encoding on the wire, for the results' notes. */
  public String encoding() {
    return switch (this) {
      case BRAID_MUX, BRAID_CONN_PER_STREAM, GRPC_JAVA -> "protobuf (bench.proto Msg)";
      case GO_DRPC -> "raw bytes (drpc.Encoding that copies the payload)";
      case RAW_NETTY -> "raw bytes (13-byte frame header: length, op, tag)";
    };
  }

  /** How connections are used. */
  public String connectionModel() {
    return switch (this) {
      case BRAID_MUX -> "one connection, negotiated multiplexing";
      case BRAID_CONN_PER_STREAM -> "one connection per call in flight, Multiplexing.OFF";
      case GRPC_JAVA -> "one channel (one HTTP/2 connection)";
      case GO_DRPC -> "one drpcconn per call in flight (drpc v1.0.0 runs one stream at a time)";
      case RAW_NETTY -> "one connection, calls pipelined and matched by tag";
    };
  }

  public static SystemKind parse(String s) {
    for (SystemKind k : values()) {
      if (k.label.equalsIgnoreCase(s) || k.name().equalsIgnoreCase(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown system '" + s + "' (expected one of "
        + String.join(", ", labels()) + ")");
  }

  public static List<String> labels() {
    return java.util.Arrays.stream(values()).map(SystemKind::label).toList();
  }

  @Override
  public String toString() {
    return label;
  }
}
