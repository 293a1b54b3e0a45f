package dev.braid.cli;

import dev.braid.node.Node;
import dev.braid.node.NodeException;
import dev.braid.store.StoreOptions;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code braid node --data DIR --listen HOST:PORT [--seed HOST:PORT]… [--release N]
 * [--disable-features F,…] [--raft-port P]}: runs one braid node (braid-node: a braid-store
 * replica and a braid-cluster member) until SIGTERM/SIGINT, then shuts down cleanly (replica
 * calls in flight finish, Raft stops, the WAL is synced, the directory lock is released).
 * Without seeds it bootstraps a new cluster; with seeds it joins (or, with Raft state in its
 * directory, rejoins). Prints {@code ready on HOST:PORT} (or, with {@code --format json}, {@code
 * {"ready": "HOST:PORT", "raft": "HOST:PORT", "host_id": "…"}}) once it serves and is normal.
 * A refusal (newer or locked directory, unknown feature, a seed that is nothing or no braid
 * node, a release the cluster does not admit, …) prints one line on standard error and exits
 * with 1; a bad option value exits with 2.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Runs one braid node (replica and cluster member) until terminated.",
        "Prints 'ready on HOST:PORT' once it serves and is normal in its cluster."})
final class NodeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);
  static final Duration GRACE = Duration.ofSeconds(5);

  @Spec
  private CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR", required = true,
      description = "The data directory (created if missing; store/ and cluster/ inside).")
  private Path data;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9042",
      converter = CliValues.AddressConverter.class,
      description = "The braid RPC address: cluster and replica services (default:"
          + " ${DEFAULT-VALUE}; port 0 picks one).")
  private InetSocketAddress listen;

  @Option(names = "--seed", paramLabel = "HOST:PORT",
      description = "An existing node to join through (repeatable); none bootstraps a cluster.")
  private List<String> seeds = new ArrayList<>();

  @Option(names = "--release", paramLabel = "N", defaultValue = "2",
      description = "The release to run as: 1 (v1 read verbs only), 2 (both; default),"
          + " 3 (v2 only; needs POSITION_RANGE enabled).")
  private int release;

  @Option(names = "--disable-features", paramLabel = "F", split = ",",
      description = "Features not to advertise, comma-separated (e.g. POSITION_RANGE).")
  private List<String> disabled = new ArrayList<>();

  @Option(names = "--raft-port", paramLabel = "P", defaultValue = "0",
      description = "Ratis's own port on the listen host (default: the one recorded in DIR,"
          + " or a free one on first start, then recorded).")
  private int raftPort;

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
        return usage(err, "--sync must be 'periodic' or 'every-write', got '" + sync + "'");
      }
    }
    if (!format.equals("text") && !format.equals("json")) {
      return usage(err, "--format must be text or json, got '" + format + "'");
    }
    if (raftPort < 0 || raftPort > 65535) {
      return usage(err, "--raft-port must be 1 to 65535 (or 0: recorded or automatic)");
    }
    Node node;
    try {
      node = Node.builder().dataDir(data).listen(listen.getHostString(), listen.getPort())
          .raftPort(raftPort).seeds(seeds).release(release)
          .disabledFeatures(disabled.stream().map(String::trim).filter(s -> !s.isEmpty())
              .toList())
          .storeOptions(options).gracePeriod(GRACE).start();
    } catch (NodeException e) {
      err.println("braid node: " + e.getMessage());
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
    String addr = node.address();
    out.println("json".equals(format)
        ? "{\"ready\": \"" + addr + "\", \"raft\": \"" + node.raftAddress()
            + "\", \"host_id\": \"" + node.hostId() + "\"}"
        : "ready on " + addr);
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

  private static int usage(PrintWriter err, String message) {
    err.println("braid node: " + message);
    err.flush();
    return 2;
  }
}
