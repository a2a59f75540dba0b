package org.q4mbridge.q4m.convert;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionException.TableState;
import org.q4mbridge.q4m.emulated.EmulatedTable;

/**
 * Converts a Q4M QUEUE table — or any table without a row id, such as a MyISAM or InnoDB copy of a
 * queue — into an emulated InnoDB queue in place (DESIGN.md §3.5): same columns, declared exactly
 * as before, plus {@code q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE} as primary
 * key, so legacy {@code INSERT INTO t VALUES (...)} and {@code SELECT *} keep working.
 *
 * <h2>Sequence</h2>
 *
 * Consumers of the table must be stopped first; producers may keep inserting.
 *
 * <ol>
 *   <li>Create the twin {@code t__q4m_new}, and a one-column placeholder table named {@code
 *       t__q4m_old}.
 *   <li>Bulk copy {@code INSERT INTO t__q4m_new (cols) SELECT cols FROM t} while producers insert:
 *       FIFO order for QUEUE tables (a plain SELECT scans in insertion order) and other keyless
 *       tables; key order ({@code ORDER BY}, optionally in batches) when the source has a primary
 *       key.
 *   <li>{@code LOCK TABLES t WRITE, t__q4m_new WRITE, t__q4m_old WRITE}: producers now wait. Copy
 *       the rows inserted since the bulk copy (for a keyless source: the rows after the first N by
 *       position, since the source only grew at its end; for a keyed one: keys above the last
 *       copied). Check that both tables hold the same number of rows, the same rows (a sum of
 *       per-row CRC32s over every copied column) and, for keyless sources, that the last
 *       bulk-copied row is still at its position. A failed check unlocks and drops the twin;
 *       nothing was swapped.
 *   <li>From a second connection: {@code RENAME TABLE t TO t__q4m_old, t__q4m_new TO t}. It waits
 *       for the lock. The placeholder makes it fail should the first connection die before the
 *       final copy. Once the RENAME is seen waiting, drop the placeholder and {@code UNLOCK
 *       TABLES}.
 *   <li>Catch-up safety net: copy rows of {@code t__q4m_old} beyond those copied (normally none).
 *       The original is kept as {@code t__q4m_old} (dropped only with {@code keepOld = false}).
 * </ol>
 *
 * <p>Why two connections: MariaDB refuses RENAME TABLE under LOCK TABLES (error 1192), and two
 * {@code ALTER TABLE ... RENAME} under the lock leave a moment with no table {@code t}, in which
 * producers fail with "table doesn't exist" (checked on MariaDB 10.11). A RENAME queued behind the
 * lock instead runs as soon as the lock is released and before the producers' queued inserts: it
 * requests its exclusive metadata locks in name order, {@code t} (which sorts before {@code
 * t__q4m_*}) first, so it waits on the same lock as the producers, and a pending exclusive lock is
 * granted before pending writes. Those inserts then open the new {@code t}. This is gh-ost's
 * "atomic cut-over" with the placeholder as its sentry table.
 *
 * <h2>Guarantees</h2>
 *
 * Given that consumers are stopped and nothing deletes rows from the source during the run:
 *
 * <ul>
 *   <li>No row is lost: the source is never written to; rows inserted during the copy are copied
 *       under the lock; inserts waiting on the lock land in the new table. If a step fails before
 *       the swap the source is untouched and the twin is dropped ({@link TableState#UNCHANGED}).
 *   <li>No duplicates and exact FIFO order: each source row is copied once, in order, before any
 *       row inserted after the swap. If the checks see rows consumed, deleted or shifted, the run
 *       stops before the swap instead. The catch-up rows (normally none; only if a producer's
 *       insert reached the original between UNLOCK and RENAME, which the lock priority above
 *       excludes) would come after rows inserted after the swap.
 *   <li>Producers never see a missing table; they wait for the final copy, the checks and the
 *       RENAME (two scans of the source: a few seconds for millions of rows).
 * </ul>
 *
 * <p>The checks are what catches a broken precondition: a consumer deleting rows (on MyISAM the
 * space is then reused by new rows, so only the content check notices), rows owned by a running
 * consumer (on a QUEUE table COUNT(*) counts them while SELECT skips them), an InnoDB producer
 * transaction committing after a later one (InnoDB sources are read in READ COMMITTED, so the bulk
 * copy does not block producers). What they cannot see: a reordering that keeps every row and the
 * boundary row in place, and a checksum collision (about 1 in 2^32).
 *
 * <p>Blocking: both methods block the calling thread; {@code run} also uses one short-lived thread
 * for the RENAME. Not for concurrent use on the same table. Stateless otherwise.
 */
