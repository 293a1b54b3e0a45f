package dev.braid.shell;

import dev.braid.cql.schema.SchemaView;
import dev.braid.cql.schema.TableMetadata;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: after {@code FROM}, {@code INTO}, {@code UPDATE}, {@code TABLE} the tables
 * (of the current keyspace, and {@code ks.table} for all); after {@code USE} and {@code
 * KEYSPACE} the keyspaces; elsewhere the keywords and the columns of the tables named on the
 * line. Schema lookups go to the backend on each completion.
 */
final class ShellCompleter implements Completer {
  static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "AND", "IN", "ORDER",
      "BY", "ASC", "DESC", "LIMIT", "PER", "PARTITION", "INSERT", "INTO", "VALUES", "USING",
      "TIMESTAMP", "TTL", "UPDATE", "SET", "DELETE", "CREATE", "KEYSPACE", "TABLE", "IF", "NOT",
      "EXISTS", "WITH", "REPLICATION", "PRIMARY", "KEY", "CLUSTERING", "STATIC", "DROP", "USE",
      "TOKEN", "PAGING", "TRACING", "ON", "OFF", "CONSISTENCY", "ONE", "QUORUM", "ALL",
      "DESCRIBE", "KEYSPACES", "TABLES", "SHOW", "CLUSTER", "SOURCE", "HELP", "EXIT", "QUIT",
      "NULL", "TRUE", "FALSE", "int", "bigint", "text", "varchar", "blob", "boolean", "double",
      "uuid", "timestamp");

  private final Shell shell;

  ShellCompleter(Shell shell) {
    this.shell = shell;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    SchemaView schema;
    try {
      schema = shell.backend().schema();
    } catch (RuntimeException e) {
      schema = null; // completion must never break the line editor
    }
    List<String> words = line.words();
    String previous = line.wordIndex() > 0
        ? words.get(line.wordIndex() - 1).toLowerCase(Locale.ROOT) : "";
    Set<String> out = new LinkedHashSet<>();
    if (schema != null && Set.of("from", "into", "update", "table").contains(previous)) {
      String ks = shell.keyspace();
      if (ks != null) {
        schema.tables(ks).forEach(t -> out.add(t.name()));
      }
      for (String k : schema.keyspaces()) {
        schema.tables(k).forEach(t -> out.add(k + "." + t.name()));
      }
    } else if (schema != null && Set.of("use", "keyspace").contains(previous)) {
      out.addAll(schema.keyspaces());
    } else {
      out.addAll(KEYWORDS);
      if (schema != null) {
        for (String w : words) {
          for (TableMetadata t : tablesNamed(schema, w)) {
            t.columns().forEach(c -> out.add(c.name()));
          }
        }
      }
    }
    for (String s : out) {
      candidates.add(new Candidate(s, s, null, null, null, null, true));
    }
  }

  private List<TableMetadata> tablesNamed(SchemaView schema, String word) {
    int dot = word.indexOf('.');
    if (dot > 0) {
      return schema.table(word.substring(0, dot), word.substring(dot + 1)).stream().toList();
    }
    String ks = shell.keyspace();
    return ks == null ? List.of() : schema.table(ks, word).stream().toList();
  }
}
