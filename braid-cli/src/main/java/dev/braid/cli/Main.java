package dev.braid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code braid} command line: {@code braid serve}, {@code braid call} and
 * {@code braid ranges}. The process exits with the subcommand's exit code: 0 on success,
 * 1 when the operation failed, 2 for bad arguments.
 */
@Command(name = "braid", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "braid: a Java implementation of DRPC.",
    subcommands = {ServeCommand.class, CallCommand.class, RangesCommand.class,
        ClusterCommand.class})
public final class Main implements Runnable {
  @Spec
  private CommandSpec spec;

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * A fresh {@code braid} command line. Parse errors print the message and a hint on
   * standard error and exit with 2.
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setParameterExceptionHandler(Main::onBadArguments);
    return cl;
  }

  private static int onBadArguments(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    cl.getErr().println("Run '" + cl.getCommandSpec().qualifiedName()
        + " --help' for usage.");
    cl.getErr().flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing command: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"braid " + (v == null ? "(development build)" : v)};
    }
  }
}
