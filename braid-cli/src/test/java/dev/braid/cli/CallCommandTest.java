package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.testing.EchoService;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code braid call} in process against a real braid server on loopback. */
class CallCommandTest {
  static final MethodDescriptor<byte[], byte[]> WAIT =
      MethodDescriptor.raw("/braid.test.Slow/Wait", MethodType.UNARY);

  static final CountDownLatch release = new CountDownLatch(1);
  static BraidServer server;
  static String address;

  @BeforeAll
  static void startServer() throws Exception {
    server = BraidServer.builder().listen("127.0.0.1", 0)
        .addService(new EchoService().definition())
        .addUnary(WAIT, (req, ctx) -> {
          release.await(30, TimeUnit.SECONDS);
          return req;
        })
        .gracePeriod(Duration.ZERO)
        .build().start();
    address = "127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stopServer() {
    release.countDown();
    server.close();
  }

  @Test
  void unaryPrintsTheResponseAsLowercaseHex() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Unary",
        "--data-hex", "68656C6c6f");
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("68656c6c6f" + System.lineSeparator());
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void emptyRequestGivesAnEmptyLine() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Unary", "--data-hex", "");
    assertThat(r.out()).isEqualTo(System.lineSeparator());
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void metadataIsSentAndValuesMayBeEmptyOrContainEquals() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Metadata", "--data-hex", "",
        "--metadata", "k=v", "-m", "a=1=2", "--metadata", "empty=", "--timeout", "none");
    assertThat(r.exitCode()).isZero();
    assertThat(unhex(r.out())).isEqualTo("a=1=2\nempty=\nk=v");
  }

  @Test
  void theTimeoutTravelsAsBraidMetadata() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Metadata", "--data-hex", "",
        "--timeout", "1h");
    assertThat(r.exitCode()).isZero();
    assertThat(unhex(r.out())).matches("braid-timeout-us=3\\d{9}");
  }

  @Test
  void serverErrorPrintsCodeAndMessageOnStderrAndExits1() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Fail",
        "--data-hex", hex("no such thing"), "--metadata", "code=5");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("code 5: no such thing" + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void codesArePrintedUnsigned() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Fail",
        "--data-hex", hex("max"), "--metadata", "code=18446744073709551615");
    assertThat(r.err()).isEqualTo("code 18446744073709551615: max" + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void unknownMethodIsCode12() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Nope", "--data-hex", "00");
    assertThat(r.err()).isEqualTo(
        "code 12: protocol error: unknown rpc: \"/braid.test.Echo/Nope\""
            + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void timeoutIsCode4() {
    long start = System.nanoTime();
    Cli.Result r = Cli.run("call", address, WAIT.fullName(), "--data-hex", "01",
        "--timeout", "200ms");
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("code 4: ");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(elapsedMs).isBetween(150L, 10_000L);
  }

  @Test
  void connectionFailureExits1WithAClearMessage() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Result r = Cli.run("call", "127.0.0.1:" + port, "/braid.test.Echo/Unary",
        "--data-hex", "00");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("braid call: cannot connect to 127.0.0.1:" + port + ": ")
        .containsIgnoringCase("refused");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "6|'6' is not hex: odd number of digits",
      "zz|'zz' is not hex: 'z' at character 1 (give hex digits, e.g. 68656c6c6f)",
      "68 650|'68 650' is not hex: ' ' at character 3 (give hex digits, e.g. 68656c6c6f)",
  })
  void badHexExits2WithTheReason(String value, String reason) {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Unary", "--data-hex", value);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("braid call: " + reason + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--metadata|novalue|'novalue' is not KEY=VALUE",
      "--metadata|=v|'=v' is not KEY=VALUE",
      "--timeout|5|'5' has no unit: write e.g. 5s or 5ms (accepted: 500ms, 2s, 1m, 1h, 1m30s,"
          + " none)",
      "--timeout|0|'0' would fail every call at once; write none for no deadline",
      "--timeout|0s|'0s' is zero, which would fail every call; write none for no deadline",
      "--timeout|5x|'5x' is not a duration",
      "--timeout|-1s|'-1s' is not a duration",
      "--timeout|1.5s|'1.5s' is not a duration",
  })
  void badArgumentsExit2WithTheReason(String option, String value, String reason) {
    Cli.Result r = option.equals("--data-hex")
        ? Cli.run("call", address, "/braid.test.Echo/Unary", option, value)
        : Cli.run("call", address, "/braid.test.Echo/Unary", "--data-hex", "", option, value);
    assertThat(r.err()).doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("braid call: Invalid value for option '" + option + "'")
        .contains(reason).contains("Run 'braid call --help' for usage.");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"nocolon", "127.0.0.1:x", "127.0.0.1:70000"})
  void badAddressExits2(String addr) {
    Cli.Result r = Cli.run("call", addr, "/braid.test.Echo/Unary", "--data-hex", "");
    assertThat(r.err()).contains("Invalid value for positional parameter at index 0");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void missingDataHexExits2() {
    Cli.Result r = Cli.run("call", address, "/braid.test.Echo/Unary");
    assertThat(r.err()).contains("give the request with --data-hex HEX");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource({"500ms,500", "5s,5000", "2m,120000", "1h,3600000", "1m30s,90000",
      "2000us,2", "2000000ns,2"})
  void durations(String text, long millis) {
    assertThat(CliValues.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  private static String unhex(String line) {
    return new String(HexFormat.of().parseHex(line.strip()), StandardCharsets.UTF_8);
  }

  private static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
