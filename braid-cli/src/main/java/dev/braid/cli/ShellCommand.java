package dev.braid.cli;

import dev.braid.shell.OutputFormat;
import dev.braid.shell.Shell;
import dev.braid.shell.StoreBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code braid shell HOST:PORT}: the CQL-subset shell against one braid-store node. With {@code
 * -e 'STATEMENTS'} (or {@code -f FILE}, or statements piped on standard input) it runs them and
 * exits: 0 when all succeeded, 1 at the first failure (its error, with a caret, on standard
 * error; later statements are not run). On a terminal it is interactive (line editing, history in
 * {@code ~/.braid_history}, completion).
 */
@Command(name = "shell", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"The braid shell: a CQL subset against a braid-store node.",
        "Interactive on a terminal; -e 'STATEMENTS' (separated by ';') for scripts."})
final class ShellCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9042",
      description = "The node (default: ${DEFAULT-VALUE}).")
  private String address;

  @Option(names = {"-e", "--execute"}, paramLabel = "STATEMENTS",
      description = "Run these statements (separated by ';') and exit.")
  private String execute;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "Run the statements of FILE and exit.")
  private Path file;

  @Option(names = {"-k", "--keyspace"}, paramLabel = "KEYSPACE",
      description = "Start in this keyspace (as USE).")
  private String keyspace;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
      description = "Rows as 'table' (default, cqlsh-like) or 'json' (one object per line).")
  private String format;

  @Option(names = "--history", paramLabel = "FILE",
      description = "The interactive history file (default: ~/.braid_history).")
  private Path history;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OutputFormat fmt;
    switch (format) {
      case "table" -> fmt = OutputFormat.TABLE;
      case "json" -> fmt = OutputFormat.JSON;
      default -> {
        err.println("braid shell: --format must be 'table' or 'json', got '" + format + "'");
        err.flush();
        return 2;
      }
    }
    StoreBackend backend;
    try {
      backend = StoreBackend.connect(address);
    } catch (IOException | RuntimeException e) {
      err.println("braid shell: cannot connect to " + address + ": " + CliValues.rootMessage(e));
      err.flush();
      return 1;
    }
    try (backend) {
      Shell shell = new Shell(backend, fmt, out, err);
      if (keyspace != null && shell.runScript("USE " + keyspace) != 0) {
        return 1;
      }
      if (execute != null) {
        return shell.runScript(execute);
      }
      if (file != null) {
        return shell.runScript(Files.readString(file, StandardCharsets.UTF_8));
      }
      if (System.console() == null) {
        return shell.runScript(new String(System.in.readAllBytes(), StandardCharsets.UTF_8));
      }
      try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
        Path h = history != null ? history
            : Path.of(System.getProperty("user.home"), ".braid_history");
        return shell.runInteractive(terminal, h);
      }
    }
  }
}
