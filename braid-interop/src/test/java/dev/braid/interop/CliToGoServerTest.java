package dev.braid.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid call} as a user runs it (braid-cli's main in its own JVM, with real standard
 * input, output and exit status) against the Go DRPC servers (storj.io/drpc v1.0.0): every
 * call shape in raw mode against the raw {@code braid.test.Echo} server of {@code go/}, and in
 * JSON mode against the protoc-gen-go-drpc server of {@code go-proto/} described by
 * {@code examples/.../echo.proto}. Skipped without Go, except under {@code CI=true}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliToGoServerTest {
  static final String ECHO_PROTO = Path.of("../examples/src/main/proto/braid/examples/echo.proto")
      .toAbsolutePath().normalize().toString();

  GoPeer.Server raw;
  GoPeer.Server proto;

  @TempDir
  Path tmp;

  @BeforeAll
  void start() throws Exception {
    raw = new GoPeer.Server("echoserver", "-listen", "127.0.0.1:0");
    proto = new GoPeer.Server(GoPeer.protoBin("echoserver"), "-listen", "127.0.0.1:0");
  }

  @AfterAll
  void stop() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (proto != null) {
      proto.close();
    }
  }

  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  /** {@code braid args...} in its own JVM with {@code stdin}, bounded to 60 s. */
  static Result braid(String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        // the CLI's own logging setup, not one of the test jars' logback-test.xml
        "-Dlogback.configurationFile=logback.xml", "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        "dev.braid.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // exited without reading it all
    }
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("braid %s finished", List.of(args)).isTrue();
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS),
        err.get(10, TimeUnit.SECONDS));
  }

  private static CompletableFuture<String> drain(java.io.InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(s.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }

  private static Result ok(Result r) {
    assertThat(r.exitCode()).as("exit status; stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r;
  }

  @Test
  void rawEveryShape() throws Exception {
    String a = raw.address;
    assertThat(ok(braid(null, "call", a, "braid.test.Echo.Unary", "--data-hex", "6869"))
        .lines()).containsExactly("6869");
    assertThat(ok(braid(null, "call", a, "/braid.test.Echo/ServerStream", "--shape",
        "server-stream", "--data-hex", "6869", "-m", "count=3")).lines())
        .containsExactly("6869", "6869", "6869");
    assertThat(ok(braid("62\n63\n", "call", a, "braid.test.Echo.ClientStream", "--shape",
        "client-stream", "--data-hex", "61", "--data-hex", "@-")).lines())
        .containsExactly("616263");
    assertThat(ok(braid("01\n02\n03\n", "call", a, "braid.test.Echo.Bidi", "--shape", "bidi"))
        .lines()).containsExactly("01", "02", "03");
    Path file = tmp.resolve("req.hex");
    Files.writeString(file, "68656c6c6f\n");
    assertThat(ok(braid(null, "call", a, "braid.test.Echo.Unary", "--data-hex", "@" + file))
        .lines()).containsExactly("68656c6c6f");
    Result fail = braid(null, "call", a, "braid.test.Echo.Fail", "--data-hex", "626f6f6d",
        "-m", "code=7");
    assertThat(fail.exitCode()).isEqualTo(1);
    assertThat(fail.err()).isEqualTo("code 7: boom\n");
  }

  @Test
  void jsonEveryShape() throws Exception {
    String a = proto.address;
    assertThat(ok(braid(null, "call", a, "braid.examples.echo.Echo.Unary", "--proto",
        ECHO_PROTO, "-d", "{\"text\": \"hi\"}")).lines()).containsExactly("{\"text\":\"hi\"}");
    assertThat(ok(braid(null, "call", a, "/braid.examples.echo.Echo/ServerStream", "--proto",
        ECHO_PROTO, "-d", "{\"text\": \"s\", \"count\": 3}")).lines()).containsExactly(
        "{\"text\":\"s\"}", "{\"text\":\"s\",\"index\":1}", "{\"text\":\"s\",\"index\":2}");
    assertThat(ok(braid("{\"text\":\"b\"}\n{\"text\":\"c\"}\n", "call", a,
        "braid.examples.echo.Echo.ClientStream", "--proto", ECHO_PROTO, "-d",
        "{\"text\":\"a\"}", "-d", "@-")).lines())
        .containsExactly("{\"text\":\"a,b,c\",\"index\":3}");
    assertThat(ok(braid("{\"text\":\"x\"}\n\n{\"text\":\"y\"}\n", "call", a,
        "braid.examples.echo.Echo.Bidi", "--proto", ECHO_PROTO)).lines())
        .containsExactly("{\"text\":\"x\"}", "{\"text\":\"y\",\"index\":1}");
    Path file = tmp.resolve("req.json");
    Files.writeString(file, "{\n  \"text\": \"file\"\n}\n");
    assertThat(ok(braid(null, "call", a, "braid.examples.echo.Echo.Unary", "--proto",
        ECHO_PROTO, "-d", "@" + file)).lines()).containsExactly("{\"text\":\"file\"}");
    Result fail = braid(null, "call", a, "braid.examples.echo.Echo.Unary", "--proto",
        ECHO_PROTO, "-d", "{\"text\": \"nope\", \"fail_code\": 9}");
    assertThat(fail.exitCode()).isEqualTo(1);
    assertThat(fail.err()).isEqualTo("code 9: nope\n");
    Result unimplemented = braid(null, "call", a, "braid.examples.echo.Echo.NotImplemented",
        "--proto", ECHO_PROTO);
    assertThat(unimplemented.exitCode()).isEqualTo(1);
    assertThat(unimplemented.err()).startsWith("code 12: ");
    Result strict = braid(null, "call", a, "braid.examples.echo.Echo.Unary", "--proto",
        ECHO_PROTO, "-d", "{\"count\": \"x\", \"text\": 1}");
    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.err()).contains("field 'text' is a string").doesNotContain("Exception");
  }
}
