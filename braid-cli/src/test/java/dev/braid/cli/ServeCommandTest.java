package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.testing.EchoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code braid serve} in process: it listens, serves Echo, and stops when interrupted. */
class ServeCommandTest {

  @Test
  void servesEchoUntilInterrupted() throws Exception {
    Cli.LineQueue out = new Cli.LineQueue();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread serving = new Thread(() -> exit.complete(
        cl.execute("serve", "--listen", "127.0.0.1:0")), "braid-serve-test");
    serving.start();
    try {
      String line = out.nextLine(30);
      assertThat(line).matches("listening on 127\\.0\\.0\\.1:\\d+");
      String address = line.substring("listening on ".length());
      assertThat(address).doesNotEndWith(":0");

      Cli.Result unary = Cli.run("call", address, "/braid.test.Echo/Unary",
          "--data-hex", "68656c6c6f");
      assertThat(unary.out()).isEqualTo("68656c6c6f" + System.lineSeparator());
      assertThat(unary.exitCode()).isZero();

      Cli.Result fail = Cli.run("call", address, "/braid.test.Echo/Fail",
          "--data-hex", "626f6f6d");
      assertThat(fail.err()).isEqualTo("code 5: boom" + System.lineSeparator());
      assertThat(fail.exitCode()).isEqualTo(1);

      serving.interrupt();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      // the listener is gone: a connection is refused, unless the kernel happens to pick
      // the same port as the source and the socket connects to itself (loopback only)
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        assertThat(probe.getLocalPort()).as("connected to a listener that should be gone")
            .isEqualTo(port);
      } catch (java.net.ConnectException refused) {
        assertThat(refused).hasMessageContaining("refused");
      }
      assertThat(err.toString()).isEmpty();
    } finally {
      serving.interrupt();
      serving.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  @Test
  void portInUseExits1WithAClearMessage() throws Exception {
    try (BraidServer taken = BraidServer.builder().listen("127.0.0.1", 0)
        .addService(new EchoService().definition()).build().start()) {
      Cli.Result r = Cli.run("serve", "--listen", "127.0.0.1:" + taken.port());
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).isEqualTo("braid serve: cannot listen on 127.0.0.1:" + taken.port()
          + ": Address already in use" + System.lineSeparator());
      assertThat(r.exitCode()).isEqualTo(1);
    }
  }

  @Test
  void badListenAddressExits2() {
    Cli.Result r = Cli.run("serve", "--listen", "localhost");
    assertThat(r.err()).startsWith("braid serve: Invalid value for option '--listen'")
        .contains("expected HOST:PORT, got 'localhost'");
    assertThat(r.exitCode()).isEqualTo(2);
  }
}
