package dev.braid.bench;

import dev.braid.bench.harness.Scenario;
import dev.braid.bench.run.ClientCommand;
import dev.braid.bench.run.JfrCommand;
import dev.braid.bench.run.Matrix;
import dev.braid.bench.run.ReportCommand;
import dev.braid.bench.run.Results;
import dev.braid.bench.run.ServerCommand;
import dev.braid.bench.systems.SystemKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid bench}: braid against gRPC-Java, Go DRPC and raw Netty, multiplexed against
 * connection-per-stream, each server in its own process pinned to one core and each client
 * in its own process pinned to the other. See bench/README.md.
 */
@Command(name = "braid bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs the RPC benchmark matrix: every selected system x executor x scenario x "
            + "payload x calls in flight, as a closed loop (warm-up, then a measured phase).",
        "Each server runs in its own process (taskset -c 0), each cell's client in a fresh "
            + "one (taskset -c 1). Every response is verified; a cell with an error is "
            + "reported as an error, never as a figure.",
        "Writes --out FILE.json (the issue's shape) plus FILE-details.json, FILE.md and "
            + "FILE.svg."},
    subcommands = {ServerCommand.class, ClientCommand.class, ReportCommand.class,
        JfrCommand.class, dev.braid.bench.micro.AllocCommand.class})
public final class BenchMain implements Callable<Integer> {
  @Option(names = "--systems", split = ",", paramLabel = "SYSTEM",
      description = "Systems (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = SystemNames.class)
  List<String> systems;

  @Option(names = "--executors", split = ",", paramLabel = "EXECUTOR",
      description = "direct and/or pool (default both); go-drpc and raw-netty always run "
          + "their single mode")
  List<String> executors;

  @Option(names = "--scenarios", split = ",", paramLabel = "SCENARIO",
      description = "unary, server-stream, bidi (default: all)")
  List<String> scenarios;

  @Option(names = "--payloads", split = ",", paramLabel = "SIZE",
      description = "Unary payload sizes (default 0,1KiB,64KiB); suffixes k/KiB, m/MiB")
  List<String> payloads;

  @Option(names = "--inflight", split = ",", paramLabel = "N",
      description = "Calls in flight (default 1,16,64,256)")
  List<Integer> inflight;

  @Option(names = "--stream-payload", paramLabel = "SIZE", defaultValue = "1MiB",
      description = "Server-stream message size (default ${DEFAULT-VALUE})")
  String streamPayload;

  @Option(names = "--stream-messages", paramLabel = "N", defaultValue = "16",
      description = "Messages per server-streaming call (default ${DEFAULT-VALUE})")
  int streamMessages;

  @Option(names = "--bidi-payload", paramLabel = "SIZE", defaultValue = "1KiB",
      description = "Bidi ping-pong message size (default ${DEFAULT-VALUE})")
  String bidiPayload;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3",
      description = "Warm-up per cell (default ${DEFAULT-VALUE} s)")
  double warmup;

  @Option(names = "--measure", paramLabel = "SECONDS", defaultValue = "5",
      description = "Measured phase per cell (default ${DEFAULT-VALUE} s)")
  double measure;

  @Option(names = "--jit-warmup", paramLabel = "SECONDS", defaultValue = "5",
      description = "Each new client JVM first runs unary calls at 64 in flight for this "
          + "long, unmeasured, to warm its JIT and the server's (default ${DEFAULT-VALUE} s)")
  double jitWarmup;

