package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's run commands as a new user would: {@code ./braid serve} as its own
 * process from the repository root, then {@code ./braid call} against it. The server listens
 * on a free port instead of the README's 8080, which may be taken on a shared machine.
 *
 * <p>Runs in Maven's {@code verify} phase, after {@code package} has built the shaded jar;
 * {@code BRAID_NO_BUILD=1} keeps {@code ./braid} from rebuilding it in the middle of the
 * build that just made it.
 */
class ReadmeCommandsTest {
  static final Path ROOT = Path.of(System.getProperty("braid.repo.root", ".."))
      .toAbsolutePath().normalize();
  static final Path JAR = ROOT.resolve("braid-cli/target/braid-cli-all.jar");

  static final String SERVE = "./braid serve --listen 127.0.0.1:8080 &";
  static final String CALL =
      "./braid call 127.0.0.1:8080 /braid.test.Echo/Unary --data-hex 68656c6c6f";
  static final String FAIL =
      "./braid call 127.0.0.1:8080 /braid.test.Echo/Fail --data-hex 626f6f6d";
  static final long TIMEOUT_S = 120;

  @Test
  void readmeRunCommandsWorkAsDocumented() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains(SERVE, CALL, FAIL, "code 5: boom");
    assertThat(JAR).as("the shaded jar, built by `mvn package` before this test").exists();

    Path serverErr = Files.createTempFile("braid-serve", ".err");
    Process server = start(command(SERVE.replace(" &", ""), "127.0.0.1:8080", "127.0.0.1:0"),
        ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.to(serverErr.toFile()));
    try {
      BlockingQueue<String> serverOut = linesOf(server);
      String first = serverOut.poll(TIMEOUT_S, TimeUnit.SECONDS);
      assertThat(first).as("first line of ./braid serve; stderr: %s", read(serverErr))
          .isNotNull().matches("listening on 127\\.0\\.0\\.1:\\d+");
      String address = first.substring("listening on ".length());

      Run ok = run(command(CALL, "127.0.0.1:8080", address));
      assertThat(ok.err()).isEmpty();
      assertThat(ok.out()).isEqualTo("68656c6c6f\n");
      assertThat(ok.exitCode()).isZero();

      Run fail = run(command(FAIL, "127.0.0.1:8080", address));
      assertThat(fail.out()).isEmpty();
      assertThat(fail.err()).isEqualTo("code 5: boom\n");
      assertThat(fail.exitCode()).isEqualTo(1);

      server.destroy();
      assertThat(server.waitFor(TIMEOUT_S, TimeUnit.SECONDS)).as("server stopped").isTrue();
      assertThat(read(serverErr)).as("the server's log")
          .containsPattern("connection from \\S+ opened")
          .containsPattern("connection from \\S+ closed");
    } finally {
      server.destroyForcibly();
      Files.deleteIfExists(serverErr);
    }
  }

  /** The words of a README command line, with the README's address replaced. */
  private static List<String> command(String line, String from, String to) {
    return new ArrayList<>(Arrays.asList(line.replace(from, to).split(" ")));
  }

  private static Process start(List<String> command, ProcessBuilder.Redirect out,
      ProcessBuilder.Redirect err) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectOutput(out).redirectError(err)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("BRAID_NO_BUILD", "1");
    return pb.start();
  }

  /** Standard output and error and exit code of a finished process. */
  record Run(int exitCode, String out, String err) {}

  private static Run run(List<String> command) throws Exception {
    Path out = Files.createTempFile("braid-call", ".out");
    Path err = Files.createTempFile("braid-call", ".err");
    try {
      Process p = start(command, ProcessBuilder.Redirect.to(out.toFile()),
          ProcessBuilder.Redirect.to(err.toFile()));
      boolean done = p.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      assertThat(done).as("%s finished within %s s", command, TIMEOUT_S).isTrue();
      return new Run(p.exitValue(), read(out), read(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A queue that receives the process's standard output, line by line. */
  private static BlockingQueue<String> linesOf(Process p) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process went away
      }
    }, "braid-serve-output");
    t.setDaemon(true);
    t.start();
    return lines;
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
