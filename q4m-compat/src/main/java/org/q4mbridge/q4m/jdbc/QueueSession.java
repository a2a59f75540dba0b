package org.q4mbridge.q4m.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.IdleWait;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource.ConditionTranslator;
import org.q4mbridge.q4m.emulated.EmulatedTable;
import org.q4mbridge.q4m.jdbc.LocalQueues.Activity;
import org.q4mbridge.q4m.jdbc.StatementShape.Arg;
import org.q4mbridge.q4m.jdbc.StatementShape.Delete;
import org.q4mbridge.q4m.jdbc.StatementShape.FunctionCall;
import org.q4mbridge.q4m.jdbc.StatementShape.Insert;
import org.q4mbridge.q4m.jdbc.StatementShape.Literal;
import org.q4mbridge.q4m.jdbc.StatementShape.Param;
import org.q4mbridge.q4m.jdbc.StatementShape.PassKind;
import org.q4mbridge.q4m.jdbc.StatementShape.PassThrough;
import org.q4mbridge.q4m.jdbc.StatementShape.Select;
import org.q4mbridge.q4m.jdbc.StatementShape.TableName;
import org.q4mbridge.q4m.relay.RelayDedup;

/**
 * Q4M's per-connection state and protocol on top of InnoDB (Q4M-SEMANTICS.md §9.1), for one shim
 * connection.
 *
 * <p>Two server connections: the <em>user</em> connection runs everything that passes through, in
 * the user's auto-commit mode and transactions; the <em>queue</em> connection (opened on first
 * need; auto-commit off, READ COMMITTED) claims rows. Its open transaction holding the owned row's
 * lock <em>is</em> the ownership, so the owner's other statements commit independently, as in Q4M,
 * and a closed connection or a dead process gives the row back by itself. Between claims and while
 * not owning, the queue connection's transaction is rolled back at once, so it holds no metadata
 * lock that would block DDL. Statements that read only queue tables also run there — READ
 * COMMITTED, outside any user transaction — so they see what Q4M would show, not the user's older
 * snapshot, and their share locks never outlive the statement.
 *
 * <p>Not thread-safe: one thread at a time, like a JDBC connection; {@link #cancel()} and {@link
 * #close()} may come from another thread and end a {@code queue_wait} early.
 */
final class QueueSession {

  /** Runs SQL the session built (or rewrote) with the calling statement's parameters. */
  interface Runner {
    /** Executes a query on {@code target}, binding the statement's first {@code params} values. */
    ResultSet query(Connection target, String sql, int params) throws SQLException;

    /**
     * Executes an update on {@code target}, binding the statement's first {@code params} values.
     */
    long update(Connection target, String sql, int params) throws SQLException;

    /** The value bound to parameter {@code index} (1-based). */
    Object param(int index) throws SQLException;

    /** Number of {@code ?} in the statement. */
    int paramCount();
  }

  /** Runs the user's own INSERT on the user connection and returns its row count. */
  @FunctionalInterface
  interface InsertAction {
    long run() throws SQLException;
  }