public final class TableConverter {
  private final Clock clock;

  public TableConverter() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock measures the run's duration
   */
  public TableConverter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Options of a conversion. Immutable; invalid values are rejected, never adjusted.
   *
   * @param rowIdColumn the invisible row id column to add (default {@code q4m_rowid})
   * @param keepOld keep the original as {@code <t>__q4m_old} for the DBA to verify and drop
   *     (default true)
   * @param batchRows copy in batches of this many rows; only for sources with a key (0 = one
   *     statement, the default)
   * @param lockWaitTimeout the longest wait for a lock ({@code lock_wait_timeout}, whole seconds);
   *     producers queue behind a waiting LOCK TABLES, so keep it short (default 10 s)
   */
  public record Options(
      String rowIdColumn, boolean keepOld, int batchRows, Duration lockWaitTimeout) {
    public Options {
      Identifiers.require(rowIdColumn, "rowIdColumn");
      if (batchRows < 0) {
        throw new IllegalArgumentException(
            "batchRows must be >= 0 (0 = one statement), got " + batchRows);
      }
      if (lockWaitTimeout == null
          || lockWaitTimeout.toSeconds() < 1
          || lockWaitTimeout.toSeconds() > 3600
          || lockWaitTimeout.toSeconds() * 1_000_000_000L != lockWaitTimeout.toNanos()) {
        throw new IllegalArgumentException(
            "lockWaitTimeout must be whole seconds between 1 s and 1 h, got " + lockWaitTimeout);
      }
    }

    /** {@code q4m_rowid}, keep the old table, one statement, 10 s lock wait. */
    public static Options defaults() {
      return new Options(EmulatedTable.DEFAULT_ROW_ID_COLUMN, true, 0, Duration.ofSeconds(10));
    }

    public Options withRowIdColumn(String name) {
      return new Options(name, keepOld, batchRows, lockWaitTimeout);
    }

    public Options withKeepOld(boolean keep) {
      return new Options(rowIdColumn, keep, batchRows, lockWaitTimeout);
    }

    public Options withBatchRows(int rows) {
      return new Options(rowIdColumn, keepOld, rows, lockWaitTimeout);
    }

    public Options withLockWaitTimeout(Duration timeout) {
      return new Options(rowIdColumn, keepOld, batchRows, timeout);
    }
  }

  /**
   * Progress callbacks, called on the thread that called {@link #run}. An exception thrown here
   * fails the run like a failed step (before the swap: nothing changes).
   */
  public interface Progress {
    /** Reports nothing. */
    Progress NONE = new Progress() {};

    /** Before each step. */
    default void stepStarted(ConversionPlan.Step step) {}

    /**
     * Rows copied so far, out of {@code total}, the source's row count when the run started;
     * producers may add rows, so {@code copied} can exceed it.
     */
    default void rowsCopied(long copied, long total) {}
  }

  /**
   * Reads the live table and returns the statements that convert it. Only reads: nothing in the
   * database changes, so {@code plan(...).toSql()} is the dry run.
   *
   * @param c any connection; its session state is not changed
   * @throws ConversionException with state {@link TableState#NOT_STARTED}: UNKNOWN_TABLE naming the
   *     table and database; INVALID when it is already converted, a {@code __q4m_new}/{@code
   *     __q4m_old} table is in the way (the message says what to drop or rename), or the table
   *     cannot be converted safely; PRIVILEGE naming the GRANT to ask for
   */
  public ConversionPlan plan(Connection c, TableRef source, Options options)
      throws ConversionException {
    TableRef target = derived(source, "__q4m_new");
    TableRef old = derived(source, "__q4m_old");
    try {
      return new Planner(c, source, target, old, options).plan();
    } catch (SQLException e) {
      throw new ConversionException(
          kindOf(e),
          TableState.NOT_STARTED,
          "cannot plan the conversion of "
              + source
              + ": "
              + SqlErrors.wrap("reading its definition", e, c).getMessage()
              + (SqlErrors.privilege(e) ? ". The conversion needs: " + fullGrant(c, source) : ""),
          e);
    }
  }

