package dev.braid.bench.run;

import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.CellRunner;
import dev.braid.bench.harness.Json;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.systems.SystemKind;
import dev.braid.bench.systems.Systems;
import dev.braid.rpc.ClientConnection;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid bench client}: runs one cell against a running server and reports on
 * standard output, one line each: {@code PROGRESS phase elapsed_ms phase_ms completed}
 * (every 200 ms), {@code PHASE measure} and {@code PHASE end} around the measured phase,
 * and finally {@code RESULT <json>}. The Go peer's client speaks the same lines.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Run one benchmark cell against a running server (the harness starts "
        + "these itself).")
public final class ClientCommand implements Callable<Integer> {
  @Option(names = "--system", required = true)
  String system;

  @Option(names = "--executor")
  String executor;

  @Option(names = "--addr", required = true, description = "HOST:PORT of the server")
  String addr;

  @Option(names = "--scenario", defaultValue = "unary",
      description = "unary, server-stream or bidi")
  String scenario;

  @Option(names = "--payload", defaultValue = "0", description = "Message size in bytes")
  int payload;

  @Option(names = "--inflight", defaultValue = "1", description = "Calls kept in flight")
  int inflight;

  @Option(names = "--messages", defaultValue = "16",
      description = "Messages per server-streaming call")
  int messages;

  @Option(names = "--warmup-ms", defaultValue = "3000")
  long warmupMs;

  @Option(names = "--measure-ms", defaultValue = "5000")
  long measureMs;

  @Option(names = "--serve", description = "Run cells read from standard input, one JSON "
      + "object per line ({\"scenario\", \"payload\", \"inflight\", \"messages\", "
      + "\"warmup_ms\", \"measure_ms\"}), until its end: one JVM for many cells")
  boolean serve;

  @Override
  public Integer call() throws java.io.IOException {
    SystemKind kind = SystemKind.parse(system);
    String ex = executor != null ? executor : kind.executors().get(0);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
    if (!serve) {
      run(kind, new Cell(kind.label(), ex, Scenario.parse(scenario), payload, inflight,
          messages, warmupMs, measureMs), out);
      return 0;
    }
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
        System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      Cell cell;
      try {
        java.util.Map<String, Object> m = Json.parseObject(line);
        cell = new Cell(kind.label(), ex, Scenario.parse((String) m.get("scenario")),
            num(m, "payload"), num(m, "inflight"), num(m, "messages"),
            num(m, "warmup_ms"), num(m, "measure_ms"));
      } catch (RuntimeException e) {
        out.println("RESULT " + Json.write(java.util.Map.of("system", kind.label(),
            "executor", ex, "scenario", "unary", "error", "bad cell request: " + e)));
        continue;
      }
      run(kind, cell, out);
      System.gc(); // start the next cell from a clean heap
    }
    return 0;
  }

  private static int num(java.util.Map<String, Object> m, String k) {
    Object v = m.get(k);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("missing " + k);
    }
    return n.intValue();
  }

  private void run(SystemKind kind, Cell cell, PrintStream out) {
    CellResult r = CellRunner.run(Systems.client(kind, ClientConnection.parseAddress(addr), cell),
        cell, new CellRunner.Listener() {
          @Override
          public void progress(String phase, long elapsed, long total, long completed) {
            out.println("PROGRESS " + phase + " " + elapsed + " " + total + " " + completed);
          }

          @Override
          public void phase(String phase) {
            out.println("PHASE " + phase);
          }
        });
    out.println("RESULT " + Json.write(r.toDetails()));
    out.flush();
  }
}
