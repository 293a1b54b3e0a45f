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

  @Override
  public Integer call() {
    SystemKind kind = SystemKind.parse(system);
    String ex = executor != null ? executor : kind.executors().get(0);
    Cell cell = new Cell(kind.label(), ex, Scenario.parse(scenario), payload, inflight,
        messages, warmupMs, measureMs);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
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
    return 0;
  }
}
