package org.q4mbridge.q4m.emulated;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.IdleWait;
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
 * A {@link QueueSource} over Q4M tables converted to InnoDB (DESIGN.md §3.1, Q4M-SEMANTICS.md §9).
 *
 * <p>A claim is one READ COMMITTED transaction on this source's own connection: {@code SELECT …
 * ORDER BY rowid LIMIT n FOR UPDATE SKIP LOCKED}. The row locks are the ownership; settling deletes
 * acknowledged and dead-lettered rows (copying the latter to the dead-letter table) and commits,
 * which also releases every other row at its original position. If this process dies, the server
 * rolls the transaction back and the rows are free again — nothing to clean up. READ COMMITTED is
 * required: under REPEATABLE READ a conditional locking read keeps locks on rows it merely scanned
 * and breaks FIFO for other consumers (Q4M-SEMANTICS.md §9.2).
 *
 * <p>With several subscriptions, the first one (in priority order) that has a free matching row
 * supplies the whole claim. Waiting is adaptive polling ({@link IdleWait}); between polls the
 * transaction is rolled back so no metadata lock is held and DDL is not blocked by idle consumers.
 *
 * <p>Threading: see {@link QueueSource}.
 */
public final class EmulatedQueueSource implements QueueSource {
  private static final Logger LOG = LoggerFactory.getLogger(EmulatedQueueSource.class);

  /** Turns a Q4M condition into an SQL predicate over {@code table}'s columns. */
  @FunctionalInterface
  public interface ConditionTranslator {
    String toSql(EmulatedTable table, String condition) throws QueueSourceException;

    /** Rejects every condition (for callers that configure none). */
    ConditionTranslator NONE =
        (t, c) -> {
          throw new QueueSourceException(
              Kind.INVALID, "conditions are not supported by this source: '" + c + "'");
        };
  }

  /**
   * What a source needs.
   *
   * @param connections opens this source's dedicated connection
   * @param subscriptions tables (and optional conditions) in priority order
   * @param rowIdColumn the row id column, or {@code null} for the default rule of {@link
   *     EmulatedTable#load}
   * @param deadLetters where dead-lettered rows go
   * @param epochs the shared epoch tracker of each queue table
   * @param minPoll first pause after rows were found
   * @param maxPoll longest pause while idle: the latency bound
   * @param conditions the condition translator
   */
  public record Options(
      ConnectionFactory connections,
      List<Subscription> subscriptions,
      String rowIdColumn,
      DeadLetterTable deadLetters,
      Function<TableRef, EpochTracker> epochs,
      Duration minPoll,
      Duration maxPoll,
      ConditionTranslator conditions) {
    public Options {
      Objects.requireNonNull(connections, "connections");
      if (subscriptions == null || subscriptions.isEmpty()) {
        throw new IllegalArgumentException("at least one queue table is required");
      }
      subscriptions = List.copyOf(subscriptions);
      Objects.requireNonNull(deadLetters, "deadLetters");
      Objects.requireNonNull(epochs, "epochs");
      minPoll = minPoll == null ? Duration.ofMillis(1) : minPoll;
      maxPoll = maxPoll == null ? Duration.ofMillis(50) : maxPoll;
      conditions = conditions == null ? ConditionTranslator.NONE : conditions;
    }
  }

  private record Plan(
      Subscription subscription, EmulatedTable table, String sql, EpochTracker epochs) {}

  private final Options options;
  private final List<Plan> plans;
  private final IdleWait idle;
  private final TableRef primary;
  private Connection conn;
  private EmulatedClaim open;
  private volatile boolean closed;

  private EmulatedQueueSource(Options options, List<Plan> plans, Connection conn) {
    this.options = options;
    this.plans = plans;
    this.conn = conn;
    this.idle = new IdleWait(options.minPoll(), options.maxPoll());
    this.primary = plans.get(0).table().ref();
  }

  /**
   * Connects, reads every table's definition and checks the epochs.
   *
   * @throws QueueSourceException naming the table and database when a table is missing, and the
   *     server when it cannot be reached
   */
  public static EmulatedQueueSource open(Options options) throws QueueSourceException {
    Connection c = connect(options.connections(), options.subscriptions().get(0).table());
    try {
      List<Plan> plans = new ArrayList<>();
      for (Subscription s : options.subscriptions()) {
        EmulatedTable t = EmulatedTable.load(c, s.table(), options.rowIdColumn());
        String where = s.condition() == null ? null : options.conditions().toSql(t, s.condition());
        EpochTracker tracker = options.epochs().apply(s.table());
        tracker.checkRestart(nextAutoIncrement(c, s.table()));
        plans.add(new Plan(s, t, t.claimSql(where), tracker));
      }
      c.commit();
      return new EmulatedQueueSource(options, plans, c);
    } catch (QueueSourceException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.wrap("opening queue " + options.subscriptions().get(0).table(), e);
    }
  }

  private static Connection connect(ConnectionFactory f, TableRef queue)
      throws QueueSourceException {
    try {
      Connection c = f.open();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      return c;
    } catch (SQLException e) {
      throw SqlErrors.wrap("connecting to the database of queue " + queue, e);
    }
  }

