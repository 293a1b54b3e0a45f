package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level {@code braid} command: subcommands, help, exit codes. */
class MainTest {
  @Test
  void noCommandExits2AndHelpExits0() {
    Cli.Result none = Cli.run();
    assertThat(none.err()).contains("missing command: one of serve, call, ranges, bench");
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
}
