package dev.braid.bench.run;

import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.CellResult;
import dev.braid.bench.harness.CellRunner;
import dev.braid.bench.harness.Json;
import dev.braid.bench.harness.ProcessStats;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.harness.Units;
import dev.braid.bench.systems.SystemKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the matrix: for each system and executor, starts its server in its own process
 * (pinned to {@code serverCpu}), then runs each cell as a fresh client process (pinned to
 * {@code clientCpu}), asking the server for its CPU and allocation counters at the start and
 * end of the measured phase.
 */
public final class Matrix {
  /** Everything a run needs. */
  public static final class Config {
    public List<SystemKind> systems = List.of(SystemKind.values());
    /** Executors to run; empty for every executor of each system. */
    public List<String> executors = List.of();
    public List<Scenario> scenarios = List.of(Scenario.values());
    public List<Integer> unaryPayloads = List.of(0, 1024, 64 * 1024);
    public int streamPayload = 1 << 20;
    public int streamMessages = 16;
    public int bidiPayload = 1024;
    public List<Integer> inflight = List.of(1, 16, 64, 256);
    public long warmupMillis = 3000;
    /**
     * A new client JVM first runs unary calls at 64 in flight for this long, unmeasured, so
     * that its JIT (and the server's) is warm before the first measured cell; 0: never.
     */
    public long firstWarmupMillis = 5000;
    /**
     * The first cell of each scenario and payload in a client JVM is preceded by the same
     * calls in {@link #SETTLE_CHUNK_MILLIS} chunks until neither JVM's JIT compiled for more
     * than {@link #QUIET_JIT_MILLIS} in a chunk, for at most this long; 0: never.
     */
    public long settleMaxMillis = 30_000;
    public long measureMillis = 5000;
    public int repeat = 1;
    public boolean pin = true;
    public int serverCpu = 0;
    public int clientCpu = 1;
    public List<String> jvmOptions = List.of("-Xms2g", "-Xmx2g", "-XX:+UseParallelGC");
    /** The class path of child JVMs. */
    public String classPath = System.getProperty("java.class.path");
    public Path goDir;
    /** Directory for JFR recordings of the child JVMs, or null. */
    public Path jfrDir;
    public Path logDir;
    public boolean progressBar;
    public PrintStream out = System.out;
    public String command;
    /** Extra arguments for server processes (the tests' fault injection). */
    public List<String> serverArgs = List.of();
  }

  private final Config cfg;
  private final boolean pinning;
  private int done;
  private int total;

  public Matrix(Config cfg) {
    this.cfg = cfg;
    this.pinning = cfg.pin && Pinning.available(cfg.serverCpu, cfg.clientCpu);
  }

  /** The cells of the run, grouped by (system, executor) in order. */
  public List<Cell> plan() {
    List<Cell> cells = new ArrayList<>();
    for (SystemKind k : cfg.systems) {
      for (String ex : k.executors()) {
        // systems with a single mode (go-drpc, raw-netty) always run it
        if (!cfg.executors.isEmpty() && k.executors().size() > 1
            && !cfg.executors.contains(ex)) {
          continue;
        }
        for (Scenario sc : cfg.scenarios) {
          if (!k.supports(ex, sc)) {
            continue;
          }
          List<Integer> payloads = switch (sc) {
            case UNARY -> cfg.unaryPayloads;
            case STREAM -> List.of(cfg.streamPayload);
            case BIDI -> List.of(cfg.bidiPayload);
          };
          for (int p : payloads) {
            for (int n : cfg.inflight) {
              cells.add(new Cell(k.label(), ex, sc, p, n, cfg.streamMessages,
                  cfg.warmupMillis, cfg.measureMillis));
            }
          }
        }
      }
    }
    return cells;
  }

