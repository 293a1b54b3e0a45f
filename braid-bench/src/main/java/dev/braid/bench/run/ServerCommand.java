package dev.braid.bench.run;

import dev.braid.bench.harness.ProcessStats;
import dev.braid.bench.systems.BenchServer;
import dev.braid.bench.systems.Faults;
import dev.braid.bench.systems.SystemKind;
import dev.braid.bench.systems.Systems;
import dev.braid.rpc.ClientConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid bench server}: one system's server, for the harness to start in its own
 * (pinned) process. Prints {@code LISTEN host:port} once listening; then answers each
 * {@code STATS} line on standard input with a {@link ProcessStats} line, and exits at the
 * end of standard input (so it never outlives the harness).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run one system's benchmark server (the harness starts these itself).")
public final class ServerCommand implements Callable<Integer> {
  @Option(names = "--system", required = true, description = "braid-mux, "
      + "braid-conn-per-stream, grpc-java or raw-netty (go-drpc is a Go program)")
  String system;

  @Option(names = "--executor", description = "direct, pool or event-loop "
      + "(default: the system's first)")
  String executor;

  @Option(names = "--listen", defaultValue = "127.0.0.1:0", description = "HOST:PORT")
  String listen;

  @Option(names = "--corrupt-every", defaultValue = "0",
      description = "Corrupt every N-th message sent (tests only); 0: never")
  long corruptEvery;

  @Override
  public Integer call() throws Exception {
    SystemKind kind = SystemKind.parse(system);
    String ex = executor != null ? executor : kind.executors().get(0);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
    try (BenchServer server = Systems.server(kind, ex, ClientConnection.parseAddress(listen),
        new Faults(corruptEvery))) {
      out.println("LISTEN " + server.address().getHostString() + ":"
          + server.address().getPort());
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.trim().equals("STATS")) {
          out.println(ProcessStats.now().line());
        }
      }
    }
    return 0;
  }
}
