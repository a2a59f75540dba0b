package org.q4mbridge.q4m.convert;

import java.util.List;
import org.q4mbridge.q4m.TableRef;

/**
 * The statements that convert one table, in order, each step with a one-line comment — what {@link
 * TableConverter#run} executes and what a DBA reviews ({@link #toSql()} is the dry run). Immutable;
 * made by {@link TableConverter#plan}.
 *
 * @param source the table to convert
 * @param target the InnoDB twin while it is filled ({@code <t>__q4m_new}); renamed to {@code
 *     source} by the swap
 * @param old the name the original gets in the swap ({@code <t>__q4m_old}); until then a one-column
 *     placeholder table holds the name (see {@link Action#CREATE_PLACEHOLDER})
 * @param sourceEngine the source's storage engine ({@code QUEUE}, {@code MyISAM}, ...)
 * @param sourceDefinition the source's {@code SHOW CREATE TABLE} when planned; {@code run} refuses
 *     to start if it changed
 * @param copyOrder how rows are put in order
 * @param orderKey the key columns for {@link CopyOrder#KEY}, empty for {@link CopyOrder#SCAN}
 * @param copiedColumns the columns copied (generated columns are recomputed, not copied)
 * @param rowsWhenPlanned the source's row count when planned
 * @param notes remarks for the reviewer (warnings about the source), may be empty
 */
