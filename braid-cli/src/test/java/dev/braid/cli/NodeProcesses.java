package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code braid node} processes for multi-process tests: each is {@code java -cp <the test
 * class path> dev.braid.cli.Main node ...} with standard output and error in a log file under
 * the test's directory. {@link #close} (and a JVM shutdown hook, should the test JVM be
 * stopped) kills every process still running. Not thread-safe: one test thread drives it.
 */
final class NodeProcesses implements AutoCloseable {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final List<Process> ALIVE = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      synchronized (ALIVE) {
        ALIVE.forEach(Process::destroyForcibly);
      }
    }, "kill-braid-nodes"));
  }

  /** One node: its directory, fixed braid port and the current process (if any). */
  final class Proc {
    final String name;
    final Path dir;
    final int port;
    final List<String> seeds;
    Process process;
    Path log;
    int starts;

    Proc(String name, List<String> seeds) {
      this.name = name;
      this.dir = root.resolve(name);
      this.port = freePort();
      this.seeds = seeds;
    }

    String address() {
      return "127.0.0.1:" + port;
    }

    String logText() {
      try {
        return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }

    /** Starts this node's process at {@code release}. */
    Proc launch(int release, String... extra) throws IOException {
      assertThat(process == null || !process.isAlive()).as(name + " is running").isTrue();
      List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx192m", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          Main.class.getName(), "node", "--data", dir.toString(), "--listen", address(),
          "--release", Integer.toString(release)));
      for (String s : seeds) {
        cmd.add("--seed");
        cmd.add(s);
      }
      cmd.addAll(List.of(extra));
      log = root.resolve(name + "." + (++starts) + ".log");
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      synchronized (ALIVE) {
        ALIVE.add(process);
      }
      return this;
    }

    /** Waits for "ready on ADDRESS"; fails with the log if the process ends first. */
    Proc awaitReady() {
      String ready = "ready on " + address();
      await(name + " ready", 90, () -> {
        if (logText().contains(ready)) {
          return true;
        }
        if (!process.isAlive()) {
          throw new AssertionError(name + " exited with " + process.exitValue()
              + " before it was ready:\n" + logText());
        }
        return false;
      });
      return this;
    }

    /** Starts at {@code release} and waits until ready. */
    Proc start(int release, String... extra) throws IOException {
      return launch(release, extra).awaitReady();
    }

    /** Starts at {@code release}, expects exit 1, returns its "braid node:" line. */
    String refused(int release, String... extra) throws IOException, InterruptedException {
      launch(release, extra);
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as(name + " exits").isTrue();
      String text = logText();
      assertThat(process.exitValue()).as(text).isEqualTo(1);
      Matcher m = Pattern.compile("(?m)^braid node: (.*)$").matcher(text);
      assertThat(m.find()).as(text).isTrue();
      return m.group(1);
    }

    /** SIGTERM, and waits for the clean exit (143). */
    void stop() throws InterruptedException {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " stops").isTrue();
      assertThat(process.exitValue()).as(logText()).isEqualTo(143);
      assertThat(logText()).contains("stopped");
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** The host id (from the node's own log). */
    String hostId() {
      Matcher m = Pattern.compile("node ([0-9a-f-]{36}) serves").matcher(logText());
      assertThat(m.find()).as(logText()).isTrue();
      return m.group(1);
    }

    /** Whether its log's last leadership line says it leads. */
    boolean leads() {
      String t = logText();
      int now = t.lastIndexOf("this node is now the Raft leader");
      int no = t.lastIndexOf("this node is no longer the Raft leader");
      return process.isAlive() && now > no;
    }

    /** The "enabled N time(s)" figures its log reports for {@code feature}, in order. */
    List<Integer> enablementCounts(String feature) {
      Matcher m = Pattern.compile("feature " + feature + " is enabled on this node; the"
          + " cluster's log enabled it (\\d+) time").matcher(logText());
      List<Integer> out = new ArrayList<>();
      while (m.find()) {
        out.add(Integer.parseInt(m.group(1)));
      }
      return out;
    }
  }

  private final Path root;
  private final List<Proc> procs = new ArrayList<>();

  NodeProcesses(Path root) {
    this.root = root;
  }

  /** A new node (not started) that joins through {@code seeds}. */
  Proc node(String name, String... seeds) {
    Proc p = new Proc(name, List.of(seeds));
    procs.add(p);
    return p;
  }

  /**
   * Starts a cluster at {@code release}: the first name bootstraps it, the others are created
   * joining through it and then started in order. Returns the nodes in the order named.
   */
  List<Proc> startCluster(int release, String first, String... others) throws IOException {
    Proc seed = node(first);
    seed.start(release);
    List<Proc> all = new ArrayList<>(List.of(seed));
    for (String name : others) {
      all.add(node(name, seed.address()));
    }
    for (Proc p : all.subList(1, all.size())) {
      p.start(release);
    }
    return List.copyOf(all);
  }

  /** The running node that leads Raft, waiting until exactly one claims it. */
  Proc leader(List<Proc> among) {
    Proc[] found = new Proc[1];
    await("one Raft leader", 30, () -> {
      List<Proc> l = among.stream().filter(Proc::leads).toList();
      found[0] = l.size() == 1 ? l.get(0) : null;
      return found[0] != null;
    });
    return found[0];
  }

  /** {@code braid cluster status ADDRESS --format json}, parsed. */
  static Struct status(Proc p) {
    Cli.Result r = Cli.run("cluster", "status", p.address(), "--format", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip()).doesNotContain("\n");
    Struct.Builder b = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(r.out(), b);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.out(), e);
    }
    return b.build();
  }

  /** The feature's entry of a status. */
  static Struct feature(Struct status, String name) {
    for (Value v : status.getFieldsOrThrow("features").getListValue().getValuesList()) {
      if (v.getStructValue().getFieldsOrThrow("name").getStringValue().equals(name)) {
        return v.getStructValue();
      }
    }
    throw new AssertionError("no feature " + name + " in " + status);
  }

  static String state(Struct feature) {
    return feature.getFieldsOrThrow("state").getStringValue();
  }

  static List<String> lacking(Struct feature) {
    Value v = feature.getFieldsOrDefault("lacking", Value.newBuilder()
        .setListValue(ListValue.getDefaultInstance()).build());
    return v.getListValue().getValuesList().stream().map(Value::getStringValue).sorted().toList();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code condition} every 100 ms until true; fails after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** Kills every process still running and waits for each. */
  @Override
  public void close() {
    for (Proc p : procs) {
      if (p.process != null && p.process.isAlive()) {
        p.process.destroyForcibly();
      }
    }
    for (Proc p : procs) {
      if (p.process != null) {
        try {
          p.process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        synchronized (ALIVE) {
          ALIVE.remove(p.process);
        }
      }
    }
  }
}
