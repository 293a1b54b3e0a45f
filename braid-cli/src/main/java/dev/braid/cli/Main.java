package dev.braid.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code braid} command line. The subcommands are the entries of {@link #SUBCOMMANDS};
 * {@code braid --help} lists each with the first line of its {@code header} (or, without one,
 * of its {@code description}), so a new command needs only a new entry and a one-line header.
 *
 * <p>Exit status: 0 on success, 1 when the operation failed (a call ended with an error, a
 * server could not listen), 2 for a bad argument or value. No user error prints a stack trace:
 * a command reports one by throwing {@link UserError} (or a picocli {@link ParameterException});
 * anything else that escapes a command is reported in one line as an internal error (exit 1),
 * with the stack trace only when {@code BRAID_DEBUG=1}.
 */
@Command(name = "braid", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "braid: a Java implementation of DRPC.",
    commandListHeading = "%nCommands:%n")
public final class Main implements Runnable {
  /** The subcommands, in the order help lists them. Add new commands here. */
  static final List<Supplier<Object>> SUBCOMMANDS = List.of(
      ServeCommand::new,
      CallCommand::new,
      RangesCommand::new,
      NodeCommand::new,
      ClusterCommand::new,
      BenchCommand::new);

  @Spec
  private CommandSpec spec;

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * A fresh {@code braid} command line. Parse errors print the message and a hint on
   * standard error and exit with 2; {@code @FILE} arguments are not expanded (they are values
   * of their own, e.g. {@code braid call ... -d @request.json}).
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    for (Supplier<Object> s : SUBCOMMANDS) {
      cl.addSubcommand(s.get());
    }
    cl.setExpandAtFiles(false);
    cl.setParameterExceptionHandler(Main::onBadArguments);
    cl.setExecutionExceptionHandler(Main::onFailure);
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

  private static int onFailure(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    String who = cl.getCommandSpec().qualifiedName();
    if (e instanceof UserError u) {
      err.println(who + ": " + u.getMessage());
      err.flush();
      return u.exitCode();
    }
    err.println(who + ": internal error: " + CliValues.rootMessage(e)
        + " (BRAID_DEBUG=1 prints the details)");
    if ("1".equals(System.getenv("BRAID_DEBUG"))) {
      e.printStackTrace(err);
    }
    err.flush();
    return 1;
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
