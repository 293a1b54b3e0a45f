package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid call} as a user runs it: {@code braid serve} in its own process, and every
 * {@code braid call} a process of its own with real standard input, output, error and exit
 * status. Every call shape in raw mode and in JSON mode (through
 * {@code braid_test_echo.proto}, a message type that survives the Echo service's byte
 * echoing), input from files and standard input, list and describe.
 */
class CallAsUserTest {
  static final String ECHO_PROTO = "src/test/resources/proto/braid_test_echo.proto";

  static BraidProcess.Server server;
  static String addr;

  @TempDir
  Path tmp;

  @BeforeAll
  static void start() throws Exception {
    server = new BraidProcess.Server();
    addr = server.address;
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static BraidProcess.Result ok(BraidProcess.Result r) {
    assertThat(r.exitCode()).as("exit status; stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r;
  }

  // ---- raw mode ----

  @Test
  void rawUnaryWithGrpcurlsMethodSpelling() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Unary",
        "--data-hex", "6869")).lines()).containsExactly("6869");
  }

  @Test
  void rawServerStreamPrintsEveryResponse() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "/braid.test.Echo/ServerStream",
        "--shape", "server-stream", "--data-hex", "6869", "-m", "count=3")).lines())
        .containsExactly("6869", "6869", "6869");
    // without --shape the call is unary, and a method that answers otherwise is named
    BraidProcess.Result unary = BraidProcess.run(null, "call", addr,
        "/braid.test.Echo/ServerStream", "--data-hex", "6869", "-m", "count=3");
    assertThat(unary.exitCode()).isEqualTo(1);
    assertThat(unary.err()).isEqualTo("braid call: /braid.test.Echo/ServerStream sent more"
        + " than one response, so it is not unary; give --shape server-stream (or bidi) to see"
        + " them all\n");
    BraidProcess.Result none = BraidProcess.run(null, "call", addr,
        "/braid.test.Echo/ServerStream", "--data-hex", "6869", "-m", "count=0");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("ended without a response, so it is not unary");
    // no responses at all is a successful call with no output
    assertThat(ok(BraidProcess.run(null, "call", addr, "/braid.test.Echo/ServerStream",
        "--shape", "server-stream", "--data-hex", "6869", "-m", "count=0")).out()).isEmpty();
  }

  @Test
  void rawClientStreamFromRepeatedValuesAndFromStdin() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo/ClientStream",
        "--shape", "client-stream", "--data-hex", "61", "--data-hex", "6263")).lines())
        .containsExactly("616263");
    // no value: one hex message per line of standard input (an empty line is an empty one)
    assertThat(ok(BraidProcess.run("61\n\n62\n63\n", "call", addr,
        "braid.test.Echo.ClientStream", "--shape", "client-stream")).lines())
        .containsExactly("616263");
  }

  @Test
  void rawBidiEchoesEachMessageInOrder() throws Exception {
    assertThat(ok(BraidProcess.run("0a0b\n0c\n", "call", addr, "braid.test.Echo.Bidi",
        "--shape", "bidi", "--data-hex", "ff", "--data-hex", "@-")).lines())
        .containsExactly("ff", "0a0b", "0c");
  }

  /** Each line typed is sent at once and its echo printed before the next line exists. */
  @Test
  void bidiSendsEachLineAsItIsReadAndPrintsEachResponseAsItArrives() throws Exception {
    Process p = BraidProcess.start("call", addr, "braid.test.Echo.Bidi", "--proto", ECHO_PROTO,
        "--timeout", "none");
    try (var in = new java.io.PrintWriter(p.getOutputStream(), true,
        java.nio.charset.StandardCharsets.UTF_8);
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8))) {
      for (String word : List.of("one", "two", "three")) {
        in.println("{\"text\": [\"" + word + "\"]}");
        java.util.concurrent.CompletableFuture<String> line =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
              try {
                return out.readLine();
              } catch (java.io.IOException e) {
                return null;
              }
            });
        assertThat(line.get(BraidProcess.TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS))
            .isEqualTo("{\"text\":[\"" + word + "\"]}");
      }
      in.close(); // end of input: the client half-closes and the call ends OK
      assertThat(p.waitFor(BraidProcess.TIMEOUT_S, java.util.concurrent.TimeUnit.SECONDS))
          .isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(out.readLine()).isNull();
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void rawInputFromAFileAndFromStdin() throws Exception {
    // a large request from a file (too large for a command line), hex wrapped over lines
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 256 * 1024; i++) {
      hex.append(String.format("%02x", i & 0xff));
      if (i % 32 == 31) {
        hex.append('\n');
      }
    }
    Path file = tmp.resolve("req.hex");
    Files.writeString(file, hex);
    BraidProcess.Result r = ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Unary",
        "--data-hex", "@" + file));
    assertThat(r.lines()).containsExactly(hex.toString().replace("\n", ""));
    assertThat(ok(BraidProcess.run("6869\n", "call", addr, "braid.test.Echo.Unary",
        "--data-hex", "@-")).lines()).containsExactly("6869");
    // a streaming call reads a file line by line
    Path lines = tmp.resolve("reqs.hex");
    Files.writeString(lines, "01\n02\n");
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Bidi", "--shape",
        "bidi", "--data-hex", "@" + lines)).lines()).containsExactly("01", "02");
  }

  @Test
  void rawErrorsExit1WithTheCode() throws Exception {
    BraidProcess.Result r = BraidProcess.run(null, "call", addr, "braid.test.Echo.Fail",
        "--data-hex", "626f6f6d");
    assertThat(r.err()).isEqualTo("code 5: boom\n");
    assertThat(r.out()).isEmpty();
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void aDeadlineIsPrintedAsTyped() throws Exception {
    // Block echoes until the client half-closes, which an open standard input never does
    BraidProcess.Result r = BraidProcess.runWithOpenStdin("call", addr, "braid.test.Echo.Block",
        "--shape", "bidi", "--timeout", "300ms");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("code 4: ").contains("300ms").doesNotContain("PT0.3S");
  }

  // ---- JSON mode ----

  @Test
  void jsonEveryShape() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Unary",
        "--proto", ECHO_PROTO, "-d", "{\"text\": [\"hi\"]}")).lines())
        .containsExactly("{\"text\":[\"hi\"]}");
    assertThat(ok(BraidProcess.run(null, "call", addr, "/braid.test.Echo/ServerStream",
        "--proto", ECHO_PROTO, "--data", "{\"text\": [\"s\"]}", "-m", "count=2")).lines())
        .containsExactly("{\"text\":[\"s\"]}", "{\"text\":[\"s\"]}");
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.ClientStream",
        "--proto", ECHO_PROTO, "-d", "{\"text\": [\"a\"]}", "-d", "{\"text\": [\"b\"]}"))
        .lines()).containsExactly("{\"text\":[\"a\",\"b\"]}");
    // standard input: one JSON request per line, blank lines skipped
    assertThat(ok(BraidProcess.run("{\"text\": [\"x\"]}\n\n{\"text\": [\"y\"]}\n", "call",
        addr, "braid.test.Echo.Bidi", "--proto", ECHO_PROTO)).lines())
        .containsExactly("{\"text\":[\"x\"]}", "{\"text\":[\"y\"]}");
  }

  @Test
  void jsonFromAFileAndFromStdin() throws Exception {
    Path file = tmp.resolve("req.json");
    Files.writeString(file, "{\n  \"text\": [\"from\", \"file\"]\n}\n");
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Unary",
        "--proto", ECHO_PROTO, "-d", "@" + file)).lines())
        .containsExactly("{\"text\":[\"from\",\"file\"]}");
    assertThat(ok(BraidProcess.run("{\"text\": [\"in\"]}", "call", addr,
        "braid.test.Echo.Unary", "--proto", ECHO_PROTO, "-d", "@-")).lines())
        .containsExactly("{\"text\":[\"in\"]}");
  }

  @Test
  void listAndDescribe() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "list", "--proto", ECHO_PROTO))
        .lines()).containsExactly("braid.test.Echo");
    assertThat(ok(BraidProcess.run(null, "call", addr, "list", "braid.test.Echo",
        "--proto", ECHO_PROTO)).lines()).containsExactly("braid.test.Echo.Unary",
        "braid.test.Echo.ServerStream", "braid.test.Echo.ClientStream", "braid.test.Echo.Bidi",
        "braid.test.Echo.Fail");
    assertThat(ok(BraidProcess.run(null, "call", addr, "describe", "braid.test.Echo.Bidi",
        "--proto", ECHO_PROTO)).lines()).containsExactly(
        "braid.test.Echo.Bidi is a method (bidi-streaming):",
        "rpc Bidi(stream .braid.test.Texts) returns (stream .braid.test.Texts);");
    assertThat(ok(BraidProcess.run(null, "call", addr, "describe", "braid.test.Texts",
        "--proto", ECHO_PROTO)).lines()).containsExactly("braid.test.Texts is a message:",
        "message Texts {", "  repeated string text = 1;", "}");
    assertThat(ok(BraidProcess.run(null, "call", addr, "describe", "braid.test.Echo",
        "--proto", ECHO_PROTO)).lines()).startsWith("braid.test.Echo is a service:",
        "service Echo {", "  rpc Unary(.braid.test.Texts) returns (.braid.test.Texts);");
  }

  @Test
  void helpListsEveryCommandWithItsWholeDescription() throws Exception {
    BraidProcess.Result r = ok(BraidProcess.run(null, "--help"));
    for (java.util.function.Supplier<Object> s : Main.SUBCOMMANDS) {
      picocli.CommandLine sub = new picocli.CommandLine(s.get());
      String[] header = sub.getCommandSpec().usageMessage().header();
      String line = header.length > 0 ? header[0] : sub.getCommandSpec().usageMessage()
          .description()[0];
      assertThat(r.out()).as("help lists %s", sub.getCommandName())
          .containsPattern("(?m)^  " + sub.getCommandName() + " +" + java.util.regex.Pattern
              .quote(line) + "$");
    }
    assertThat(r.out()).contains("bench");
  }

  /** Every listed bad input: exit 2, the message, and no Java exception anywhere. */
  @Test
  void badInputExits2WithAMessageAndNoException() throws Exception {
    String greet = "src/test/resources/proto/greet.proto";
    String hello = "braid.cli.test.Greeter.SayHello";
    List<String[]> cases = List.of(
        new String[] {"the method name is empty", "call", addr, "", "--data-hex", "00"},
        new String[] {"is not Service.Method", "call", addr, "Unary", "--data-hex", "00"},
        new String[] {"'0' would fail every call at once; write none", "call", addr,
            "braid.test.Echo.Unary", "--data-hex", "00", "--timeout", "0"},
        new String[] {"'5' has no unit: write e.g. 5s or 5ms (accepted: 500ms, 2s, 1m, 1h,"
            + " 1m30s, none)", "call", addr, "braid.test.Echo.Unary", "--data-hex", "00",
            "--timeout", "5"},
        new String[] {"'0s' is zero", "call", addr, "braid.test.Echo.Unary", "--data-hex", "00",
            "--timeout", "0s"},
        new String[] {"'zz' is not hex", "call", addr, "braid.test.Echo.Unary", "--data-hex",
            "zz"},
        new String[] {"cannot read /nonexistent/req.hex: no such file", "call", addr,
            "braid.test.Echo.Unary", "--data-hex", "@/nonexistent/req.hex"},
        new String[] {"-d/--data is JSON and needs --proto", "call", addr,
            "braid.test.Echo.Unary", "-d", "{\"name\":\"a\"}"},
        new String[] {"list reads the service description", "call", addr, "list"},
        new String[] {"'sideways' is not a shape", "call", addr, "braid.test.Echo.Unary",
            "--shape", "sideways", "--data-hex", "00"},
        new String[] {"takes one request, not 2", "call", addr, "braid.test.Echo.Unary",
            "--data-hex", "00", "--data-hex", "01"},
        // strict JSON: wrong types, unknown fields, trailing content, syntax
        new String[] {"field 'name' is a string: expected a JSON string, got the number 5",
            "call", addr, hello, "--proto", greet, "-d", "{\"name\":5}"},
        new String[] {"field 'name' is a string: expected a JSON string, got an array",
            "call", addr, hello, "--proto", greet, "-d", "{\"name\":[\"a\"]}"},
        new String[] {"field 'times' is an int32: expected an integer", "call", addr, hello,
            "--proto", greet, "-d", "{\"times\":true}"},
        new String[] {"unknown field 'nope' in braid.cli.test.HelloRequest (its fields: name,"
            + " times); --allow-unknown-fields ignores such fields", "call", addr, hello,
            "--proto", greet, "-d", "{\"nope\":1}"},
        new String[] {"invalid JSON at line 1, column 14: unexpected 'x' after the JSON value",
            "call", addr, hello, "--proto", greet, "-d", "{\"name\":\"a\"} x"},
        new String[] {"invalid JSON at line 1, column 9: expected a JSON value, got '}'", "call",
            addr, hello, "--proto", greet, "-d", "{\"name\":}"},
        new String[] {"invalid JSON at line 1, column 2: expected a field name in double quotes",
            "call", addr, hello, "--proto", greet, "-d", "{name:\"a\"}"},
        new String[] {"unknown method 'braid.cli.test.Greeter.Nope'", "call", addr,
            "braid.cli.test.Greeter.Nope", "--proto", greet},
        new String[] {"cannot read missing.proto: no such file", "call", addr, hello,
            "--proto", "missing.proto"},
        // braid ranges
        new String[] {"outside the range of 64-bit epoch milliseconds at column 3", "ranges",
            "--clustering", "timestamp", "to-positions",
            "[('+999999999-12-31T23:59:59.999Z'), +inf)"},
        new String[] {"double value '1e999999' is out of range", "ranges", "--clustering",
            "double", "to-positions", "[(1e999999), +inf)"},
        new String[] {"invalid int value 'x' at column 8\n  [('\uD83D\uDE00', x), +inf)\n"
            + "         ^", "ranges", "--clustering", "text, int", "to-positions",
            "[('\uD83D\uDE00', x), +inf)"},
        new String[] {"missing command: one of serve, call, ranges, node, shell, cluster, bench"},
        new String[] {"Unknown option: '--frobnicate'", "call", addr, "braid.test.Echo.Unary",
            "--frobnicate"});
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      BraidProcess.Result r = BraidProcess.run(null, args);
      assertThat(r.exitCode()).as("exit status of %s; stderr: %s", List.of(args), r.err())
          .isEqualTo(2);
      assertThat(r.err()).as("stderr of %s", List.of(args)).contains(c[0])
          .doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(r.out()).as("stdout of %s", List.of(args)).doesNotContain("Exception");
    }
  }

  @Test
  void allowUnknownFieldsAndABadStreamedLine() throws Exception {
    assertThat(ok(BraidProcess.run(null, "call", addr, "braid.test.Echo.Unary", "--proto",
        ECHO_PROTO, "-d", "{\"text\":[\"k\"],\"extra\":1}", "--allow-unknown-fields")).lines())
        .containsExactly("{\"text\":[\"k\"]}");
    // the first line is sent (and echoed) before the second turns out bad
    BraidProcess.Result r = BraidProcess.run("{\"text\":[\"ok\"]}\n{\"text\":\"no\"}\n", "call",
        addr, "braid.test.Echo.Bidi", "--proto", ECHO_PROTO);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("bad request for /braid.test.Echo/Bidi (line 2 of standard"
        + " input): field 'text' is a repeated string (a JSON array), not the string \"no\"")
        .doesNotContain("Exception");
  }
}
