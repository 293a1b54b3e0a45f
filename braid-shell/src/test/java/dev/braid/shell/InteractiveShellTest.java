package dev.braid.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell on a JLine terminal fed from a pipe: the prompt, a multi-line statement,
 * history recall (Ctrl-P), completion of a table name (TAB), an error with its caret, exit; and
 * the history file.
 */
class InteractiveShellTest {
  static String strip(String s) {
    return s.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "").replaceAll("\u001B[=>]", "")
        .replace("\r", "");
  }

  @Test
  void promptMultiLineHistoryCompletionErrorExit(@TempDir Path dir) throws Exception {
    FakeBackend backend = new FakeBackend();
    Shell setup = new Shell(backend, OutputFormat.TABLE, new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    assertThat(setup.runScript("""
        CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE TABLE ks.users (k int, c int, name text, PRIMARY KEY (k, c));
        CREATE TABLE ks.events (k int PRIMARY KEY, what text);
        INSERT INTO ks.users (k, c, name) VALUES (1, 1, 'ada');
        INSERT INTO ks.users (k, c, name) VALUES (1, 2, 'bob');
        """)).isZero();
    String typed = "USE ks;\r"
        + "SELECT name FROM users\r"          // multi-line: no ';' yet
        + "  WHERE k = 1 AND c = 2;\r"
        + "SELECT c FROM users WHERE k = 1;\r"
        + "\u0010\r"                            // Ctrl-P: recall the previous line, run it again
        + "SELECT name FROM us\t WHERE k = 1 AND c = 1;\r" // TAB completes 'users'
        + "SELECT nope FROM users WHERE k = 1;\r"
        + "exit\r"
        + "SELECT * FROM users;\r";             // after exit: never run
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    Path history = dir.resolve("history");
    try (Terminal terminal = new ExternalTerminal("test", "xterm-256color",
        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen,
        StandardCharsets.UTF_8)) {
      Shell shell = new Shell(backend, OutputFormat.TABLE, new PrintWriter(new StringWriter()),
          new PrintWriter(err));
      assertThat(shell.runInteractive(terminal, history)).isZero();
    }
    String s = strip(screen.toString(StandardCharsets.UTF_8));
    assertThat(s).contains("braid> USE ks;", "braid:ks> SELECT name FROM users",
        "   ...>   WHERE k = 1 AND c = 2;");
    assertThat(s).contains("\n name\n------\n  bob\n\n(1 rows)\n");
    // the SELECT c ... ran twice: once typed, once recalled from the history
    assertThat(s.split("\n c\n---\n 1\n 2\n\n\\(2 rows\\)", -1)).hasSize(3);
    assertThat(s).contains("SELECT name FROM users  WHERE k = 1 AND c = 1;",
        "\n name\n------\n  ada\n\n(1 rows)\n");
    assertThat(err.toString()).isEqualTo("InvalidRequest: Undefined column name nope in table"
        + " ks.users at column 8\n  SELECT nope FROM users WHERE k = 1\n         ^\n");
    assertThat(backend.executed.stream().filter(p -> p instanceof dev.braid.cql.plan.SelectPlan))
        .hasSize(4);
    assertThat(Files.readString(history)).contains("SELECT c FROM users WHERE k = 1;", "exit")
        .doesNotContain("SELECT * FROM users;");
  }
}
