package dev.braid.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code braid bench}: listed here so that help shows it, but run by the {@code ./braid}
 * launcher, which starts the separate benchmark jar (braid-bench) instead of this CLI. Reached
 * only when the CLI jar is run directly; then it says how to run the benchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Runs the benchmarks (see ./braid bench --help, bench/README.md).",
    description = {"The benchmarks live in a separate jar (braid-bench/target/benchmarks.jar),",
        "which the ./braid launcher builds and runs: ./braid bench --help."})
final class BenchCommand implements Callable<Integer> {
  @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to the harness.")
  private List<String> args = List.of();

  @Override
  public Integer call() {
    throw new UserError("the benchmark harness is a separate jar: run it with ./braid bench"
        + (args.isEmpty() ? "" : " " + String.join(" ", args))
        + " from a braid checkout (see bench/README.md)");
  }
}
