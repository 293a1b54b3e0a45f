package dev.braid.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** What TAB offers: tables after FROM, keyspaces after USE, keywords and the line's columns. */
class ShellCompleterTest {
  final FakeBackend backend = new FakeBackend();
  final Shell shell = new Shell(backend, OutputFormat.TABLE, new PrintWriter(new StringWriter()),
      new PrintWriter(new StringWriter()));

  List<String> complete(String line) {
    List<Candidate> out = new ArrayList<>();
    new ShellCompleter(shell).complete(null, new DefaultParser().parse(line, line.length()), out);
    return out.stream().map(Candidate::value).toList();
  }

  @Test
  void offersTablesKeyspacesKeywordsAndColumns() {
    assertThat(shell.runScript("""
        CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE KEYSPACE other WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
        CREATE TABLE ks.users (k int, c int, name text, PRIMARY KEY (k, c));
        USE ks;
        """)).isZero();
    assertThat(complete("SELECT * FROM u")).containsExactly("users", "ks.users");
    assertThat(complete("USE o")).containsExactly("ks", "other");
    assertThat(complete("SELECT n")).contains("SELECT", "WHERE");
    assertThat(complete("SELECT * FROM users WHERE n")).contains("k", "c", "name", "WHERE");
    assertThat(complete("SELECT * FROM ks.users WHERE n")).contains("name");
  }
}
