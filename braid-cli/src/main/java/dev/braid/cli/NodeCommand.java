package dev.braid.cli;

import dev.braid.store.ReplicaServer;
import dev.braid.store.StoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code braid node --data DIR --listen HOST:PORT}: runs one replica (braid-store) on a data
 * directory, serving {@code braid.store.Replica} until SIGTERM/SIGINT, then shuts down cleanly
 * (calls in flight finish, the WAL is synced, the directory lock is released). Prints {@code
 * ready on HOST:PORT} (or, with {@code --format json}, {@code {"ready":"HOST:PORT"}}) once it
 * serves. Refuses, with exit code 1 and a message, a data directory written by a newer format or
 * locked by another node.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Runs one braid-store replica on a data directory until terminated.",
        "Prints 'ready on HOST:PORT' once serving (port 0 picks a free port)."})
final class NodeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);
  static final Duration GRACE = Duration.ofSeconds(5);

  @Spec
  private CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", required = true,
      description = "The data directory (created if missing).")
  private Path data;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9042",
      converter = CliValues.AddressConverter.class,
      description = "Where to listen (default: ${DEFAULT-VALUE}).")
  private InetSocketAddress listen;

  @Option(names = "--sync", paramLabel = "POLICY", defaultValue = "periodic",
      description = "WAL sync: 'periodic' (default; fsync every second) or 'every-write'.")
  private String sync;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output: text (default) or json.")
  private String format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoreOptions options = StoreOptions.defaults();
    switch (sync) {
      case "periodic" -> options = options.withSyncPolicy(StoreOptions.SyncPolicy.PERIODIC);
      case "every-write" -> options = options.withSyncPolicy(StoreOptions.SyncPolicy.EVERY_WRITE);
      default -> {
        err.println("braid node: --sync must be 'periodic' or 'every-write', got '" + sync + "'");
        err.flush();
        return 2;
      }
    }
    ReplicaServer node;
    try {
      node = ReplicaServer.start(data, listen, options, GRACE);
    } catch (IOException e) {
      err.println("braid node: " + CliValues.rootMessage(e));
      err.flush();
      return 1;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("shutting down: letting calls in flight finish (at most {} s)", GRACE.toSeconds());
      node.close();
      log.info("stopped");
      closed.countDown();
    }, "braid-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String addr = CliValues.format(node.address());
    out.println("json".equals(format) ? "{\"ready\":\"" + addr + "\"}" : "ready on " + addr);
    out.flush();
    try {
      closed.await();
    } catch (InterruptedException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is closing the node already
      }
      node.close();
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