  /** Runs every planned cell; never throws for a failed cell (it becomes an error result). */
  public Results run() throws IOException, InterruptedException {
    String date = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString();
    Map<String, Object> machine = Machine.describe(cfg, pinning);
    double loadBefore = CellRunner.loadAverage();
    List<Cell> cells = plan();
    total = cells.size() * cfg.repeat;
    if (cfg.logDir == null) {
      cfg.logDir = Files.createTempDirectory("braid-bench-logs");
    }
    Files.createDirectories(cfg.logDir);
    if (cfg.jfrDir != null) {
      Files.createDirectories(cfg.jfrDir);
    }
    cfg.out.printf("braid bench: %d cells x %d, %d s warm-up + %d s measured each "
            + "(about %d min); pinning: %s; logs in %s%n", cells.size(), cfg.repeat,
        cfg.warmupMillis / 1000, cfg.measureMillis / 1000,
        Math.round(cells.size() * cfg.repeat * (cfg.warmupMillis + cfg.measureMillis + 1500)
            / 60000.0), pinning ? "server cpu " + cfg.serverCpu + ", client cpu "
            + cfg.clientCpu : "off", cfg.logDir);
    List<CellResult> results = new ArrayList<>();
    int i = 0;
    while (i < cells.size()) {
      Cell first = cells.get(i);
      int j = i;
      while (j < cells.size() && cells.get(j).system().equals(first.system())
          && cells.get(j).executor().equals(first.executor())) {
        j++;
      }
      results.addAll(runGroup(cells.subList(i, j)));
      i = j;
    }
    machine.put("load_average_before", loadBefore);
    machine.put("load_average_after", CellRunner.loadAverage());
    return new Results(machine, date, results);
  }

  private List<CellResult> runGroup(List<Cell> cells) throws InterruptedException {
    Cell first = cells.get(0);
    SystemKind kind = SystemKind.parse(first.system());
    List<CellResult> out = new ArrayList<>();
    ServerProcess server;
    try {
      server = ServerProcess.start(this, kind, first.executor());
    } catch (IOException e) {
      for (Cell c : cells) {
        for (int r = 0; r < cfg.repeat; r++) {
          done++;
        }
        CellResult res = CellResult.of(c).fail("server did not start: " + e.getMessage());
        report(c, res);
        out.add(res);
      }
      return out;
    }
    try {
      for (Cell c : cells) {
        List<CellResult> reps = new ArrayList<>();
        for (int r = 0; r < cfg.repeat; r++) {
          done++;
          CellResult res = runClient(c, server);
          reps.add(res);
          Thread.sleep(300); // let the server settle (connections close)
          if (!server.alive()) {
            break;
          }
        }
        CellResult pick = median(reps);
        report(c, pick);
        out.add(pick);
        if (!server.alive()) {
          String why = "server exited (" + server.logTail() + ")";
          for (Cell rest : cells.subList(cells.indexOf(c) + 1, cells.size())) {
            CellResult res = CellResult.of(rest).fail(why);
            report(rest, res);
            out.add(res);
          }
          break;
        }
      }
    } finally {
      if (client != null) {
        client.kill();
        client = null;
      }
      server.stop();
    }
    return out;
  }

  /** The repeat with the median throughput; any failed repeat fails the cell. */
  static CellResult median(List<CellResult> reps) {
    for (CellResult r : reps) {
      if (!r.ok()) {
        return r;
      }
    }
    List<CellResult> s = new ArrayList<>(reps);
    s.sort(Comparator.comparingDouble(r -> r.callsPerS));
    CellResult m = s.get(s.size() / 2);
    if (reps.size() > 1) {
      m.repeats = reps.stream().map(r -> r.callsPerS).toList();
    }
    return m;
  }

  private void report(Cell c, CellResult r) {
    if (cfg.progressBar) {
      cfg.out.print("\r\033[K");
    }
    String fig = r.ok()
        ? String.format(java.util.Locale.ROOT, "%12s calls/s %9.1f MiB/s  p50 %9s us  p99 %9s"
            + " us  conns %d", Units.rate(r.callsPerS), r.mibPerS, Units.micros(r.p50Us),
            Units.micros(r.p99Us), r.connections)
        : "ERROR " + r.error;
    cfg.out.printf("[%3d/%d] %-48s %s%n", done, total, c.label(), fig);
    cfg.out.flush();
  }