  /** Opens a connection to the same server, database and account as the user connection. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  private record SrcTag(int slot, char mode, long rowId) {}

  private record Plan(int index, EmulatedTable table, String where) {}

  private static final long MAX_TIMEOUT_SECONDS = TimeUnit.DAYS.toSeconds(365);

  private final Connection user;
  private final Opener opener;
  private final String server;
  private final ConditionTranslator conditions;
  private final QueueTables tables;
  private final IdleWait idle;
  private final boolean mariaDb;
  private final Set<Activity> insertedInTransaction = new LinkedHashSet<>();
  private final Set<String> watermarkSchemas = new HashSet<>();
  private final Map<String, String> conditionSql = new HashMap<>();

  private volatile Connection queue;
  private String queueDatabase;
  private String database;
  private volatile Ownership ownership = Ownership.NONE;
  private SrcTag tag;
  private Integer networkTimeout;
  private volatile boolean cancelled;
  private volatile boolean closed;

  QueueSession(
      Connection user,
      Opener opener,
      ShimOptions options,
      String server,
      ConditionTranslator conditions)
      throws SQLException {
    this.user = user;
    this.opener = opener;
    this.server = server;
    this.conditions = conditions;
    this.tables = new QueueTables(options.rowIdColumn());
    this.idle = new IdleWait(options.minPoll(), options.maxPoll());
    this.mariaDb =
        user.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
    this.database = user.getCatalog();
  }

  // ---------------------------------------------------------------------------------------------
  // Q4M functions

  /**
   * Evaluates a Q4M function call.
   *
   * @return the value ({@link Long}, {@link String} or {@code null} for SQL NULL)
   * @throws SQLException for the errors Q4M raises at statement start (wrong argument count, not in
   *     owner mode) and for server errors
   */
  Object call(FunctionCall call, Runner runner) throws SQLException {
    List<Object> args = new ArrayList<>(call.args().size());
    for (Arg a : call.args()) {
      args.add(
          a instanceof Literal l
              ? l.value()
              : QueueArgs.fromParameter(runner.param(((Param) a).index())));
    }
    return switch (call.function()) {
      case "queue_wait" -> queueWait(args);
      case "queue_end" -> queueEnd();
      case "queue_abort" -> queueAbort();
      case "queue_rowid" -> queueRowid(args);
      case "queue_set_srcid" -> queueSetSrcid(args);
      case "queue_stats" -> queueStats(args);
      case "queue_compact" -> queueCompact(args);
      default -> throw new IllegalStateException("not a Q4M function: " + call.function());
    };
  }

  /** {@code queue_wait(table[:cond] …, timeout)}: §2.1–§2.3. */
  Long queueWait(List<Object> args) throws SQLException {
    if (args.isEmpty()) {
      throw initError("queue_wait", "queue_wait(table_name[,timeout]): argument error");
    }
    // Q4M consumes the owned row before looking at the arguments, so even a call that then
    // returns NULL has ended the previous row.
    endOwnership();
    int tableArgs = args.size() >= 2 ? args.size() - 1 : 1;
    long timeout = 60;
    if (args.size() >= 2) {
      Long t = QueueArgs.toInteger(args.get(args.size() - 1));
      timeout = t == null ? 0 : Math.min(t, MAX_TIMEOUT_SECONDS);
    }
    List<Plan> plans = new ArrayList<>(tableArgs);
    for (int i = 0; i < tableArgs; i++) {
      Plan p = plan(i + 1, QueueArgs.toText(args.get(i)));
      if (p == null) {
        return null;
      }
      plans.add(p);
    }
    return poll(plans, timeout);
  }

  /** Resolves one {@code [db.]table[:condition]} argument; {@code null} means "return NULL". */
  private Plan plan(int index, String arg) throws SQLException {
    if (arg == null) {
      return null;
    }
    int colon = arg.indexOf(':');
    String name = colon < 0 ? arg : arg.substring(0, colon);
    String cond = colon < 0 ? null : arg.substring(colon + 1);
    TableRef ref = resolve(name);
    if (ref == null) {
      return null;
    }
    Optional<EmulatedTable> table = tables.lookup(user, ref);
    if (table.isEmpty()) {
      // Maybe created since this connection last looked.
      table = tables.load(user, ref);
    }
    if (table.isEmpty()) {
      return null;
    }
    String where = null;
    if (cond != null) {
      where = conditionSql(table.get(), cond);
      if (where == null) {
        // The column may have been added since the definition was cached.
        table = tables.load(user, ref);
        if (table.isEmpty()) {
          return null;
        }
        conditionSql.keySet().removeIf(k -> k.startsWith(ref.key() + ':'));
        where = conditionSql(table.get(), cond);
        if (where == null) {
          return null;
        }
      }
    }
    return new Plan(index, table.get(), where);
  }

