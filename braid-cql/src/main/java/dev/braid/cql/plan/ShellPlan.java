package dev.braid.cql.plan;

import java.util.OptionalInt;

/** Shell commands: they change or show shell settings, or ask the shell to do something. */
public sealed interface ShellPlan extends Plan {
  /**
   * {@code PAGING n | ON | OFF}, or bare {@code PAGING} (show).
   *
   * @param pageSize the page size when set to a number
   * @param off      whether paging is turned off
   * @param on       whether paging is turned on with the default size
   */
  record Paging(OptionalInt pageSize, boolean off, boolean on) implements ShellPlan {
  }

  /**
   * {@code TRACING ON | OFF}, or bare {@code TRACING} (show).
   *
   * @param on true/false, or null to show the setting
   */
  record Tracing(Boolean on) implements ShellPlan {
  }

  /**
   * {@code CONSISTENCY level}, or bare {@code CONSISTENCY} (show).
   *
   * @param level the level, or null to show the setting
   */
  record SetConsistency(Consistency level) implements ShellPlan {
  }

  /**
   * {@code DESCRIBE ...}.
   *
   * @param kind     what to describe
   * @param keyspace the keyspace (resolved against the current one; null for KEYSPACES)
   * @param table    the table for TABLE, else null
   */
  record Describe(Kind kind, String keyspace, String table) implements ShellPlan {
    /** What DESCRIBE lists. */
    public enum Kind {
      /** Every keyspace name. */
      KEYSPACES,
      /** The tables of the current keyspace (or of all keyspaces). */
      TABLES,
      /** One table's CREATE TABLE statement. */
      TABLE,
      /** One keyspace's CREATE statements. */
      KEYSPACE
    }
  }

  /** {@code SHOW CLUSTER}. */
  record ShowCluster() implements ShellPlan {
  }

  /**
   * {@code SOURCE 'file'}.
   *
   * @param file the file name as given
   */
  record Source(String file) implements ShellPlan {
  }

  /** {@code HELP}. */
  record Help() implements ShellPlan {
  }

  /** {@code EXIT} / {@code QUIT}. */
  record Exit() implements ShellPlan {
  }
}
