package org.q4mbridge.q4m.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.QueueSource;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QueueSource} over the real Q4M QUEUE engine, through its SQL functions (Q4M-SEMANTICS.md
 * §10). Owner mode is per server connection, so each source holds one dedicated, unpooled
 * connection (autocommit on) and owns at most one row at a time: a claim has 0 or 1 row, and
 * parallelism comes from running several sources.
 *
 * <p>Protocol: {@code SELECT queue_wait('db.t[:cond]', …, n)} then {@code SELECT queue_rowid()} and
 * {@code SELECT * FROM db.t} (the two-step form, required on MySQL ≥ 5.6), or optionally {@code
 * SELECT * FROM db.t WHERE queue_wait(…)} for MySQL 5.1/5.5. NULL from {@code queue_wait} is an
 * error (unknown table, not a QUEUE table, bad condition), 0 a timeout. Ack = {@code queue_end()},
 * release = {@code queue_abort()}, dead letter = insert into the dead-letter table then {@code
 * queue_end()}. On any SQL error around {@code queue_wait} the source calls {@code queue_abort()}
 * and drops the connection, because a failed call may still have assigned a row that the next
 * {@code queue_wait} would silently delete (pitfall 10).
 *
 * <p>{@code queue_wait} cannot be interrupted on the server, so long waits are cut into server-side
 * waits of at most {@link Options#serverWait()} (default 1 s): {@link #wakeup()} and {@link
 * #close()} take effect within that bound.
 *
 * <p>Threading: see {@link QueueSource}.
 */
public final class NativeQueueSource implements QueueSource {
  private static final Logger LOG = LoggerFactory.getLogger(NativeQueueSource.class);

  /**
   * What a native source needs.
   *
   * @param connections opens the dedicated owner connection
   * @param subscriptions the {@code queue_wait} arguments in priority order
   * @param whereForm use {@code SELECT * FROM t WHERE queue_wait(...)} (MySQL 5.1/5.5 only; one
   *     table)
   * @param deadLetters where dead-lettered rows go (an InnoDB table on the same server)
   * @param epochs the shared epoch tracker of each queue table
   * @param serverWait the longest single server-side wait (≥ 1 s, Q4M counts whole seconds)
   */
  public record Options(
      ConnectionFactory connections,
      List<Subscription> subscriptions,
      boolean whereForm,
      DeadLetterTable deadLetters,
      Function<TableRef, EpochTracker> epochs,
      Duration serverWait) {
    public Options {
      Objects.requireNonNull(connections, "connections");
      if (subscriptions == null || subscriptions.isEmpty()) {
        throw new IllegalArgumentException("at least one queue table is required");
      }
      subscriptions = List.copyOf(subscriptions);
      if (whereForm && subscriptions.size() > 1) {
        throw new IllegalArgumentException(
            "the WHERE queue_wait(...) form reads one table; use the two-step form for "
                + subscriptions.size()
                + " tables");
      }
      Objects.requireNonNull(deadLetters, "deadLetters");
      Objects.requireNonNull(epochs, "epochs");
      serverWait = serverWait == null ? Duration.ofSeconds(1) : serverWait;
      if (serverWait.toSeconds() < 1) {
        throw new IllegalArgumentException("serverWait must be at least 1 s, got " + serverWait);
      }
    }
  }

  private final Options options;
  private final TableRef primary;
  private final Map<String, List<QueueColumn>> columnsByTable = new HashMap<>();
  private Connection conn;
  private NativeClaim open;
  private volatile boolean wakeup;
  private volatile boolean closed;

  private NativeQueueSource(Options options) {
    this.options = options;
    this.primary = options.subscriptions().get(0).table();
  }

  /**
   * Connects and checks that every table answers {@code queue_wait} (with a 0 s wait, which
   * consumes nothing because the connection owns nothing yet).
   */
  public static NativeQueueSource open(Options options) throws QueueSourceException {
    NativeQueueSource s = new NativeQueueSource(options);
    s.connection();
    return s;
  }

  @Override
  public TableRef queue() {
    return primary;
  }

  @Override
  public Claim poll(int max, Duration timeout) throws QueueSourceException, InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, got " + max);
    }
    if (open != null) {
      throw new IllegalStateException("the previous claim of " + primary + " is not settled");
    }
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    boolean first = true;
    while (!closed) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      long leftNanos = deadline - System.nanoTime();
      if (!first && leftNanos <= 0) {
        break;
      }
      first = false;
      long waitSec =
          Math.max(
              0,
              Math.min(options.serverWait().toSeconds(), Duration.ofNanos(leftNanos).toSeconds()));
      Connection c = connection();
      try {
        QueueRow row = waitOnce(c, waitSec);
        if (row != null) {
          open = new NativeClaim(this, row);
          return open;
        }
      } catch (SQLException e) {
        throw fail("queue_wait on " + primary, e);
      }
      if (wakeup) {
        wakeup = false;
        break;
      }
    }
    return new NativeClaim(this, null);
  }

  /** One {@code queue_wait} round: the row now owned, or null on timeout. */
  private QueueRow waitOnce(Connection c, long waitSec) throws SQLException, QueueSourceException {
    List<Subscription> subs = options.subscriptions();
    if (options.whereForm()) {
      TableRef t = subs.get(0).table();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT * FROM " + t.quoted() + " WHERE queue_wait(?, ?)")) {
        ps.setString(1, subs.get(0).toQueueWaitArgument());
        ps.setLong(2, waitSec);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          return readRow(c, t, rs);
        }
      }
    }
    StringBuilder sql = new StringBuilder("SELECT queue_wait(");
    for (int i = 0; i <= subs.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(')');
    long k;
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (Subscription s : subs) {
        ps.setString(i++, s.toQueueWaitArgument());
      }
      ps.setLong(i, waitSec);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        k = rs.getLong(1);
        if (rs.wasNull()) {
          throw new QueueSourceException(
              Kind.UNKNOWN_TABLE,
              "queue_wait("
                  + describe(subs)
                  + ") returned NULL: a table does not exist in its database, is not a QUEUE table,"
                  + " or a condition is invalid");
        }
      }
    }
    if (k == 0) {
      return null;
    }
    if (k < 1 || k > subs.size()) {
      throw new SQLException("queue_wait returned " + k + " for " + subs.size() + " tables");
    }
    TableRef t = subs.get((int) k - 1).table();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + t.quoted())) {
      if (!rs.next()) {
        // The owned row vanished (TRUNCATE, DROP, owner-mode DELETE elsewhere): nothing to forward.
        endQuietly(c);
        return null;
      }
      return readRow(c, t, rs);
    }
  }

  private QueueRow readRow(Connection c, TableRef t, ResultSet rs) throws SQLException {
    List<QueueColumn> cols = columnsByTable.get(t.key());
    if (cols == null) {
      cols = columns(rs.getMetaData());
      columnsByTable.put(t.key(), cols);
    }
    List<Object> values = new ArrayList<>(cols.size());
    for (int i = 1; i <= cols.size(); i++) {
      values.add(rs.getObject(i));
    }
    long rowId;
    try (Statement st = c.createStatement();
        ResultSet r = st.executeQuery("SELECT queue_rowid()")) {
      r.next();
      rowId = r.getLong(1);
    }
    EpochTracker tracker = options.epochs().apply(t);
    return new QueueRow(t, rowId, tracker.epochFor(rowId), cols, values);
  }

  private static List<QueueColumn> columns(ResultSetMetaData md) throws SQLException {
    List<QueueColumn> cols = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      cols.add(
          new QueueColumn(
              md.getColumnLabel(i),
              md.getColumnType(i),
              md.getColumnTypeName(i).toUpperCase(Locale.ROOT)));
    }
    return List.copyOf(cols);
  }

  private static String describe(List<Subscription> subs) {
    StringBuilder sb = new StringBuilder();
    for (Subscription s : subs) {
      sb.append(sb.length() == 0 ? "'" : ", '").append(s.toQueueWaitArgument()).append('\'');
    }
    return sb.toString();
  }

  private Connection connection() throws QueueSourceException {
    if (conn == null) {
      try {
        Connection c = options.connections().open();
        c.setAutoCommit(true);
        conn = c;
      } catch (SQLException e) {
        throw SqlErrors.wrap("connecting to the database of queue " + primary, e);
      }
    }
    return conn;
  }

  /** Gives the row back and drops the connection: a failed call may have assigned a row. */
  private QueueSourceException fail(String what, SQLException e) {
    open = null;
    Connection c = conn;
    conn = null;
    QueueSourceException wrapped = SqlErrors.wrap(what, e, c);
    if (c != null) {
      abortQuietly(c);
      closeQuietly(c);
    }
    return wrapped;
  }

  void settle(NativeClaim claim, Collection<Long> acked, Collection<DeadLetter> dead)
      throws QueueSourceException {
    if (claim != open) {
      throw new IllegalStateException("claim of " + primary + " already settled");
    }
    QueueRow row = claim.rows().get(0);
    for (Long id : acked) {
      if (id != row.rowId()) {
        throw new IllegalArgumentException(
            "row " + id + " is not part of this claim of " + primary);
      }
    }
    for (DeadLetter d : dead) {
      if (d.rowId() != row.rowId()) {
        throw new IllegalArgumentException(
            "row " + d.rowId() + " is not part of this claim of " + primary);
      }
    }
    Connection c = conn;
    try {
      if (c == null) {
        throw new SQLException("connection already closed", "08003");
      }
      boolean remove = !acked.isEmpty() || !dead.isEmpty();
      if (!dead.isEmpty()) {
        // Not atomic with queue_end: a crash in between leaves a second dead-letter copy, never a
        // loss.
        options.deadLetters().insert(c, List.of(dead.iterator().next()), Map.of(row.rowId(), row));
      }
      try (Statement st = c.createStatement()) {
        st.executeQuery(remove ? "SELECT queue_end()" : "SELECT queue_abort()").close();
      }
      open = null;
      if (remove) {
        options.epochs().apply(row.queue()).removed(List.of(row.rowId()), row.epoch());
      }
    } catch (SQLException e) {
      throw fail("settling row " + row.rowId() + " of " + row.queue(), e);
    }
  }

  void release(NativeClaim claim) {
    if (claim != open) {
      return;
    }
    open = null;
    if (conn != null && !abortQuietly(conn)) {
      closeQuietly(conn);
      conn = null;
    }
  }

  private static boolean abortQuietly(Connection c) {
    try (Statement st = c.createStatement()) {
      st.executeQuery("SELECT queue_abort()").close();
      return true;
    } catch (SQLException e) {
      LOG.debug("queue_abort() failed (fine when not in owner mode)", e);
      return false;
    }
  }

  private static void endQuietly(Connection c) {
    try (Statement st = c.createStatement()) {
      st.executeQuery("SELECT queue_end()").close();
    } catch (SQLException e) {
      LOG.debug("queue_end() failed", e);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // the server returns an owned row when the session ends
    }
  }

  @Override
  public void wakeup() {
    wakeup = true;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Connection c = conn;
    conn = null;
    if (c != null) {
      if (open != null) {
        abortQuietly(c);
      }
      closeQuietly(c);
    }
    open = null;
  }

  /** The claim type of this backend: zero or one row. */
  static final class NativeClaim implements Claim {
    private final NativeQueueSource source;
    private final List<QueueRow> rows;
    private boolean settled;

    NativeClaim(NativeQueueSource source, QueueRow row) {
      this.source = source;
      this.rows = row == null ? List.of() : List.of(row);
      this.settled = row == null;
    }

    @Override
    public List<QueueRow> rows() {
      return rows;
    }

    @Override
    public void settle(Collection<Long> acked, Collection<DeadLetter> deadLetters)
        throws QueueSourceException {
      if (settled) {
        if (acked.isEmpty() && deadLetters.isEmpty()) {
          return;
        }
        throw new IllegalStateException("claim already settled");
      }
      settled = true;
      source.settle(this, acked, deadLetters);
    }

    @Override
    public void close() {
      if (!settled) {
        settled = true;
        source.release(this);
      }
    }
  }
}