  /**
   * Executes {@code plan}: see the class comment for the sequence. Opens two connections from
   * {@code connections} (the main session and the one that issues the RENAME) and closes them.
   * Blocks until done; producers wait during the final copy and the swap only.
   *
   * @throws ConversionException with {@link ConversionException#state()} UNCHANGED (failed before
   *     the swap: the source is untouched, what this run created was dropped), SWAPPED (a step
   *     after the swap failed: the message gives the statement to finish by hand) or UNKNOWN (the
   *     connection was lost around the swap: the message says how to tell); and INVALID with
   *     NOT_STARTED when the table changed since it was planned
   */
  public ConversionResult run(ConnectionFactory connections, ConversionPlan plan, Progress progress)
      throws ConversionException {
    return new ConversionRun(plan, connections, progress == null ? Progress.NONE : progress, clock)
        .execute();
  }

  private static TableRef derived(TableRef source, String suffix) throws ConversionException {
    String name = source.table() + suffix;
    if (!Identifiers.isValid(name)) {
      throw SourceTable.invalid(
          source,
          "the name "
              + name
              + " the conversion needs is longer than 64 characters; rename the table first",
          null);
    }
    return new TableRef(source.schema(), name);
  }

  static Kind kindOf(SQLException e) {
    if (SqlErrors.connectionBroken(e)) {
      return Kind.CONNECTION_LOST;
    }
    if (SqlErrors.privilege(e)) {
      return Kind.PRIVILEGE;
    }
    if (SqlErrors.unknownTable(e)) {
      return Kind.UNKNOWN_TABLE;
    }
    return Kind.SERVER;
  }

  /** The privileges a conversion needs, by table; see {@link #grantHint}. */
  static Map<String, List<String>> neededPrivileges(
      TableRef source, TableRef target, TableRef old) {
    Map<String, List<String>> needed = new LinkedHashMap<>();
    // The source is read, locked, renamed away (ALTER, DROP) and its name re-created by the swap
    // (CREATE, INSERT); the twin is created, filled, counted and renamed; the old name is created
    // as the placeholder, dropped, and re-created by the swap.
    needed.put(source.table(), List.of("SELECT", "INSERT", "CREATE", "DROP", "ALTER"));
    needed.put(target.table(), List.of("SELECT", "INSERT", "CREATE", "DROP", "ALTER"));
    needed.put(old.table(), List.of("SELECT", "INSERT", "CREATE", "DROP", "ALTER"));
    return needed;
  }

  static final List<String> SCHEMA_PRIVILEGES = List.of("LOCK TABLES");

  /** {@code GRANT <privileges> ON `db`.* TO 'user'@'host'}. */
  static String grantHint(Set<String> privileges, String schema, String account) {
    return "GRANT "
        + String.join(", ", privileges)
        + " ON "
        + Identifiers.quote(schema)
        + ".* TO "
        + account;
  }