  /**
   * Runs cell {@code c}: Go in a fresh bench-client process; JVM systems in the group's
   * long-lived client JVM (started on first use, restarted after a failure), so that the
   * JIT's work carries over between cells as it would in a service.
   */
  CellResult runClient(Cell c, ServerProcess server) throws InterruptedException {
    SystemKind kind = SystemKind.parse(c.system());
    if (kind.isGo()) {
      List<String> cmd = new ArrayList<>(pin(cfg.clientCpu));
      cmd.add(cfg.goDir.resolve("bin/bench-client").toString());
      cmd.addAll(List.of("-addr", server.address, "-scenario", c.scenario().label(),
          "-payload", String.valueOf(c.payloadBytes()), "-inflight",
          String.valueOf(c.inflight()), "-messages", String.valueOf(c.messagesPerCall()),
          "-warmup-ms", String.valueOf(c.warmupMillis()), "-measure-ms",
          String.valueOf(c.measureMillis())));
      Path log = cfg.logDir.resolve("client-" + fileName(c) + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
      pb.environment().put("GOMAXPROCS", pinning ? "1" : String.valueOf(
          Runtime.getRuntime().availableProcessors()));
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        return CellResult.of(c).fail("client did not start: " + e.getMessage());
      }
      try {
        return exchange(c, server, p, log, false);
      } finally {
        try {
          p.getOutputStream().close();
        } catch (IOException e) {
          // gone
        }
      }
    }
    if (client == null || !client.process.isAlive()) {
      try {
        client = ClientProcess.start(this, kind, c.executor(), server.address);
      } catch (IOException e) {
        return CellResult.of(c).fail("client did not start: " + e.getMessage());
      }
      if (cfg.firstWarmupMillis > 0) {
        // A new JVM: warm its JIT (and the server's) with unary calls at 64 in flight, so
        // that the first measured cell, often 1 in flight, does not run on cold code.
        Cell warm = new Cell(c.system(), c.executor(), Scenario.UNARY,
            cfg.unaryPayloads.isEmpty() ? 0 : cfg.unaryPayloads.get(0), 64, 1,
            cfg.firstWarmupMillis, 500);
        CellResult w = send(warm, server);
        if (!w.ok() && !client.process.isAlive()) {
          return CellResult.of(c).fail("client died while warming up: " + w.error);
        }
      }
    }
    long settled = cfg.settleMaxMillis > 0
        && client.settled.add(c.scenario() + "/" + c.payloadBytes()) ? settle(c, server) : 0;
    CellResult r = send(c, server);
    r.settleSeconds = settled / 1000.0;
    return r;
  }

  /** The length of one settling chunk. */
  static final long SETTLE_CHUNK_MILLIS = 1000;
  /** JIT time in a chunk (both JVMs together) below which the code counts as compiled. */
  static final double QUIET_JIT_MILLIS = 20;