  @Option(names = "--jit-settle", paramLabel = "SECONDS", defaultValue = "30",
      description = "Before the first cell of each scenario and payload in a client JVM, run "
          + "that cell's calls in 1 s chunks until neither JVM's JIT compiled for 20 ms in "
          + "one, for at most this long; 0 turns it off (default ${DEFAULT-VALUE} s)")
  double jitSettle;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
      description = "Runs per cell; the median by throughput is kept (default 1)")
  int repeat;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "1",
      description = "Passes of the whole matrix, one after the other; per cell the median "
          + "pass is reported (spreads noise over time, unlike --repeat) (default 1)")
  int runs;

  @Option(names = "--no-pin", description = "Do not pin processes with taskset")
  boolean noPin;

  @Option(names = "--jvm-opts", paramLabel = "OPTS",
      defaultValue = "-Xms2g -Xmx2g -XX:+UseParallelGC",
      description = "Options of the server and client JVMs (default: ${DEFAULT-VALUE})")
  String jvmOpts;

  @Option(names = "--jfr", paramLabel = "DIR",
      description = "Record every child JVM with JFR (1 ms method sampling) into DIR")
  Path jfr;

  @Option(names = "--out", paramLabel = "FILE.json",
      description = "Write results: FILE.json, FILE-details.json, FILE.md, FILE.svg")
  Path out;

  @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
      description = "Progress bar: auto (when stdout is a terminal), always, never")
  String progress;

  @Option(names = "--go-dir", paramLabel = "DIR",
      description = "The Go peer (default: braid-interop/go-bench of this checkout)")
  Path goDir;

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Child processes' standard error (default: a temporary directory)")
  Path logDir;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    rememberArgs(args);
    CommandLine cl = new CommandLine(new BenchMain());
    System.exit(cl.execute(args));
  }

  static String original;

  @Override
  public Integer call() throws Exception {
    Matrix.Config cfg = new Matrix.Config();
    if (systems != null) {
      cfg.systems = systems.stream().map(SystemKind::parse).toList();
    }
    if (executors != null) {
      for (String e : executors) {
        if (!e.equals("direct") && !e.equals("pool")) {
          throw new CommandLine.ParameterException(new CommandLine(this),
              "--executors: expected direct or pool, got " + e);
        }
      }
      cfg.executors = executors;
    }
    if (scenarios != null) {
      cfg.scenarios = scenarios.stream().map(Scenario::parse).toList();
    }
    if (payloads != null) {
      cfg.unaryPayloads = payloads.stream().map(BenchMain::size).toList();
    }
    if (inflight != null) {
      cfg.inflight = inflight;
    }
    cfg.streamPayload = size(streamPayload);
    cfg.streamMessages = streamMessages;
    cfg.bidiPayload = size(bidiPayload);
    cfg.warmupMillis = Math.round(warmup * 1000);
    cfg.measureMillis = Math.round(measure * 1000);
    cfg.firstWarmupMillis = Math.round(jitWarmup * 1000);
    cfg.settleMaxMillis = Math.round(jitSettle * 1000);
    cfg.repeat = Math.max(1, repeat);
    cfg.pin = !noPin;
    cfg.jvmOptions = List.of(jvmOpts.trim().split("\\s+"));
    cfg.jfrDir = jfr;
    cfg.logDir = logDir;
    cfg.goDir = goDir != null ? goDir : defaultGoDir();
    cfg.progressBar = switch (progress.toLowerCase(Locale.ROOT)) {
      case "always" -> true;
      case "never" -> false;
      default -> System.console() != null;
    };
    cfg.command = "braid bench" + (original == null ? "" : " " + original);
    List<Results> passes = new ArrayList<>();
    for (int i = 1; i <= Math.max(1, runs); i++) {
      if (runs > 1) {
        System.out.println("braid bench: pass " + i + " of " + runs);
      }
      Results pass = new Matrix(cfg).run();
      passes.add(pass);
      if (out != null && runs > 1) {
        String name = out.getFileName().toString().replaceFirst("\\.json$", "");
        Path details = out.resolveSibling(name + "-pass" + i + "-details.json");
        Files.createDirectories(details.toAbsolutePath().getParent());
        Files.writeString(details, dev.braid.bench.harness.Json.prettyRows(
            pass.toDetailsJson()));
        System.out.println("wrote " + details);
      }
    }
    Results res = Results.median(passes);
    if (out != null) {
      for (Path p : res.writeAll(out)) {
        System.out.println("wrote " + p);
      }
    }
    long failed = res.runs.stream().filter(r -> !r.ok()).count();
    if (failed > 0) {
      System.out.println(failed + " of " + res.runs.size() + " cells failed (see above)");
    }
    return failed > 0 ? 1 : 0;
  }

  /** Parses 0, 1024, 1k, 1KiB, 64k, 1m, 1MiB. */
  static int size(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    int mult = 1;
    if (t.endsWith("k")) {
      mult = 1024;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 1 << 20;
      t = t.substring(0, t.length() - 1);
    }
    return Math.multiplyExact(Integer.parseInt(t.trim()), mult);
  }

  static Path defaultGoDir() {
    List<Path> roots = new ArrayList<>();
    String root = System.getProperty("braid.root");
    if (root != null) {
      roots.add(Path.of(root));
    }
    roots.add(Path.of("").toAbsolutePath());
    try {
      Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      // <root>/braid-bench/target/benchmarks.jar or <root>/braid-bench/target/classes
      roots.add(jar.getParent().getParent().getParent());
    } catch (Exception e) {
      // no code source
    }
    for (Path r : roots) {
      Path d = r.resolve("braid-interop/go-bench");
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    return roots.get(0).resolve("braid-interop/go-bench");
  }

  /** Completion candidates for --systems. */
  static final class SystemNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    SystemNames() {
      super(SystemKind.labels());
    }
  }

  /** Keeps the command line for the results' metadata. */
  public static void rememberArgs(String[] args) {
    original = String.join(" ", args);
  }
}
