package dev.braid.cql;

import dev.braid.cql.plan.Plan;
import dev.braid.cql.schema.SchemaView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The entry point of the CQL subset: split a script into statements, and turn one statement
 * into a {@link Plan} against a schema.
 *
 * <pre>
 * Plan p = Cql.prepare("SELECT * FROM t WHERE k = 1 AND (c1, c2) &gt;= (1, 'a')", schema, "ks");
 * </pre>
 *
 * <p>Thread-safe: no state is shared between calls.
 */
public final class Cql {
  /** Shell commands that end at the end of their line, without {@code ;}. */
  private static final Set<String> LINE_COMMANDS = Set.of("paging", "tracing", "consistency",
      "describe", "desc", "show", "source", "help", "exit", "quit");

  private Cql() {
  }

  /**
   * A statement of a script.
   *
   * @param text   the statement text, without its terminating {@code ;}
   * @param offset where {@code text} starts in the script
   */
  public record Fragment(String text, int offset) {
  }

  /**
   * Splits a script at {@code ;} outside string literals, quoted identifiers and comments. Blank
   * fragments are dropped; an unterminated string makes the rest of the script one fragment
   * (whose parse then fails).
   */
  public static List<Fragment> split(String script) {
    List<Fragment> out = new ArrayList<>();
    int start = 0;
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n) {
          if (script.charAt(j) == c) {
            if (j + 1 < n && script.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        i = j + 1;
      } else if (script.startsWith("--", i) || script.startsWith("//", i)) {
        while (i < n && script.charAt(i) != '\n') {
          i++;
        }
      } else if (script.startsWith("/*", i)) {
        int e = script.indexOf("*/", i + 2);
        i = e < 0 ? n : e + 2;
      } else if (c == ';') {
        add(out, script, start, i);
        start = i + 1;
        i++;
      } else {
        i++;
      }
    }
    add(out, script, start, Math.min(n, script.length()));
    return out;
  }

  private static void add(List<Fragment> out, String script, int from, int to) {
    String s = script.substring(from, Math.min(to, script.length()));
    if (!stripComments(s).isBlank()) {
      out.add(new Fragment(s, from));
    }
  }

  private static String stripComments(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)(--|//).*$", " ");
  }

  /**
   * Whether the shell has a whole statement in {@code buffer}: it ends with {@code ;} outside
   * quotes and comments, or it is a shell command ({@code HELP}, {@code EXIT}, {@code PAGING},
   * {@code DESCRIBE}, ...) which needs no {@code ;}.
   */
  public static boolean isComplete(String buffer) {
    String t = stripComments(buffer).strip();
    if (t.isEmpty()) {
      return true;
    }
    String first = t.split("[\\s;(]", 2)[0].toLowerCase(Locale.ROOT);
    if (LINE_COMMANDS.contains(first) && balancedQuotes(buffer)) {
      return true;
    }
    List<Fragment> parts = split(buffer);
    if (!balancedQuotes(buffer)) {
      return false;
    }
    int lastSemi = lastTopLevelSemicolon(buffer);
    if (lastSemi < 0) {
      return false;
    }
    // complete when nothing but blanks/comments follows the last top-level ';'
    return parts.isEmpty() || parts.get(parts.size() - 1).offset() <= lastSemi;
  }

  private static int lastTopLevelSemicolon(String s) {
    int last = -1;
    for (Fragment f : split(s)) {
      int end = f.offset() + f.text().length();
      if (end < s.length() && s.charAt(end) == ';') {
        last = end;
      }
    }
    return last;
  }

  private static boolean balancedQuotes(String s) {
    boolean inSingle = false;
    boolean inDouble = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !inDouble) {
        inSingle = !inSingle;
      } else if (c == '"' && !inSingle) {
        inDouble = !inDouble;
      } else if (!inSingle && !inDouble && (s.startsWith("--", i) || s.startsWith("//", i))) {
        int e = s.indexOf('\n', i);
        if (e < 0) {
          return true;
        }
        i = e;
      }
    }
    return !inSingle && !inDouble;
  }

  /**
   * Parses and binds one statement (an optional trailing {@code ;} is allowed).
   *
   * @param statement       the statement text
   * @param schema          the schema to bind against
   * @param currentKeyspace the keyspace of {@code USE}, or null
   * @return the plan
   * @throws CqlException with the position of the offending token when the statement is
   *     malformed or invalid
   */
  public static Plan prepare(String statement, SchemaView schema, String currentKeyspace) {
    Ast.Stmt stmt = Parser.parse(statement);
    return new Binder(schema, currentKeyspace, statement).bind(stmt);
  }

  /**
   * Parses a statement without binding it: a syntax check.
   *
   * @throws CqlException when it is malformed
   */
  public static void checkSyntax(String statement) {
    Parser.parse(statement);
  }
}