  /**
   * Runs {@code c}'s calls, unmeasured, in chunks until the client's and the server's JIT
   * compilers together spent under {@link #QUIET_JIT_MILLIS} ms in one, or until
   * {@link Config#settleMaxMillis}. A fixed warm-up is not enough: with each JVM pinned to
   * one core, C2 was measured still compiling a 1 MiB stream's write and read paths 4-5 s
   * after they first ran, taking a quarter of the server's core, and the first measured
   * cell of that scenario ran at half the speed of a repeat. Returns the time spent.
   */
  private long settle(Cell c, ServerProcess server) throws InterruptedException {
    Cell chunk = new Cell(c.system(), c.executor(), c.scenario(), c.payloadBytes(),
        c.inflight(), c.messagesPerCall(), 0, SETTLE_CHUNK_MILLIS);
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < cfg.settleMaxMillis * 1_000_000L) {
      CellResult r = send(chunk, server);
      double jit = r.clientJitMs + (Double.isNaN(r.serverJitMs) ? 0 : r.serverJitMs);
      if (!r.ok() || Double.isNaN(jit) || jit < QUIET_JIT_MILLIS) {
        break; // a failure shows in the cell itself
      }
    }
    return (System.nanoTime() - t0) / 1_000_000L;
  }

  private CellResult send(Cell c, ServerProcess server) throws InterruptedException {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("scenario", c.scenario().label());
    req.put("payload", c.payloadBytes());
    req.put("inflight", c.inflight());
    req.put("messages", c.messagesPerCall());
    req.put("warmup_ms", c.warmupMillis());
    req.put("measure_ms", c.measureMillis());
    try {
      client.in.write((Json.write(req) + "\n").getBytes(StandardCharsets.UTF_8));
      client.in.flush();
    } catch (IOException e) {
      client.kill();
      return CellResult.of(c).fail("client process gone: " + e.getMessage() + " ("
          + tail(client.log) + ")");
    }
    client.cells++;
    CellResult r = exchange(c, server, client.process, client.log, true);
    if (!r.ok() && r.error.startsWith("client ")) {
      client.kill(); // unusable; the next cell starts a fresh one
    }
    return r;
  }

  /** The group's long-lived client JVM, or null. */
  private ClientProcess client;

  /**
   * Reads one cell's output lines from {@code p} (progress, phases, result), asking the
   * server for its counters around the measured phase. A watchdog kills the process if the
   * cell overruns.
   */
  private CellResult exchange(Cell c, ServerProcess server, Process p, Path log,
      boolean persistent) throws InterruptedException {
    long budget = c.warmupMillis() + c.measureMillis() + cfg.firstWarmupMillis + 90_000;
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    Thread watchdog = new Thread(() -> {
      try {
        if (!finished.await(budget, TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    ProcessStats s0 = null;
    ProcessStats s1 = null;
    String result = null;
    long lastCompleted = 0;
    long lastNanos = System.nanoTime();
    double rate = 0;
    BufferedReader in = persistent ? client.out : new BufferedReader(new InputStreamReader(
        p.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("PROGRESS ")) {
          String[] f = line.split(" ");
          if (f.length >= 5 && cfg.progressBar) {
            long completed = Long.parseLong(f[4]);
            long now = System.nanoTime();
            if (f[2].equals("0")) {
              lastCompleted = completed;
              lastNanos = now;
            } else if (now - lastNanos > 100_000_000L) {
              rate = (completed - lastCompleted) / ((now - lastNanos) / 1e9);
              lastCompleted = completed;
              lastNanos = now;
            }
            bar(c, f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), rate);
          }
        } else if (line.equals("PHASE measure")) {
          s0 = server.stats();
        } else if (line.equals("PHASE end")) {
          s1 = server.stats();
        } else if (line.startsWith("RESULT ")) {
          result = line.substring(7);
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process died or printed garbage; handled below
    } finally {
      finished.countDown();
    }
    if (!persistent) {
      p.waitFor(30, TimeUnit.SECONDS);
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
    if (result == null) {
      boolean alive = p.isAlive();
      return CellResult.of(c).fail("client " + (alive ? "stopped answering"
          : "exited with status " + p.waitFor()) + " without a result: " + tail(log));
    }
    CellResult r;
    try {
      r = CellResult.fromMap(Json.parseObject(result));
    } catch (RuntimeException e) {
      return CellResult.of(c).fail("unreadable client result: " + e.getMessage());
    }
    if (r.ok() && s0 != null && s1 != null) {
      double[] pc = s1.perCall(s0, r.calls);
      r.serverCpuUs = pc[0];
      r.serverAllocBytes = pc[1];
      r.serverAllocs = pc[2];
      r.serverJitMs = s1.jitMillisSince(s0);
    }
    r.messagesPerCall = c.scenario() == Scenario.STREAM ? c.messagesPerCall() : 1;
    return r;
  }

  /** A client JVM serving cells of one system and executor, one JSON line per cell. */
  static final class ClientProcess {
    final Process process;
    final BufferedReader out;
    final OutputStream in;
    final Path log;
    int cells;
    /** Scenario/payload pairs this JVM settled its JIT on (see {@link #settle}). */
    final java.util.Set<String> settled = new java.util.HashSet<>();

    private ClientProcess(Process process, Path log) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      this.in = process.getOutputStream();
      this.log = log;
    }

    static ClientProcess start(Matrix m, SystemKind kind, String executor, String address)
        throws IOException {
      List<String> cmd = new ArrayList<>(m.pin(m.cfg.clientCpu));
      cmd.addAll(m.java("client-" + kind.label() + "-" + executor));
      cmd.addAll(List.of("client", "--system", kind.label(), "--executor", executor,
          "--addr", address, "--serve"));
      Path log = m.cfg.logDir.resolve("client-" + kind.label() + "-" + executor + "-"
          + System.nanoTime() + ".log");
      return new ClientProcess(new ProcessBuilder(cmd).redirectError(log.toFile()).start(),
          log);
    }

    void kill() throws InterruptedException {
      try {
        in.close();
      } catch (IOException e) {
        // gone
      }
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private void bar(Cell c, String phase, long elapsed, long totalMs, double rate) {
    int width = 24;
    int filled = (int) Math.min(width, totalMs == 0 ? width : elapsed * width / totalMs);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    cfg.out.printf("\r\033[K[%3d/%d] %-44s %-7s [%s] %4.1f/%.0f s %12s calls/s", done, total,
        c.label(), phase, bar, elapsed / 1000.0, totalMs / 1000.0, Units.rate(rate));
    cfg.out.flush();
  }

  /** {@code taskset -c cpu} when pinning, else nothing. */
  List<String> pin(int cpu) {
    return pinning ? List.of("taskset", "-c", String.valueOf(cpu)) : List.of();
  }

  /** The java command for a child JVM (options, JFR, class path, main class). */
  List<String> java(String jfrName) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(cfg.jvmOptions);
    if (cfg.jfrDir != null) {
      cmd.add("-XX:+UnlockDiagnosticVMOptions");
      cmd.add("-XX:+DebugNonSafepoints");
      cmd.add("-Xlog:jfr+startup=warning");
      cmd.add("-XX:StartFlightRecording=filename=" + cfg.jfrDir.resolve(jfrName + ".jfr")
          + ",settings=" + JfrSettings.file(cfg.jfrDir) + ",dumponexit=true");
    }
    cmd.add("-cp");
    cmd.add(cfg.classPath);
    cmd.add("dev.braid.bench.BenchMain");
    return cmd;
  }

  static String fileName(Cell c) {
    return (c.system() + "-" + c.executor() + "-" + c.scenario().label() + "-"
        + c.payloadBytes() + "-x" + c.inflight()).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
      return String.join(" / ", last).trim();
    } catch (IOException e) {
      return "(no log)";
    }
  }

  Config config() {
    return cfg;
  }

  boolean pinning() {
    return pinning;
  }

  /** A running server process. */
  static final class ServerProcess {
    final Process process;
    final String address;
    final BufferedReader out;
    final OutputStream in;
    final Path log;

    private ServerProcess(Process process, String address, BufferedReader out,
        OutputStream in, Path log) {
      this.process = process;
      this.address = address;
      this.out = out;
      this.in = in;
      this.log = log;
    }

    static ServerProcess start(Matrix m, SystemKind kind, String executor) throws IOException {
      Config cfg = m.cfg;
      List<String> cmd = new ArrayList<>(m.pin(cfg.serverCpu));
      if (kind.isGo()) {
        GoPeer.ensureBuilt(cfg.goDir);
        cmd.add(cfg.goDir.resolve("bin/bench-server").toString());
        cmd.addAll(List.of("-listen", "127.0.0.1:0"));
        cmd.addAll(cfg.serverArgs);
      } else {
        cmd.addAll(m.java("server-" + kind.label() + "-" + executor));
        cmd.addAll(List.of("server", "--system", kind.label(), "--executor", executor,
            "--listen", "127.0.0.1:0"));
        cmd.addAll(cfg.serverArgs);
      }
      Path log = cfg.logDir.resolve("server-" + kind.label() + "-" + executor + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
      if (kind.isGo()) {
        pb.environment().put("GOMAXPROCS", m.pinning ? "1" : String.valueOf(
            Runtime.getRuntime().availableProcessors()));
      }
      Process p = pb.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      long end = System.currentTimeMillis() + 60_000;
      String line;
      do { // skip anything else on stdout (JVM logging)
        line = readLine(out, p, Math.max(1, end - System.currentTimeMillis()));
      } while (line != null && !line.startsWith("LISTEN "));
      if (line == null) {
        p.destroyForcibly();
        throw new IOException("no LISTEN line (" + tail(log) + ")");
      }
      return new ServerProcess(p, line.substring(7).trim(), out, p.getOutputStream(), log);
    }

    private static String readLine(BufferedReader r, Process p, long timeoutMillis)
        throws IOException {
      long end = System.currentTimeMillis() + timeoutMillis;
      StringBuilder sb = new StringBuilder();
      while (System.currentTimeMillis() < end) {
        if (r.ready()) {
          int c = r.read();
          if (c < 0) {
            return null;
          }
          if (c == '\n') {
            return sb.toString();
          }
          sb.append((char) c);
        } else if (!p.isAlive()) {
          String rest = r.readLine();
          return rest == null ? null : sb + rest;
        } else {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        }
      }
      return null;
    }

    boolean alive() {
      return process.isAlive();
    }

    String logTail() {
      return tail(log);
    }

    /** Asks the server for its counters; null if it does not answer. */
    ProcessStats stats() {
      try {
        in.write("STATS\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        long end = System.currentTimeMillis() + 5_000;
        String line;
        do {
          line = readLine(out, process, Math.max(1, end - System.currentTimeMillis()));
        } while (line != null && !line.startsWith("STATS "));
        return line == null ? null : ProcessStats.parse(line);
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }

    void stop() throws InterruptedException {
      try {
        in.close();
      } catch (IOException e) {
        // already gone
      }
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  /** Machine metadata for the results. */
  static final class Machine {
    static Map<String, Object> describe(Config cfg, boolean pinning) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cpu", cpuModel());
      m.put("cores", Runtime.getRuntime().availableProcessors());
      m.put("memory", memory());
      m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
          + System.getProperty("os.arch"));
      m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty(
          "java.runtime.version"));
      m.put("go", GoPeer.version());
      m.put("pinning", pinning ? "server taskset -c " + cfg.serverCpu + ", client taskset -c "
          + cfg.clientCpu + " (each process on one core; GOMAXPROCS=1 for Go)"
          : "none (taskset missing or fewer than two CPUs): results are not comparable "
              + "with pinned runs");
      m.put("jvm_options", String.join(" ", cfg.jvmOptions));
      m.put("phases", cfg.warmupMillis / 1000.0 + " s warm-up, " + cfg.measureMillis / 1000.0
          + " s measured, per cell; each new client JVM first warms up (its JIT and the "
          + "server's) with " + cfg.firstWarmupMillis / 1000.0 + " s of unary calls at 64 in "
          + "flight"
          + (cfg.settleMaxMillis > 0 ? ", and before the first cell of each scenario and "
              + "payload runs that cell's calls in " + SETTLE_CHUNK_MILLIS / 1000.0
              + " s chunks until both JVMs' JIT compiled for under " + QUIET_JIT_MILLIS
              + " ms in one (at most " + cfg.settleMaxMillis / 1000.0 + " s; jit_settle_s "
              + "in the details)" : "")
          + "; " + cfg.repeat + " run(s) per cell, median by "
          + "throughput; one server process and one client process per system and executor "
          + "(the Go client: a fresh process per cell)");
      m.put("noise", "shared VM: other engineers build and test on it in parallel, so "
          + "figures can move by tens of percent between runs (and p99 by milliseconds); "
          + "the 1-minute load average at the start of each cell is in the details file");
      m.put("braid_commit", git());
      m.put("engine_build", engineBuild());
      Map<String, Object> systems = new LinkedHashMap<>();
      for (SystemKind k : cfg.systems) {
        systems.put(k.label(), k.connectionModel() + "; encoding: " + k.encoding()
            + "; executors: " + String.join(", ", k.executors()));
      }
      m.put("systems", systems);
      m.put("executors", "direct: handlers and client callbacks on the I/O thread "
          + "(braid: BraidServer executor Runnable::run, ClientConnection callbackExecutor "
          + "Runnable::run; gRPC: directExecutor() on server and channel); pool: each "
          + "framework's default pools; braid's blocking streaming API runs only with pool");
      m.put("scenarios", "unary: echo, one call = one round trip; server-stream: streams of "
          + cfg.streamMessages + " messages back to back, one call = one message received "
          + "(calls_per_s = messages/s), latency = time since the previous message on the "
          + "same stream; bidi: ping-pong on streams kept open, one call = one message and "
          + "its echo; every response verified byte for byte (stream messages against the "
          + "pattern, message counts per stream checked)");
      if (cfg.command != null) {
        m.put("command", cfg.command);
      }
      return m;
    }

    static String cpuModel() {
      try {
        for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
          if (l.startsWith("model name")) {
            return l.substring(l.indexOf(':') + 1).trim();
          }
        }
      } catch (IOException e) {
        // not Linux
      }
      return System.getProperty("os.arch");
    }

    static String memory() {
      try {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
          if (l.startsWith("MemTotal:")) {
            long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
            return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1048576.0);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux
      }
      return "unknown";
    }

    /**
     * When the braid-rpc classes in this harness were compiled, and whether the engine's
     * sources had uncommitted changes at run time (the harness measures the classes it
     * was built with, which may come from a working tree).
     */
    static String engineBuild() {
      String built = "unknown";
      try {
        java.net.URL src = dev.braid.rpc.BraidServer.class.getProtectionDomain()
            .getCodeSource().getLocation();
        Path p = Path.of(src.toURI());
        if (Files.isRegularFile(p)) {
          try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(p.toFile())) {
            java.util.zip.ZipEntry e = z.getEntry("dev/braid/rpc/internal/Connection.class");
            if (e != null) {
              built = e.getLastModifiedTime().toInstant().truncatedTo(
                  java.time.temporal.ChronoUnit.SECONDS).toString();
            }
          }
        } else {
          built = Files.getLastModifiedTime(p.resolve("dev/braid/rpc/internal/Connection.class"))
              .toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
      } catch (Exception e) {
        // unknown
      }
      String dirty = "unknown";
      try {
        Process pr = new ProcessBuilder("git", "status", "--porcelain", "--", "braid-wire",
            "braid-rpc", "braid-protobuf").redirectErrorStream(true).start();
        String s = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (pr.waitFor() == 0) {
          dirty = s.isEmpty() ? "engine sources clean at run time"
              : "engine sources had uncommitted changes at run time: "
                  + s.lines().map(l -> l.substring(Math.min(3, l.length())))
                      .collect(java.util.stream.Collectors.joining(", "));
        }
      } catch (IOException | InterruptedException e) {
        // not a checkout
      }
      return "braid-rpc classes compiled " + built + "; " + dirty;
    }

    static String git() {
      try {
        Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
            .redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.waitFor() == 0 ? s : "unknown";
      } catch (IOException | InterruptedException e) {
        return "unknown";
      }
    }
  }
}
