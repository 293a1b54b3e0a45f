package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level {@code braid} command: subcommands, help, exit codes. */
class MainTest {
  @Test
  void noCommandExits2AndHelpExits0() {
    Cli.Result none = Cli.run();
    assertThat(none.err()).contains("missing command: one of serve, call, ranges, node, shell, cluster, bench");
    assertThat(none.exitCode()).isEqualTo(2);
    Cli.Result help = Cli.run("--help");
    assertThat(help.out()).contains("serve", "call", "ranges", "bench");
    assertThat(help.exitCode()).isZero();
  }

  @Test
  void rangesIsASubcommand() {
    Cli.Result r = Cli.run("ranges", "--clustering", "int", "compare", "before(1)", "at(1)");
    assertThat(r.out()).isEqualTo("<" + System.lineSeparator());
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void versionIsPrinted() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.out()).startsWith("braid ");
    assertThat(r.exitCode()).isZero();
  }

  @picocli.CommandLine.Command(name = "boom")
  static final class Boom implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Option(names = "--user")
    boolean user;

    @Override
    public Integer call() {
      if (user) {
        throw new UserError("that value is wrong");
      }
      throw new IllegalStateException("something broke");
    }
  }

  @Test
  void failuresPrintOneLineWithoutAStackTrace() {
    for (boolean user : new boolean[] {true, false}) {
      java.io.StringWriter err = new java.io.StringWriter();
      picocli.CommandLine cl = Main.commandLine();
      cl.addSubcommand(new Boom());
      cl.setErr(new java.io.PrintWriter(err, true));
      int code = user ? cl.execute("boom", "--user") : cl.execute("boom");
      if (user) {
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("braid boom: that value is wrong"
            + System.lineSeparator());
      } else {
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("braid boom: internal error: something broke"
            + " (BRAID_DEBUG=1 prints the details)" + System.lineSeparator());
      }
    }
  }
}