  /** Every privilege a conversion needs, as one GRANT for the account of {@code c}. */
  static String fullGrant(Connection c, TableRef source) {
    String account = "<this account>";
    if (c != null) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
        if (rs.next()) {
          account = account(rs.getString(1));
        }
      } catch (SQLException ignored) {
        // The GRANT is still right with a placeholder for the account.
      }
    }
    Set<String> all = new LinkedHashSet<>(List.of("SELECT", "INSERT", "CREATE", "DROP", "ALTER"));
    all.addAll(SCHEMA_PRIVILEGES);
    return grantHint(all, source.schema(), account);
  }

  /** {@code user@host} from CURRENT_USER() as {@code 'user'@'host'}. */
  static String account(String currentUser) {
    if (currentUser == null) {
      return "<this account>";
    }
    int at = currentUser.lastIndexOf('@');
    if (at < 0) {
      return "'" + currentUser.replace("'", "''") + "'";
    }
    return "'"
        + currentUser.substring(0, at).replace("'", "''")
        + "'@'"
        + currentUser.substring(at + 1).replace("'", "''")
        + "'";
  }

  /** Reads the live table; one per {@link #plan} call. */
  private static final class Planner {
    private final Connection c;
    private final TableRef source;
    private final TableRef target;
    private final TableRef old;
    private final Options options;

    Planner(Connection c, TableRef source, TableRef target, TableRef old, Options options) {
      this.c = c;
      this.source = source;
      this.target = target;
      this.old = old;
      this.options = options == null ? Options.defaults() : options;
    }

    ConversionPlan plan() throws SQLException, ConversionException {
      String[] table = tableInfo(source);
      if (table == null) {
        String why =
            schemaExists()
                ? "table '"
                    + source.table()
                    + "' does not exist in database '"
                    + source.schema()
                    + "' (or this account cannot see it)"
                : "database '"
                    + source.schema()
                    + "' does not exist (looking for table '"
                    + source.table()
                    + "')";
        throw new ConversionException(
            Kind.UNKNOWN_TABLE, TableState.NOT_STARTED, "cannot convert " + source + ": " + why);
      }
      String type = table[0];
      String engine = table[1];
      if (!"BASE TABLE".equalsIgnoreCase(type)) {
        throw SourceTable.invalid(
            source, "it is a " + type.toLowerCase(Locale.ROOT) + ", not a table", null);
      }
      if (table[4] != null && table[4].toLowerCase(Locale.ROOT).contains("partitioned")) {
        throw SourceTable.invalid(
            source, "it is partitioned; convert an unpartitioned table", null);
      }
      List<SourceTable.ColumnInfo> infos = columns();
      for (SourceTable.ColumnInfo col : infos) {
        if (col.name().equalsIgnoreCase(options.rowIdColumn())) {
          throw SourceTable.invalid(
              source,
              "already converted: it has the row id column "
                  + col.name()
                  + (col.extra().toLowerCase(Locale.ROOT).contains("invisible")
                      ? " (INVISIBLE)"
                      : "")
                  + "; consume it with mode: emulated",
              null);
        }
      }
      for (SourceTable.ColumnInfo col : infos) {
        if (col.extra().toLowerCase(Locale.ROOT).contains("auto_increment")) {
          throw SourceTable.invalid(
              source,
              "it already has the AUTO_INCREMENT column "
                  + col.name()
                  + ", and a table can have only one: if it is the primary key, the emulated"
                  + " backend can use it as the row id as it is (rowIdColumn: "
                  + col.name()
                  + "), no conversion needed",
              null);
        }
      }
      checkNoTriggers();
      checkNotReferenced();
      checkFree(target, false);
      checkFree(old, true);
      String create = showCreate();
      String charset = charsetOf(table[2]);
      SourceTable src =
          SourceTable.parse(source, engine, create, infos, charset, table[2], table[3]);
      checkPrivileges();
      List<String> notes = new ArrayList<>();
      if (table[3] != null && table[3].indexOf('\\') >= 0) {
        notes.add("The table comment contains a backslash and is not carried over.");
      }
      return PlanBuilder.build(src, target, old, count(), options, notes);
    }

    /** TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT, CREATE_OPTIONS; null if absent. */
    private String[] tableInfo(TableRef t) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT, CREATE_OPTIONS"
                  + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
        ps.setString(1, t.schema());
        ps.setString(2, t.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          return new String[] {
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
          };
        }
      }
    }

    private boolean schemaExists() throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
        ps.setString(1, source.schema());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    }

    private List<SourceTable.ColumnInfo> columns() throws SQLException {
      List<SourceTable.ColumnInfo> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COLUMN_NAME, IS_NULLABLE, IS_GENERATED, EXTRA FROM information_schema.COLUMNS"
                  + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
        ps.setString(1, source.schema());
        ps.setString(2, source.table());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new SourceTable.ColumnInfo(
                    rs.getString(1),
                    "YES".equalsIgnoreCase(rs.getString(2)),
                    "ALWAYS".equalsIgnoreCase(rs.getString(3)),
                    rs.getString(4) == null ? "" : rs.getString(4)));
          }
        }
      }
      return out;
    }

    private void checkNoTriggers() throws SQLException, ConversionException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS"
                  + " WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?")) {
        ps.setString(1, source.schema());
        ps.setString(2, source.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw SourceTable.invalid(
                source,
                "it has the trigger "
                    + rs.getString(1)
                    + ", which RENAME would leave on the old table: drop its triggers, convert,"
                    + " then create them again on the new table",
                null);
          }
        }
      }
    }

    private void checkNotReferenced() throws SQLException, ConversionException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT CONSTRAINT_SCHEMA, TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS"
                  + " WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME = ?")) {
        ps.setString(1, source.schema());
        ps.setString(2, source.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            throw SourceTable.invalid(
                source,
                "a foreign key of "
                    + rs.getString(1)
                    + "."
                    + rs.getString(2)
                    + " references it; drop that foreign key first",
                null);
          }
        }
      }
    }

    /** Refuses when {@code t} exists; says what it probably is and what to do. */
    private void checkFree(TableRef t, boolean oldName) throws SQLException, ConversionException {
      if (tableInfo(t) == null) {
        return;
      }
      String what;
      if (oldName && isPlaceholder(c, t)) {
        what =
            "it is the placeholder of an interrupted conversion (one column "
                + PlanBuilder.PLACEHOLDER_COLUMN
                + "); if no conversion of "
                + source.table()
                + " is running, drop it: DROP TABLE "
                + t.quoted()
                + ";";
      } else if (oldName) {
        what =
            "it is probably the original kept by an earlier conversion: check it holds nothing"
                + " you need, then DROP TABLE "
                + t.quoted()
                + "; or rename it (RENAME TABLE "
                + t.quoted()
                + " TO ...)";
      } else {
        what =
            "it is probably left over from an interrupted conversion: DROP TABLE "
                + t.quoted()
                + "; or rename it (RENAME TABLE "
                + t.quoted()
                + " TO ...)";
      }
      throw SourceTable.invalid(
          source,
          "table " + t + " already exists and the conversion needs its name: " + what,
          null);
    }

    private String showCreate() throws SQLException {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + source.quoted())) {
        rs.next();
        return rs.getString(2);
      }
    }

    private String charsetOf(String collation) throws SQLException {
      if (collation == null) {
        return null;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT CHARACTER_SET_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME = ?")) {
        ps.setString(1, collation);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    }

    private void checkPrivileges() throws SQLException, ConversionException {
      String user;
      List<String> lines = new ArrayList<>();
      try (Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
          rs.next();
          user = rs.getString(1);
        }
        try (ResultSet rs = st.executeQuery("SHOW GRANTS")) {
          while (rs.next()) {
            lines.add(rs.getString(1));
          }
        }
      }
      Set<String> missing =
          Grants.parse(lines)
              .missing(source.schema(), neededPrivileges(source, target, old), SCHEMA_PRIVILEGES);
      if (!missing.isEmpty()) {
        String account = account(user);
        throw new ConversionException(
            Kind.PRIVILEGE,
            TableState.NOT_STARTED,
            "cannot convert "
                + source
                + ": the account "
                + account
                + " lacks "
                + String.join(", ", missing)
                + " on database "
                + source.schema()
                + " (the conversion creates "
                + target.table()
                + " and "
                + old.table()
                + ", locks the tables and renames them). Ask for: "
                + grantHint(missing, source.schema(), account)
                + ";");
      }
    }

    private long count() throws SQLException {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + source.quoted())) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** True when {@code t} is the placeholder a conversion creates: exactly one column q4m_sentry. */
  static boolean isPlaceholder(Connection c, TableRef t) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            && rs.getString(1).equalsIgnoreCase(PlanBuilder.PLACEHOLDER_COLUMN)
            && !rs.next();
      }
    }
  }
}