public record ConversionPlan(
    TableRef source,
    TableRef target,
    TableRef old,
    String sourceEngine,
    String sourceDefinition,
    CopyOrder copyOrder,
    List<String> orderKey,
    List<String> copiedColumns,
    long rowsWhenPlanned,
    TableConverter.Options options,
    List<String> notes,
    List<Step> steps) {

  public ConversionPlan {
    orderKey = List.copyOf(orderKey);
    copiedColumns = List.copyOf(copiedColumns);
    notes = List.copyOf(notes);
    steps = List.copyOf(steps);
  }

  /** How the copy keeps FIFO order. */
  public enum CopyOrder {
    /**
     * The source's scan order, which is insertion order: a QUEUE table returns rows in FIFO order,
     * InnoDB without a key scans its hidden insertion-ordered row id, MyISAM appends (unless it has
     * holes from deleted rows). Rows are identified by position; copied in one statement.
     */
    SCAN,
    /** The primary (or InnoDB clustering) key; rows identified by key; may be copied in batches. */
    KEY
  }

  /** The connection a step runs on. */
  public enum Session {
    /** Session A: every step but the swap. */
    MAIN,
    /** Session B: only the RENAME, which must queue behind session A's lock. */
    SWAP
  }

  /** What a step does; {@link TableConverter#run} handles each kind. */
  public enum Action {
    /** Session settings and the user variables later steps use. */
    SESSION,
    /** Creates the InnoDB twin. */
    CREATE_TARGET,
    /** Creates the placeholder that holds the old name until the final copy is done. */
    CREATE_PLACEHOLDER,
    /** The bulk copy, while producers keep inserting. */
    COPY,
    /** Remembers how far the bulk copy got. */
    MARK,
    /** Locks the tables: producers wait from here to {@link #UNLOCK}. */
    LOCK,
    /** Copies the rows inserted since the bulk copy. */
    COPY_FINAL,
    /** Checks that the twin holds as many rows as the source. */
    CHECK_COUNT,
    /** Checks that the twin holds the same rows as the source (order-independent checksum). */
    CHECK_CONTENT,
    /** Checks that rows did not shift under the copy (scan order only). */
    CHECK_ORDER,
    /** The RENAME, issued from session B while session A holds the lock. */
    SWAP,
    /** Drops the placeholder so the queued RENAME can succeed. */
    DROP_PLACEHOLDER,
    /** Releases the lock: the RENAME runs, then the producers' queued inserts. */
    UNLOCK,
    /** Copies rows that reached the original after the final copy (normally none). */
    CATCH_UP,
    /** Drops the original ({@code keepOld = false} only). */
    DROP_OLD
  }

  /**
   * One step.
   *
   * @param number 1-based position in the plan
   * @param comment one line saying what the step does and why
   * @param statements the SQL, without terminating semicolons
   */
  public record Step(
      int number, Action action, Session session, String comment, List<String> statements) {
    public Step {
      statements = List.copyOf(statements);
    }
  }

  /** The step with {@code action}, or null. */
  public Step step(Action action) {
    for (Step s : steps) {
      if (s.action() == action) {
        return s;
      }
    }
    return null;
  }

  /**
   * The plan as a script for the {@code mariadb} client: statements end with {@code ;}, comments
   * start with {@code --}. Running it by hand needs two sessions (the header says how), because the
   * swap must be queued behind the lock from another connection.
   */
  public String toSql() {
    StringBuilder sql = new StringBuilder();
    Step swap = step(Action.SWAP);
    line(
        sql,
        "q4m-bridge convert: "
            + source.quoted()
            + " ("
            + sourceEngine
            + ", "
            + rowsWhenPlanned
            + " rows when planned) into an InnoDB emulated queue with the invisible row id "
            + options.rowIdColumn()
            + ".");
    line(sql, "TableConverter.run executes exactly these statements, in this order.");
    line(sql, "");
    line(sql, "Before running: stop every consumer of " + source.quoted() + ".");
    line(
        sql,
        "  A plain SELECT on a QUEUE table skips rows owned by consumers, and consuming deletes rows;");
    line(sql, "  either would make the copy miss rows. Producers may keep running.");
    line(sql, "");
    line(sql, "How it works and what it guarantees:");
    line(
        sql,
        "  * The bulk copy runs while producers insert. Under LOCK TABLES (producers wait, they do");
    line(
        sql,
        "    not fail) the rows inserted meanwhile are copied and the copy is checked; then the one");
    line(
        sql,
        "    RENAME swaps both names at once, so producers never see a missing table. Their queued");
    line(sql, "    inserts go to the new table, after every copied row: FIFO order is kept.");
    line(
        sql,
        "  * No row is lost or duplicated. If a check fails, or anything fails before the swap, the");
    line(
        sql,
        "    source is untouched (nothing is ever deleted from it) and the twin is dropped again.");
    line(
        sql,
        "  * The original is kept as " + old.quoted() + " for you to verify and drop by hand.");
    line(sql, "");
    line(sql, "Running it by hand: open two mariadb sessions. Session A runs every step except");
    line(
        sql,
        "  step "
            + (swap == null ? "?" : swap.number())
            + " [session B]. When session A has run the step before it, start the RENAME in session");
    line(
        sql,
        "  B; it waits. Check in session A with SHOW PROCESSLIST that it shows 'Waiting for table");
    line(
        sql,
        "  metadata lock', then continue in session A. The placeholder makes the RENAME fail if");
    line(sql, "  session A ends too early, so a mistake leaves the source unchanged.");
    if (!notes.isEmpty()) {
      line(sql, "");
      line(sql, "Notes:");
      for (String n : notes) {
        line(sql, "  * " + n);
      }
    }
    for (Step s : steps) {
      sql.append('\n');
      line(
          sql,
          "Step "
              + s.number()
              + " [session "
              + (s.session() == Session.MAIN ? "A" : "B")
              + "]: "
              + s.comment());
      for (String stmt : s.statements()) {
        sql.append(stmt).append(";\n");
      }
    }
    if (options.keepOld()) {
      sql.append('\n');
      line(
          sql,
          "Afterwards: compare the tables (e.g. SELECT COUNT(*) on both), then drop the original:");
      line(sql, "DROP TABLE " + old.quoted() + ";");
    }
    return sql.toString();
  }

  private static void line(StringBuilder sql, String text) {
    sql.append(text.isEmpty() ? "--" : "-- " + text).append('\n');
  }
}