  private String conditionSql(EmulatedTable table, String cond) {
    String key = table.ref().key() + ':' + cond;
    String sql = conditionSql.get(key);
    if (sql == null) {
      try {
        sql = conditions.toSql(table, cond);
      } catch (QueueSourceException | RuntimeException invalid) {
        return null;
      }
      conditionSql.put(key, sql);
    }
    return sql;
  }

  /** Looks at the tables in priority order until a row is claimed or the timeout passes. */
  private Long poll(List<Plan> plans, long timeoutSeconds) throws SQLException {
    Connection q = queueConnection();
    Set<Activity> activities = new LinkedHashSet<>();
    for (Plan p : plans) {
      activities.add(activity(p.table().ref()));
    }
    cancelled = false;
    idle.busy();
    idle.takeWakeup();
    for (Activity a : activities) {
      a.addWaiter(idle);
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, timeoutSeconds));
      boolean first = true;
      while (true) {
        checkInterrupted();
        long left = deadline - System.nanoTime();
        for (Plan p : plans) {
          Long rowId = claim(q, p, left);
          if (rowId != null) {
            ownership = new Ownership.Row(p.table(), rowId, false);
            for (Plan other : plans) {
              Activity a = activity(other.table().ref());
              if (other == p) {
                (first ? a.waitImmediate : a.waitDelayed).incrementAndGet();
              } else {
                a.waitTimeout.incrementAndGet();
              }
            }
            return (long) p.index();
          }
        }
        rollback(q);
        first = false;
        left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          idle.pause(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw interrupted();
        }
      }
      ownership = Ownership.EMPTY;
      for (Plan p : plans) {
        activity(p.table().ref()).waitTimeout.incrementAndGet();
      }
      return 0L;
    } finally {
      for (Activity a : activities) {
        a.removeWaiter(idle);
      }
    }
  }

  /**
   * {@code SELECT rowid … ORDER BY rowid LIMIT 1 FOR UPDATE SKIP LOCKED}: the oldest free matching
   * row, locked by the queue connection's transaction.
   *
   * @return the row id, or {@code null} when there is none (or the table is gone, or DDL holds it
   *     longer than the wait has left)
   */
  private Long claim(Connection q, Plan p, long leftNanos) throws SQLException {
    EmulatedTable t = p.table();
    String rowId = Identifiers.quote(t.rowIdColumn());
    // A pending DDL on the table makes even this read queue behind it; never wait for it longer
    // than the caller's timeout (the server default is a day).
    long lockWait = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(leftNanos) + 1);
    String select =
        "SELECT "
            + (mariaDb ? "" : "/*+ SET_VAR(lock_wait_timeout=" + lockWait + ") */ ")
            + rowId
            + " FROM "
            + t.ref().quoted()
            + (p.where() == null ? "" : " WHERE (" + p.where() + ")")
            + " ORDER BY "
            + rowId
            + " LIMIT 1 FOR UPDATE SKIP LOCKED";
    String sql =
        mariaDb ? "SET STATEMENT lock_wait_timeout=" + lockWait + " FOR " + select : select;
    // execute(), not executeQuery(): Connector/J refuses executeQuery for text starting with SET.
    try (Statement st = q.createStatement()) {
      st.execute(sql);
      try (ResultSet rs = st.getResultSet()) {
        return rs != null && rs.next() ? rs.getLong(1) : null;
      }
    } catch (SQLException e) {
      if (SqlErrors.unknownTable(e) || SqlErrors.lockConflict(e)) {
        // Dropped or being altered: Q4M's waiter just times out in that case.
        rollback(q);
        return null;
      }
      throw queueFailure(e);
    }
  }

  /** {@code queue_end()}: always 1 (§3.1). */
  Long queueEnd() throws SQLException {
    endOwnership();
    return 1L;
  }

  /** {@code queue_abort()}: §3.2. */
  Long queueAbort() throws SQLException {
    Ownership o = ownership;
    if (o instanceof Ownership.None) {
      throw initError("queue_abort", "queue_abort(): not in owner mode");
    }
    ownership = Ownership.NONE;
    if (queue != null) {
      rollback(queue);
    }
    if (o instanceof Ownership.Row r && r.held()) {
      Activity a = activity(r.table().ref());
      a.restoredByAbort.incrementAndGet();
      a.wake();
    }
    return 1L;
  }

  /** {@code queue_rowid()}: §3.3. */
  Long queueRowid(List<Object> args) throws SQLException {
    if (!args.isEmpty()) {
      throw initError("queue_rowid", "queue_rowid(): argument error");
    }
    Ownership o = ownership;
    if (o instanceof Ownership.None) {
      throw initError("queue_rowid", "queue_rowid(): not in owner mode");
    }
    return o instanceof Ownership.Row r ? r.rowId() : null;
  }

  /** {@code queue_set_srcid(slot, mode, rowid)}: §3.4; the tag applies to the next insert. */
  Long queueSetSrcid(List<Object> args) throws SQLException {
    if (args.size() != 3) {
      throw initError("queue_set_srcid", "queue_set_srcid(source,mode,rowid): argument error");
    }
    Long slot = QueueArgs.toInteger(args.get(0));
    String mode = QueueArgs.toText(args.get(1));
    Long rowId = QueueArgs.toInteger(args.get(2));
    if (slot == null || slot < 0 || slot >= RelayDedup.SLOTS || rowId == null) {
      return null;
    }
    if (!"a".equals(mode) && !"w".equals(mode)) {
      return null;
    }
    tag = new SrcTag(slot.intValue(), mode.charAt(0), rowId);
    return 1L;
  }

  /** {@code queue_stats('[db.]table')}: §3.6, from this JVM's counters. */
  String queueStats(List<Object> args) throws SQLException {
    if (args.size() != 1) {
      throw initError("queue_stats", "queue_stats(table_name): argument error");
    }
    EmulatedTable t = namedQueue(QueueArgs.toText(args.get(0)));
    return t == null ? null : activity(t.ref()).stats();
  }

  /** {@code queue_compact('[db.]table')}: InnoDB reclaims space itself; 1 for a queue table. */
  Long queueCompact(List<Object> args) throws SQLException {
    if (args.size() != 1) {
      throw initError("queue_compact", "queue_compact(table_name): argument error");
    }
    return namedQueue(QueueArgs.toText(args.get(0))) == null ? null : 1L;
  }

  private EmulatedTable namedQueue(String name) throws SQLException {
    TableRef ref = name == null ? null : resolve(name);
    if (ref == null) {
      return null;
    }
    Optional<EmulatedTable> t = tables.lookup(user, ref);
    if (t.isEmpty()) {
      t = tables.load(user, ref);
    }
    return t.orElse(null);
  }

  /**
   * Leaves owner mode the way {@code queue_end} does: deletes the held row and commits, or just
   * ends the queue connection's transaction.
   */
  private void endOwnership() throws SQLException {
    Ownership o = ownership;
    ownership = Ownership.NONE;
    if (o instanceof Ownership.Row r && r.held()) {
      Connection q = queue;
      if (q == null) {
        return;
      }
      EmulatedTable t = r.table();
      try (PreparedStatement ps = q.prepareStatement(t.deleteOneSql())) {
        ps.setLong(1, r.rowId());
        ps.executeUpdate();
        q.commit();
      } catch (SQLException e) {
        throw queueFailure(e);
      }
      activity(t.ref()).rowsRemoved.incrementAndGet();
    } else if (!(o instanceof Ownership.None) && queue != null) {
      rollback(queue);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reads, deletes and inserts of queue tables

  /**
   * Runs a SELECT that reads queue tables the way Q4M shows them (§2.4): the owner sees only its
   * row in the owned table and nothing in other queue tables; others see every row nobody owns.
   *
   * @return the result, or {@code null} when the statement reads no queue table (pass it through)
   */
  ResultSet select(Select s, String sql, Runner runner) throws SQLException {
    boolean forceEmpty = false;
    if (s.whereWait() != null) {
      Object r = call(s.whereWait(), runner);
      // WHERE NULL selects nothing.
      forceEmpty = r == null;
    }
    List<EmulatedTable> resolved = new ArrayList<>(s.tables().size());
    boolean anyQueue = false;
    boolean allQueue = true;
    for (TableName n : s.tables()) {
      EmulatedTable t = queueTable(n);
      resolved.add(t);
      anyQueue |= t != null;
      allQueue &= t != null;
    }
    if (s.whereWait() == null) {
      if (!anyQueue) {
        return null;
      }
      if (s.countStar() && ownership instanceof Ownership.None) {
        // Q4M's fast COUNT(*) counts rows owned by others too; so does a plain InnoDB count.
        return null;
      }
    }
    Ownership o = ownership;
    StringBuilder out = new StringBuilder(sql.length() + 64 * resolved.size());
    int pos = 0;
    boolean onlyOwnedTable = true;
    for (int i = 0; i < resolved.size(); i++) {
      EmulatedTable t = resolved.get(i);
      TableName n = s.tables().get(i);
      if (t == null) {
        continue;
      }
      boolean owned = o instanceof Ownership.Row r && r.held() && r.table().ref().sameAs(t.ref());
      onlyOwnedTable &= owned;
      out.append(sql, pos, n.start());
      out.append(derivedTable(t, n, s, forceEmpty ? Ownership.EMPTY : o));
      pos = n.end();
    }
    int end = s.whereWait() != null ? s.whereStart() : sql.length();
    out.append(sql, pos, end);
    if (s.whereWait() != null) {
      out.append(sql, s.whereEnd(), sql.length());
    }
    int params = s.whereWait() != null ? s.paramsBeforeWhere() : runner.paramCount();
    String rewritten = out.toString();
    boolean holding = o instanceof Ownership.Row r && r.held();
    // The queue connection may only gain locks on the table it already holds, so that DDL on
    // other tables is not blocked for as long as a row is owned.
    if (allQueue && (!holding || onlyOwnedTable)) {
      Connection q = queueConnection();
      syncDatabase(q);
      try {
        ResultSet rs = runner.query(q, rewritten, params);
        if (!holding) {
          // Release the share locks of the SKIP LOCKED read; the result is already buffered.
          q.rollback();
        }
        return rs;
      } catch (SQLException e) {
        if (!holding) {
          rollback(q);
        }
        throw queueFailureIfBroken(e);
      }
    }
    return runner.query(user, rewritten, params);
  }

  /** The replacement of one queue table reference: a derived table of the visible rows. */
  private String derivedTable(EmulatedTable t, TableName n, Select s, Ownership o) {
    String rowId = Identifiers.quote(t.rowIdColumn());
    // SELECT * of a derived table drops INVISIBLE columns; keep the row id when the statement
    // names it, so `SELECT q4m_rowid, v FROM t` still works.
    String columns =
        !t.rowIdVisible() && s.identifiers().contains(t.rowIdColumn().toLowerCase(Locale.ROOT))
            ? "*, " + rowId
            : "*";
    String filter;
    if (o instanceof Ownership.None) {
      filter = mariaDb ? " LOCK IN SHARE MODE SKIP LOCKED" : " FOR SHARE SKIP LOCKED";
    } else if (o instanceof Ownership.Row r && r.held() && r.table().ref().sameAs(t.ref())) {
      filter = " WHERE " + rowId + " = " + r.rowId();
    } else {
      filter = " WHERE 1 = 0";
    }
    String derived = "(SELECT " + columns + " FROM " + t.ref().quoted() + filter + ")";
    return n.aliased() ? derived : derived + " AS " + Identifiers.quote(n.table());
  }

  /**
   * Runs a DELETE of a queue table the Q4M way (§4): the owner deletes at most its own row; others
   * skip rows owned by anyone instead of waiting for them.
   *
   * @return the number of rows deleted, or {@code null} when the table is not a queue table
   */
  Long delete(Delete d, Runner runner) throws SQLException {
    EmulatedTable t = queueTable(d.table());
    if (t == null) {
      return null;
    }
    String rowId = Identifiers.quote(t.rowIdColumn());
    Ownership o = ownership;
    if (!(o instanceof Ownership.None)) {
      if (!(o instanceof Ownership.Row r && r.held() && r.table().ref().sameAs(t.ref()))) {
        return 0L;
      }
      Connection q = queue;
      String sql =
          "DELETE FROM "
              + t.ref().quoted()
              + " WHERE "
              + rowId
              + " = "
              + r.rowId()
              + (d.where() == null ? "" : " AND (" + d.where() + ")")
              + (d.tail() == null ? "" : " " + d.tail());
      syncDatabase(q);
      long n;
      try {
        n = runner.update(q, sql, runner.paramCount());
        if (n > 0) {
          q.commit();
        }
      } catch (SQLException e) {
        throw queueFailureIfBroken(e);
      }
      if (n > 0) {
        ownership = new Ownership.Row(r.table(), r.rowId(), true);
        activity(t.ref()).rowsRemoved.addAndGet(n);
      }
      return n;
    }
    Connection q = queueConnection();
    syncDatabase(q);
    List<Long> ids = new ArrayList<>();
    String find =
        "SELECT "
            + rowId
            + " FROM "
            + t.ref().quoted()
            + (d.where() == null ? "" : " WHERE " + d.where())
            + (d.tail() == null ? "" : " " + d.tail())
            + " FOR UPDATE SKIP LOCKED";
    try {
      try (ResultSet rs = runner.query(q, find, runner.paramCount())) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      // Point deletes of the rows locked above (an IN list may range-scan into rows others own).
      try (PreparedStatement ps = q.prepareStatement(t.deleteOneSql())) {
        for (long id : ids) {
          ps.setLong(1, id);
          ps.addBatch();
        }
        if (!ids.isEmpty()) {
          ps.executeBatch();
        }
      }
      q.commit();
    } catch (SQLException e) {
      rollback(q);
      throw queueFailureIfBroken(e);
    }
    activity(t.ref()).rowsRemoved.addAndGet(ids.size());
    return (long) ids.size();
  }

  /**
   * Runs the user's INSERT; into a queue table, applies a pending {@code queue_set_srcid} tag and
   * counts the rows.
   */
  long insert(Insert ins, InsertAction action) throws SQLException {
    EmulatedTable t = queueTable(ins.table());
    if (t == null) {
      return action.run();
    }
    SrcTag pending = tag;
    // The tag belongs to this write, stored or not (§3.4).
    tag = null;
    long n;
    if (pending == null) {
      n = action.run();
    } else {
      n = relayedInsert(t.ref(), pending, action);
    }
    if (n > 0 || n == Statement.SUCCESS_NO_INFO) {
      Activity a = activity(t.ref());
      a.rowsWritten.addAndGet(Math.max(1, n));
      if (user.getAutoCommit()) {
        a.wake();
      } else {
        insertedInTransaction.add(a);
      }
    }
    return n;
  }

  private long relayedInsert(TableRef dest, SrcTag pending, InsertAction action)
      throws SQLException {
    ensureWatermarkTable(dest.schema());
    boolean auto = user.getAutoCommit();
    long[] count = {0};
    if (auto) {
      user.setAutoCommit(false);
    }
    try {
      RelayDedup.insertOnce(
          user,
          dest,
          pending.slot(),
          pending.mode(),
          pending.rowId(),
          c -> count[0] = action.run());
      if (auto) {
        user.commit();
      }
    } catch (SQLException | RuntimeException e) {
      if (auto) {
        try {
          user.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    } finally {
      if (auto) {
        user.setAutoCommit(true);
      }
    }
    return count[0];
  }

  /**
   * Creates the watermark table on first use. DDL commits the transaction of the connection it runs
   * on, so inside a user transaction it runs on a short-lived connection of its own.
   */
  private void ensureWatermarkTable(String schema) throws SQLException {
    if (watermarkSchemas.contains(schema)) {
      return;
    }
    boolean exists;
    try (PreparedStatement ps =
        user.prepareStatement(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, RelayDedup.WATERMARK_TABLE);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    if (!exists) {
      if (user.getAutoCommit()) {
        RelayDedup.ensureWatermarkTable(user, schema);
      } else {
        try (Connection c = opener.open()) {
          RelayDedup.ensureWatermarkTable(c, schema);
        }
      }
    }
    watermarkSchemas.add(schema);
  }

  /** True when executing {@code shape} depends on owner state (it touches a queue table). */
  boolean readsQueueTable(StatementShape shape) throws SQLException {
    List<TableName> names = List.of();
    if (shape instanceof Select s) {
      if (s.whereWait() != null) {
        return true;
      }
      names = s.tables();
    } else if (shape instanceof Delete d) {
      names = List.of(d.table());
    }
    for (TableName n : names) {
      if (queueTable(n) != null) {
        return true;
      }
    }
    return false;
  }

  private EmulatedTable queueTable(TableName n) throws SQLException {
    TableRef ref = resolve(n.schema(), n.table());
    return ref == null ? null : tables.lookup(user, ref).orElse(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Connection events

  /**
   * Before a statement passes through: refuses DDL on the table whose row this connection holds. On
   * InnoDB that DDL would wait for the metadata lock of this connection's own claim — for the
   * server's {@code lock_wait_timeout} (a day by default) — where Q4M runs it at once.
   */
  void beforePassThrough(PassThrough p) throws SQLException {
    if (p.kind() != PassKind.DDL || !(ownership instanceof Ownership.Row r) || !r.held()) {
      return;
    }
    for (TableName n : p.tables()) {
      TableRef ref = resolve(n.schema(), n.table());
      if (ref != null && ref.sameAs(r.table().ref())) {
        throw new SQLException(
            "this connection owns a row of "
                + ref
                + " (queue_wait); on InnoDB this DDL would wait for that row's lock, held by this"
                + " same connection. Call queue_end() or queue_abort() first",
            "HY000");
      }
    }
  }

  /** After a statement passed through: refresh what it may have changed. */
  void afterPassThrough(PassThrough p) throws SQLException {
    switch (p.kind()) {
      case DDL -> {
        tables.forget();
        conditionSql.clear();
        watermarkSchemas.clear();
        if (p.dropsTables()) {
          // Q4M's counters live as long as the table (reset by DROP).
          for (TableName n : p.tables()) {
            TableRef ref = resolve(n.schema(), n.table());
            if (ref != null) {
              LocalQueues.INSTANCE.forget(server, ref);
            }
          }
        }
      }
      case USE -> database = currentDatabaseOnServer();
      default -> {}
    }
  }

  /** The user connection's database was changed through the JDBC API. */
  void databaseChanged() throws SQLException {
    database = user.getCatalog();
  }

  /** The user committed: rows it inserted into queue tables are now visible to waiters. */
  void afterCommit() {
    for (Activity a : insertedInTransaction) {
      a.wake();
    }
    insertedInTransaction.clear();
  }

  /** The user rolled back: its inserts are gone. */
  void afterRollback() {
    insertedInTransaction.clear();
  }

  /** Ends a {@code queue_wait} in progress with an "interrupted" error. Any thread. */
  void cancel() {
    cancelled = true;
    idle.wakeup();
  }

  void setNetworkTimeout(Executor executor, int millis) throws SQLException {
    networkTimeout = millis;
    if (queue != null) {
      queue.setNetworkTimeout(executor, millis);
    }
  }

  /**
   * Returns an owned row to the queue (the server rolls the queue connection back) and closes the
   * queue connection. Idempotent; any thread.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    idle.wakeup();
    Ownership o = ownership;
    ownership = Ownership.NONE;
    Connection q = queue;
    queue = null;
    if (q != null) {
      try {
        q.rollback();
      } catch (SQLException ignored) {
        // closing gives the row back anyway
      }
      closeQuietly(q);
    }
    if (o instanceof Ownership.Row r && r.held()) {
      Activity a = activity(r.table().ref());
      a.restoredByClose.incrementAndGet();
      a.wake();
    }
  }

  /** Like {@link #close()}, but without waiting for the server: the connection is aborted. */
  void abort(Executor executor) {
    closed = true;
    idle.wakeup();
    Connection q = queue;
    queue = null;
    ownership = Ownership.NONE;
    if (q != null) {
      try {
        q.abort(executor);
      } catch (SQLException ignored) {
        // the server ends the session and its transaction either way
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private Connection queueConnection() throws SQLException {
    if (closed) {
      throw new SQLException("No operations allowed after connection closed.", "08003");
    }
    if (queue == null) {
      Connection c = opener.open();
      try {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        if (networkTimeout != null) {
          c.setNetworkTimeout(Runnable::run, networkTimeout);
        }
      } catch (SQLException e) {
        closeQuietly(c);
        throw e;
      }
      queue = c;
      queueDatabase = c.getCatalog();
    }
    return queue;
  }

  /** Keeps the queue connection in the user's database, for names the rewrite leaves alone. */
  private void syncDatabase(Connection q) throws SQLException {
    if (database != null && !database.equals(queueDatabase)) {
      q.setCatalog(database);
      queueDatabase = database;
    }
  }

  private TableRef resolve(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? resolve(null, name) : resolve(name.substring(0, dot), name.substring(dot + 1));
  }

  private TableRef resolve(String schema, String table) {
    String s = schema == null ? database : schema;
    if (s == null || !Identifiers.isValid(s) || !Identifiers.isValid(table)) {
      return null;
    }
    return new TableRef(s, table);
  }

  private Activity activity(TableRef ref) {
    return LocalQueues.INSTANCE.of(server, ref);
  }

  private String currentDatabaseOnServer() throws SQLException {
    try (Statement st = user.createStatement();
        ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void checkInterrupted() throws SQLException {
    if (closed) {
      throw new SQLException("No operations allowed after connection closed.", "08003");
    }
    if (cancelled) {
      cancelled = false;
      throw interrupted();
    }
    if (Thread.currentThread().isInterrupted()) {
      throw interrupted();
    }
  }

  private static SQLException interrupted() {
    return new SQLException("Query execution was interrupted", "70100", 1317);
  }

  /** Q4M's statement-start errors: MySQL reports a failing UDF init as error 1123. */
  private static SQLException initError(String function, String message) {
    return new SQLException(
        "Can't initialize function '" + function + "'; " + message, "HY000", 1123);
  }

  private void rollback(Connection q) throws SQLException {
    try {
      q.rollback();
    } catch (SQLException e) {
      throw queueFailure(e);
    }
  }

  /**
   * The queue connection failed: a broken connection loses the ownership (the server gave the row
   * back) and is dropped; a statement error ends the transaction the same way.
   */
  private SQLException queueFailure(SQLException e) {
    Connection q = queue;
    if (q != null) {
      if (SqlErrors.connectionBroken(e)) {
        queue = null;
        closeQuietly(q);
      } else {
        try {
          q.rollback();
        } catch (SQLException r) {
          queue = null;
          closeQuietly(q);
        }
      }
    }
    if (ownership instanceof Ownership.Row r && r.held()) {
      ownership = Ownership.EMPTY;
    }
    return e;
  }

  /**
   * Like {@link #queueFailure} for a broken connection; a plain statement error (a typo in the
   * user's WHERE) leaves the ownership alone, as Q4M does.
   */
  private SQLException queueFailureIfBroken(SQLException e) {
    return SqlErrors.connectionBroken(e) ? queueFailure(e) : e;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to do: the server ends the session and rolls back
    }
  }
}
