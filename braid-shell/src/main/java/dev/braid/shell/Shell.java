package dev.braid.shell;

import dev.braid.cql.Cql;
import dev.braid.cql.CqlException;
import dev.braid.cql.plan.Consistency;
import dev.braid.cql.plan.CreateTablePlan;
import dev.braid.cql.plan.DeletePlan;
import dev.braid.cql.plan.DropKeyspacePlan;
import dev.braid.cql.plan.Plan;
import dev.braid.cql.plan.SelectPlan;
import dev.braid.cql.plan.ShellPlan;
import dev.braid.cql.plan.UsePlan;
import dev.braid.cql.plan.WritePlan;
import dev.braid.cql.schema.KeyspaceMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The braid shell: runs CQL-subset statements and shell commands against a {@link
 * ShellBackend}, either from a script ({@link #runScript}) or interactively on a terminal
 * ({@link #runInteractive}) with line editing, a history file, multi-line statements (until
 * {@code ;}) and tab completion of keywords, keyspaces, tables and columns.
 *
 * <p>Results go to standard output in the chosen {@link OutputFormat}; a failing statement
 * prints its error (with a caret under the offending token) on standard error. With {@link
 * OutputFormat#JSON}, informational messages and trace lines also go to standard error, so that
 * standard output holds only JSON rows.
 *
 * <p>Settings: {@code PAGING} (default OFF for scripts and 100 interactively, as cqlsh; pages are
 * fetched by position and all printed), {@code TRACING}, {@code CONSISTENCY} (until set: QUORUM
 * for keyspaces with replication factor &gt; 1, else ONE), {@code USE}.
 *
 * <p>Threading: one thread uses a shell.
 */
public final class Shell {
  /** The interactive default page size. */
  public static final int DEFAULT_PAGE_SIZE = 100;
  private static final int MAX_SOURCE_DEPTH = 8;
  private static final long MAX_PAGES = 1_000_000;

  private final ShellBackend backend;
  private final OutputFormat format;
  private PrintWriter out;
  private final PrintWriter err;
  private String keyspace;
  private int pageSize;
  private boolean tracing;
  private Consistency consistency;
  private boolean exitRequested;
  private int sourceDepth;

  /**
   * @param backend where statements run
   * @param format  how rows are printed
   * @param out     standard output
   * @param err     standard error
   */
  public Shell(ShellBackend backend, OutputFormat format, PrintWriter out, PrintWriter err) {
    this.backend = backend;
    this.format = format;
    this.out = out;
    this.err = err;
  }

  /** Sets the current keyspace (as {@code USE} does, without checking it exists). */
  public Shell keyspace(String ks) {
    this.keyspace = ks;
    return this;
  }

  /** The current keyspace, or null. */
  public String keyspace() {
    return keyspace;
  }

  /** Sets the page size (0 = paging off). */
  public Shell pageSize(int n) {
    this.pageSize = Math.max(0, n);
    return this;
  }

  ShellBackend backend() {
    return backend;
  }

  /**
   * Runs the statements of a script ({@code ;}-separated) in order. Stops at the first failing
   * statement (its error printed on standard error) or at {@code EXIT}.
   *
   * @return 0 when every statement succeeded, 1 otherwise
   */
  public int runScript(String script) {
    for (Cql.Fragment f : Cql.split(script)) {
      if (!run(f.text())) {
        flush();
        return 1;
      }
      if (exitRequested) {
        break;
      }
    }
    flush();
    return 0;
  }

  /**
   * Runs the shell interactively on {@code terminal} until {@code EXIT}, {@code QUIT} or end of
   * input (Ctrl-D). Ctrl-C abandons the statement being typed. Results are written to the
   * terminal, errors to this shell's standard error.
   *
   * @param historyFile where the history is kept across sessions, or null for none
   * @return 0
   */
  public int runInteractive(Terminal terminal, Path historyFile) {
    if (pageSize == 0) {
      pageSize = DEFAULT_PAGE_SIZE;
    }
    LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("braid")
        .completer(new ShellCompleter(this))
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.CASE_INSENSITIVE, true);
    if (historyFile != null) {
      b.variable(LineReader.HISTORY_FILE, historyFile);
    }
    LineReader reader = b.build();
    this.out = terminal.writer();
    out.println("Connected to braid. Type HELP for the supported statements, EXIT to leave.");
    out.flush();
    StringBuilder buf = new StringBuilder();
    while (!exitRequested) {
      String line;
      try {
        line = reader.readLine(buf.length() == 0 ? prompt() : "   ...> ");
      } catch (UserInterruptException e) {
        buf.setLength(0);
        continue;
      } catch (EndOfFileException e) {
        break;
      }
      buf.append(line).append('\n');
      if (Cql.isComplete(buf.toString())) {
        String text = buf.toString();
        buf.setLength(0);
        for (Cql.Fragment f : Cql.split(text)) {
          run(f.text());
          flush();
          if (exitRequested) {
            break;
          }
        }
      }
    }
    try {
      reader.getHistory().save();
    } catch (IOException e) {
      err.println("warning: could not save the history: " + e.getMessage());
    }
    flush();
    return 0;
  }

  /** The prompt: {@code braid> } or {@code braid:ks> }. */
  String prompt() {
    return keyspace == null ? "braid> " : "braid:" + keyspace + "> ";
  }

  private void flush() {
    out.flush();
    err.flush();
  }

  /** Runs one statement; prints its error and returns false when it fails. */
  boolean run(String fragment) {
    String text = fragment.strip();
    if (text.isEmpty()) {
      return true;
    }
    try {
      Plan plan = Cql.prepare(text, backend.schema(), keyspace);
      execute(plan);
      return true;
    } catch (CqlException e) {
      err.println(e.kind().label() + ": " + e.getMessage());
    } catch (ShellBackendException e) {
      err.println(e.label() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      err.println("ServerError: " + e);
    }
    return false;
  }

  private void execute(Plan plan) {
    if (plan instanceof ShellPlan sp) {
      shellCommand(sp);
      return;
    }
    if (plan instanceof UsePlan u) {
      keyspace = u.keyspace();
      return;
    }
    if (plan instanceof SelectPlan s) {
      select(s);
      return;
    }
    ShellBackend.Result r = backend.execute(plan, options(plan, 0, null));
    printTrace(r.trace());
    if (plan instanceof DropKeyspacePlan d && d.keyspace().equals(keyspace)) {
      keyspace = null;
    }
  }

  private void select(SelectPlan s) {
    if (pageSize > 0 && s.orderBy() && s.partitionKeys().size() > 1) {
      throw new CqlException(CqlException.Kind.INVALID, "Cannot page queries with both ORDER BY"
          + " and a IN restriction on the partition key; you must either remove the ORDER BY or"
          + " the IN and sort client side, or disable paging for this query", null, -1);
    }
    List<ShellBackend.Column> columns = null;
    List<List<Object>> rows = new ArrayList<>();
    List<String> trace = new ArrayList<>();
    byte[] state = null;
    long pages = 0;
    do {
      ShellBackend.Result r = backend.execute(s, options(s, pageSize, state));
      if (columns == null) {
        columns = r.columns();
      }
      rows.addAll(r.rows());
      trace.addAll(r.trace());
      state = r.pagingState();
      if (++pages > MAX_PAGES) {
        throw new ShellBackendException("the backend returned more than " + MAX_PAGES + " pages");
      }
    } while (state != null && pageSize > 0);
    out.print(format.render(columns, rows));
    printTrace(trace);
  }

  private ShellBackend.Options options(Plan plan, int pages, byte[] state) {
    return new ShellBackend.Options(consistencyFor(plan), pages, state, tracing);
  }

  private Consistency consistencyFor(Plan plan) {
    if (consistency != null) {
      return consistency;
    }
    String ks = null;
    if (plan instanceof SelectPlan s) {
      ks = s.table().keyspace();
    } else if (plan instanceof WritePlan w) {
      ks = w.table().keyspace();
    } else if (plan instanceof DeletePlan d) {
      ks = d.table().keyspace();
    } else if (plan instanceof CreateTablePlan c) {
      ks = c.table().keyspace();
    }
    int rf = ks == null ? 1 : backend.schema().keyspace(ks).map(KeyspaceMetadata::replicationFactor)
        .orElse(1);
    return rf > 1 ? Consistency.QUORUM : Consistency.ONE;
  }

  private void printTrace(List<String> trace) {
    if (!tracing || trace.isEmpty()) {
      return;
    }
    PrintWriter w = info();
    w.println();
    w.println("Tracing:");
    trace.forEach(t -> w.println("  " + t));
  }

  /** Where informational messages go: stdout for tables, stderr for JSON (stdout stays JSON). */
  private PrintWriter info() {
    return format == OutputFormat.JSON ? err : out;
  }

  private void shellCommand(ShellPlan sp) {
    PrintWriter w = info();
    if (sp instanceof ShellPlan.Paging p) {
      if (p.pageSize().isPresent()) {
        pageSize = p.pageSize().getAsInt();
        w.println("Page size: " + pageSize);
      } else if (p.off()) {
        pageSize = 0;
        w.println("Disabled Query paging.");
      } else if (p.on()) {
        pageSize = DEFAULT_PAGE_SIZE;
        w.println("Now Query paging is enabled\nPage size: " + pageSize);
      } else if (pageSize > 0) {
        w.println("Query paging is currently enabled. Use PAGING OFF to disable\nPage size: "
            + pageSize);
      } else {
        w.println("Query paging is currently disabled. Use PAGING ON to enable.");
      }
    } else if (sp instanceof ShellPlan.Tracing t) {
      if (t.on() == null) {
        w.println("Tracing is " + (tracing ? "enabled" : "disabled") + ".");
      } else {
        tracing = t.on();
        w.println(tracing ? "Now Tracing is enabled" : "Disabled Tracing.");
      }
    } else if (sp instanceof ShellPlan.SetConsistency c) {
      if (c.level() == null) {
        w.println("Current consistency level is " + (consistency == null
            ? "QUORUM when the replication factor is > 1, else ONE" : consistency) + ".");
      } else {
        consistency = c.level();
        w.println("Consistency level set to " + consistency + ".");
      }
    } else if (sp instanceof ShellPlan.Describe d) {
      out.println();
      out.println(backend.describe(d));
      out.println();
    } else if (sp instanceof ShellPlan.ShowCluster) {
      out.println(backend.clusterStatus());
    } else if (sp instanceof ShellPlan.Source s) {
      source(s.file());
    } else if (sp instanceof ShellPlan.Help) {
      out.print(HELP);
    } else if (sp instanceof ShellPlan.Exit) {
      exitRequested = true;
    }
  }

  private void source(String file) {
    if (sourceDepth >= MAX_SOURCE_DEPTH) {
      throw new ShellBackendException("ShellError", "SOURCE nested more than " + MAX_SOURCE_DEPTH
          + " deep", null);
    }
    String script;
    try {
      script = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ShellBackendException("ShellError", "Could not open '" + file + "': " + e, e);
    }
    sourceDepth++;
    try {
      for (Cql.Fragment f : Cql.split(script)) {
        if (!run(f.text())) {
          throw new ShellBackendException("ShellError", "SOURCE '" + file + "' stopped at the"
              + " failing statement above", null);
        }
        if (exitRequested) {
          return;
        }
      }
    } finally {
      sourceDepth--;
    }
  }

  static final String HELP = """
      braid shell: a CQL subset. Statements end with ';' (shell commands need none).

        CREATE KEYSPACE [IF NOT EXISTS] ks WITH replication =
            {'class': 'SimpleStrategy', 'replication_factor': N}
        USE ks
        DROP KEYSPACE [IF EXISTS] ks
        CREATE TABLE [IF NOT EXISTS] [ks.]t (col type [static], ...,
            PRIMARY KEY ((pk1, pk2), ck1, ck2)) [WITH CLUSTERING ORDER BY (ck1 ASC, ck2 DESC)]
          types: int bigint text varchar blob boolean double uuid timestamp
        DROP TABLE [IF EXISTS] [ks.]t
        INSERT INTO t (cols) VALUES (values) [USING TIMESTAMP n] [AND TTL n]
        UPDATE t [USING TIMESTAMP n] [AND TTL n] SET c = v, ... WHERE <full primary key>
        DELETE [cols] FROM t [USING TIMESTAMP n] WHERE <partition key>
            [AND clustering restrictions: =, IN, <, <=, >, >=, (c1, c2) >= (1, 'a')]
        SELECT * | cols | token(pk, ...) FROM t
            [WHERE <partition key = or IN> [AND clustering restrictions]]
            [ORDER BY ck1 DESC, ...] [PER PARTITION LIMIT n] [LIMIT n]
          (no WHERE on the partition key: a scan in token order)

      Shell commands:
        PAGING n | ON | OFF          page size for SELECT (pages are fetched by position)
        TRACING ON | OFF             print the verbs each request used and their latency
        CONSISTENCY ONE | QUORUM | ALL
        DESCRIBE KEYSPACES | TABLES | TABLE t | KEYSPACE ks
        SHOW CLUSTER                 the cluster's status
        SOURCE 'file'                run the statements of a file
        HELP                         this text
        EXIT | QUIT
      """;
}