  private static long nextAutoIncrement(Connection c, TableRef t) throws SQLException {
    try (Statement st = c.createStatement()) {
      // MySQL 8 caches INFORMATION_SCHEMA statistics; MariaDB has no such variable.
      st.execute("SET SESSION information_schema_stats_expiry = 0");
    } catch (SQLException ignored) {
      // MariaDB: not a variable there, and not needed.
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT AUTO_INCREMENT FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public TableRef queue() {
    return primary;
  }

  /** The tables this source reads, in priority order. */
  public List<EmulatedTable> tables() {
    return plans.stream().map(Plan::table).toList();
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
    while (true) {
      if (closed) {
        return EmulatedClaim.empty(this);
      }
      Connection c = connection();
      try {
        for (Plan p : plans) {
          List<QueueRow> rows = claimOnce(c, p, max);
          if (!rows.isEmpty()) {
            idle.busy();
            open = new EmulatedClaim(this, p, rows);
            return open;
          }
        }
        // Nothing free: end the transaction so no snapshot or metadata lock is held while idle.
        c.rollback();
      } catch (SQLException e) {
        throw fail("claiming rows from " + primary, e);
      }
      if (idle.takeWakeup()) {
        return EmulatedClaim.empty(this);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return EmulatedClaim.empty(this);
      }
      if (!idle.pause(left)) {
        return EmulatedClaim.empty(this);
      }
    }
  }

  private List<QueueRow> claimOnce(Connection c, Plan p, int max) throws SQLException {
    List<QueueColumn> cols = p.table().columns();
    List<QueueRow> rows = new ArrayList<>(Math.min(max, 1024));
    try (PreparedStatement ps = c.prepareStatement(p.sql())) {
      ps.setInt(1, max);
      try (ResultSet rs = ps.executeQuery()) {
        int n = cols.size();
        while (rs.next()) {
          List<Object> values = new ArrayList<>(n);
          for (int i = 1; i <= n; i++) {
            values.add(rs.getObject(i));
          }
          long rowId = rs.getLong(n + 1);
          rows.add(new QueueRow(p.table().ref(), rowId, p.epochs().epochFor(rowId), cols, values));
        }
      }
    }
    return rows;
  }

  private Connection connection() throws QueueSourceException {
    if (conn == null) {
      conn = connect(options.connections(), primary);
    }
    return conn;
  }

  /** Rolls back, drops a broken connection and wraps the error. Rows return to the queue. */
  private QueueSourceException fail(String what, SQLException e) {
    open = null;
    QueueSourceException wrapped = SqlErrors.wrap(what, e, conn);
    if (conn != null) {
      if (wrapped.kind() == Kind.CONNECTION_LOST) {
        closeQuietly(conn);
        conn = null;
      } else {
        try {
          conn.rollback();
        } catch (SQLException r) {
          closeQuietly(conn);
          conn = null;
        }
      }
    }
    return wrapped;
  }

  void settle(EmulatedClaim claim, Collection<Long> acked, Collection<DeadLetter> dead)
      throws QueueSourceException {
    if (claim != open) {
      throw new IllegalStateException("claim of " + primary + " already settled");
    }
    Map<Long, QueueRow> byId = new HashMap<>();
    for (QueueRow r : claim.rows()) {
      byId.put(r.rowId(), r);
    }
    Set<Long> remove = new LinkedHashSet<>();
    for (Long id : acked) {
      requireClaimed(byId, id);
      remove.add(id);
    }
    for (DeadLetter d : dead) {
      requireClaimed(byId, d.rowId());
      remove.add(d.rowId());
    }
    Connection c = conn;
    try {
      if (c == null) {
        throw new SQLException("connection already closed", "08003");
      }
      options.deadLetters().insert(c, dead, byId);
      if (!remove.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(claim.plan().table().deleteOneSql())) {
          for (long id : remove) {
            ps.setLong(1, id);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      c.commit();
      open = null;
    } catch (SQLException e) {
      throw fail("settling " + claim.rows().size() + " rows of " + primary, e);
    }
    if (!remove.isEmpty()) {
      claim.plan().epochs().removed(remove, claim.rows().get(0).epoch());
    }
  }

  private void requireClaimed(Map<Long, QueueRow> byId, Long id) {
    if (!byId.containsKey(id)) {
      throw new IllegalArgumentException("row " + id + " is not part of this claim of " + primary);
    }
  }

  void release(EmulatedClaim claim) {
    if (claim != open) {
      return;
    }
    open = null;
    if (conn != null) {
      try {
        conn.rollback();
      } catch (SQLException e) {
        LOG.debug("rollback on release failed; dropping the connection", e);
        closeQuietly(conn);
        conn = null;
      }
    }
  }

  @Override
  public void wakeup() {
    idle.wakeup();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    idle.wakeup();
    Connection c = conn;
    conn = null;
    open = null;
    if (c != null) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // closing returns the rows anyway
      }
      closeQuietly(c);
    }
    for (Plan p : plans) {
      p.epochs().save();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to do: the server ends the transaction with the session
    }
  }

  /** The claim type of this backend. */
  static final class EmulatedClaim implements Claim {
    private final EmulatedQueueSource source;
    private final Plan plan;
    private final List<QueueRow> rows;
    private boolean settled;

    EmulatedClaim(EmulatedQueueSource source, Plan plan, List<QueueRow> rows) {
      this.source = source;
      this.plan = plan;
      this.rows = List.copyOf(rows);
    }

    static EmulatedClaim empty(EmulatedQueueSource source) {
      EmulatedClaim c = new EmulatedClaim(source, null, List.of());
      c.settled = true;
      return c;
    }

    Plan plan() {
      return plan;
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
