package dev.braid.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds and runs the Go interop programs in {@code braid-interop/go} (storj.io/drpc
 * v1.0.0 from the Go module proxy). Without Go the tests are skipped, except under CI
 * ({@code CI=true}), where a missing Go toolchain is a failure.
 */
final class GoPeer {
  static final Path GO_DIR = Path.of(System.getProperty("braid.interop.go.dir", "go"))
      .toAbsolutePath();

  private GoPeer() {}

  /** Builds the binaries once per JVM; skips or fails when Go is missing. */
  static synchronized Path bin(String name) throws Exception {
    Path bin = GO_DIR.resolve("bin").resolve(name);
    if (!built) {
      Process p = new ProcessBuilder("bash", GO_DIR.resolve("build.sh").toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("go build finished").isTrue();
      assertThat(p.exitValue()).as("go build: %s", out).isZero();
      if (out.contains("go not found")) {
        if ("true".equals(System.getenv("CI"))) {
          throw new AssertionError("Go is required for interop tests under CI");
        }
        Assumptions.abort("interop skipped: " + out.trim());
      }
      built = true;
    }
    assertThat(Files.isExecutable(bin)).as("%s built", bin).isTrue();
    return bin;
  }

  private static boolean built;

  /** The output and exit code of a finished program. */
  record Result(int exitCode, List<String> lines) {}

  /** Runs a program to completion (bounded) and returns its output lines. */
  static Result run(long timeoutSeconds, String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // process ended
      }
    });
    reader.start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    synchronized (lines) {
      assertThat(done).as("%s finished in %ss; output: %s", command[0], timeoutSeconds, lines)
          .isTrue();
      return new Result(p.exitValue(), List.copyOf(lines));
    }
  }

  /** A Go server process; closing it closes its stdin, which makes it exit. */
  static final class Server implements AutoCloseable {
    final Process process;
    final String address;

    Server(String binary, String... args) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(bin(binary).toString());
      cmd.addAll(List.of(args));
      process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      String line = r.readLine();
      assertThat(line).as("server's first line").isNotNull().startsWith("LISTEN ");
      address = line.substring("LISTEN ".length()).trim();
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
