package dev.braid.cli;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.testing.EchoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Spec;

/**
 * {@code braid serve --listen HOST:PORT}: hosts the raw-bytes test service
 * {@code braid.test.Echo} until the process is interrupted (or, in process, until the
 * running thread is interrupted). Prints {@code listening on HOST:PORT} with the bound port
 * on standard output once it accepts connections; connections are logged on standard error.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Hosts the test service braid.test.Echo until interrupted.",
        "Prints 'listening on HOST:PORT' once ready (port 0 picks a free port)."})
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  /** How long shutting down lets calls in flight finish. */
  static final Duration GRACE = Duration.ofSeconds(5);

  @Spec
  private CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
      converter = CliValues.AddressConverter.class,
      description = "Where to listen (default: ${DEFAULT-VALUE}).")
  private InetSocketAddress listen;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BraidServer server;
    try {
      server = BraidServer.builder().listen(listen)
          .addService(new EchoService().definition())
          .gracePeriod(GRACE)
          .build().start();
    } catch (IOException e) {
      err.println("braid serve: cannot listen on " + CliValues.format(listen) + ": "
          + CliValues.rootMessage(e));
      err.flush();
      return 1;
    }

    CountDownLatch closed = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      log.info("shutting down: letting calls in flight finish (at most {} s)", GRACE.toSeconds());
      server.close();
      log.info("stopped");
      closed.countDown();
    }, "braid-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    // an Error on an engine thread stops the server: then exit non-zero at once
    server.onTermination().whenComplete((v, failure) -> {
      if (failure != null) {
        closed.countDown();
      }
    });
    out.println("listening on " + CliValues.format(server.address()));
    out.flush();
    try {
      closed.await();
      if (server.onTermination().isCompletedExceptionally()) {
        err.println("braid serve: stopped by a fatal error: "
            + CliValues.rootMessage(server.onTermination().handle((v, t) -> t).join()));
        err.flush();
        return 1;
      }
    } catch (InterruptedException e) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is closing the server already
      }
      log.info("interrupted: shutting down");
      server.close();
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
