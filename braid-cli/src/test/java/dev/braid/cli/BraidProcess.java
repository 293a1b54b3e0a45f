package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code braid} as a user does: {@link Main} in its own JVM, with standard input,
 * output, error and the exit status of that process. Every run is bounded in time.
 */
public final class BraidProcess {
  private BraidProcess() {}

  /** How long one command may take before the test fails. */
  static final long TIMEOUT_S = 60;

  /** The outcome of one command. */
  public record Result(int exitCode, String out, String err) {
    /** Standard output split into lines. */
    public List<String> lines() {
      return out.lines().toList();
    }
  }

  private static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    cmd.add(Main.class.getName());
    cmd.addAll(args);
    return cmd;
  }

  /** Runs {@code braid args...} with {@code stdin} (null: none, closed) to completion. */
  public static Result run(String stdin, String... args) throws Exception {
    Process p = new ProcessBuilder(command(List.of(args))).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command exited without reading all of it
    }
    return finish(p);
  }

  /**
   * Runs {@code braid args...} with standard input left open until the command ends (as a
   * terminal would), for calls that end by their deadline.
   */
  public static Result runWithOpenStdin(String... args) throws Exception {
    Process p = new ProcessBuilder(command(List.of(args))).start();
    try {
      return finish(p);
    } finally {
      p.getOutputStream().close();
    }
  }

  /** Starts {@code braid args...} for a test that talks to it line by line. */
  public static Process start(String... args) throws Exception {
    return new ProcessBuilder(command(List.of(args))).start();
  }

  private static Result finish(Process p) throws Exception {
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("braid finished within %s s", TIMEOUT_S).isTrue();
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS),
        err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  /**
   * {@code braid serve --listen 127.0.0.1:0} as its own process; {@link #address} once it
   * printed {@code listening on}. Closing destroys it (SIGTERM, as Ctrl-C would).
   */
  public static final class Server implements AutoCloseable {
    private final Process process;
    /** HOST:PORT the server listens on. */
    public final String address;

    public Server() throws Exception {
      process = new ProcessBuilder(command(List.of("serve", "--listen", "127.0.0.1:0")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
        try {
          return r.readLine();
        } catch (IOException e) {
          return null;
        }
      });
      String line = first.get(TIMEOUT_S, TimeUnit.SECONDS);
      assertThat(line).as("first line of braid serve").isNotNull().startsWith("listening on ");
      address = line.substring("listening on ".length()).trim();
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
