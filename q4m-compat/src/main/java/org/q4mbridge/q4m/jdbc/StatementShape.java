package org.q4mbridge.q4m.jdbc;

import java.util.List;
import java.util.Set;

/**
 * The statement shapes the shim treats specially, recognised from the statement text. Everything
 * else is {@link PassThrough}: the shim sends it to the server unchanged. {@link StatementParser}
 * builds them.
 */
sealed interface StatementShape {

  /** The Q4M functions, lower case. */
  Set<String> QUEUE_FUNCTIONS =
      Set.of(
          "queue_wait",
          "queue_end",
          "queue_abort",
          "queue_rowid",
          "queue_set_srcid",
          "queue_stats",
          "queue_compact");

  /** Why a statement passes through; some kinds make the shim refresh what it cached. */
  enum PassKind {
    /** Nothing to do. */
    OTHER,
    /** CREATE/DROP/ALTER/TRUNCATE/RENAME: forget which tables are queues. */
    DDL,
    /** USE: the current database changed. */
    USE
  }

  /**
   * Sent to the server unchanged.
   *
   * @param kind what the shim refreshes afterwards
   * @param tables for DDL, the tables it names (when the shim recognises the statement)
   * @param dropsTables true for {@code DROP TABLE}
   */
  record PassThrough(PassKind kind, List<TableName> tables, boolean dropsTables)
      implements StatementShape {
    PassThrough(PassKind kind) {
      this(kind, List.of(), false);
    }
  }

  /** Uses a Q4M function in a form the shim does not support; executing it is an error. */
  record Unsupported(String reason) implements StatementShape {}

  /** An argument of a Q4M function call. */
  sealed interface Arg {}

  /**
   * A literal argument.
   *
   * @param value a {@link String}, a {@link Long}, a {@link java.math.BigDecimal} or {@code null}
   */
  record Literal(Object value) implements Arg {}

  /** A {@code ?} argument: the 1-based parameter index. */
  record Param(int index) implements Arg {}

  /**
   * {@code SELECT queue_xxx(args) [[AS] alias] [FROM DUAL]}.
   *
   * @param function the function name, lower case
   * @param args the arguments in order
   * @param label the result column's label: the alias, or the call's text as MySQL names it
   */
  record FunctionCall(String function, List<Arg> args, String label) implements StatementShape {}

  /**
   * A table named in a FROM clause.
   *
   * @param schema the schema as written, or {@code null}
   * @param table the table name
   * @param start offset of the name's first character (including its schema)
   * @param end offset after the name
   * @param aliased true when an alias follows
   */
  record TableName(String schema, String table, int start, int end, boolean aliased) {}

  /**
   * A SELECT reading tables.
   *
   * @param tables every table named in a FROM or JOIN (including those of subqueries), in text
   *     order
   * @param countStar true for exactly {@code SELECT COUNT(*) FROM t} (Q4M's fast count)
   * @param whereWait for {@code SELECT … FROM t WHERE queue_wait(…)}: the call, else {@code null}
   * @param whereStart offset of {@code WHERE} in the WHERE form, else -1
   * @param whereEnd offset after the call in the WHERE form, else -1
   * @param paramsBeforeWhere number of {@code ?} before {@code WHERE} in the WHERE form
   * @param identifiers every identifier in the statement, lower case
   */
  record Select(
      List<TableName> tables,
      boolean countStar,
      FunctionCall whereWait,
      int whereStart,
      int whereEnd,
      int paramsBeforeWhere,
      Set<String> identifiers)
      implements StatementShape {}

  /**
   * {@code DELETE FROM t [WHERE …] [ORDER BY …] [LIMIT …]}.
   *
   * @param table the table
   * @param where the WHERE condition's text, or {@code null}
   * @param tail the ORDER BY / LIMIT text, or {@code null}
   */
  record Delete(TableName table, String where, String tail) implements StatementShape {}

  /** {@code INSERT [modifiers] [INTO] t …}. */
  record Insert(TableName table) implements StatementShape {}
}
