package org.q4mbridge.q4m.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.q4mbridge.q4m.jdbc.StatementShape.Delete;
import org.q4mbridge.q4m.jdbc.StatementShape.FunctionCall;
import org.q4mbridge.q4m.jdbc.StatementShape.Insert;
import org.q4mbridge.q4m.jdbc.StatementShape.PassKind;
import org.q4mbridge.q4m.jdbc.StatementShape.PassThrough;
import org.q4mbridge.q4m.jdbc.StatementShape.Select;
import org.q4mbridge.q4m.jdbc.StatementShape.Unsupported;

/**
 * A {@link Statement} of a {@link Q4mConnection}. Q4M function calls, reads and deletes of queue
 * tables and inserts into them follow Q4M's semantics; every other statement goes to Connector/J
 * unchanged. Result sets report this statement as theirs.
 *
 * <p>Not thread-safe, like any JDBC statement; {@link #cancel()} may be called from another thread
 * and also ends a {@code queue_wait} in progress. Closing it closes its result sets.
 */
class Q4mStatement implements Statement {
  /** What the caller's execute method promises to return. */
  enum Expect {
    QUERY,
    UPDATE,
    ANY
  }

  /** Runs the user's statement unchanged. */
  interface Pass {
    /**
     * @return a {@link ResultSet} or a {@link Long} update count
     */
    Object run(Expect expect) throws SQLException;

    /** The statement whose further results and generated keys follow, or {@code null}. */
    Statement source() throws SQLException;
  }

  final Q4mConnection connection;
  final QueueSession session;
  private Statement user;
  private Statement onQueue;
  private Connection onQueueConnection;
  private ResultSet current;
  private long updateCount = -1;
  private Statement passSource;
  private final List<String> batch = new ArrayList<>();
  private boolean closed;
  private boolean closeOnCompletion;

  private long maxRows;
  private int queryTimeout;
  private int maxFieldSize;
  private int fetchSize;
  private int fetchDirection = ResultSet.FETCH_FORWARD;
  private boolean escapeProcessing = true;
  private boolean poolable;

  Q4mStatement(Q4mConnection connection, QueueSession session, Statement user) {
    this.connection = connection;
    this.session = session;
    this.user = user;
  }

  // ---------------------------------------------------------------------------------------------
  // Execution core, shared with Q4mPreparedStatement

  /**
   * Executes a recognised statement.
   *
   * @return true when the first result is a result set
   */
  final boolean executeShape(
      StatementShape shape, String sql, Expect expect, Pass pass, QueueSession.Runner runner)
      throws SQLException {
    checkOpen();
    closeCurrent();
    updateCount = -1;
    passSource = null;
    if (shape instanceof Unsupported u) {
      throw new SQLFeatureNotSupportedException(u.reason(), "0A000");
    }
    if (shape instanceof FunctionCall f) {
      refuseUpdate(expect);
      Object v = session.call(f, runner);
      current =
          new ShimResultSet(SingleValue.of(f.label(), v, f.function().equals("queue_stats")), this);
      return true;
    }
    if (shape instanceof Select s) {
      refuseUpdate(expect);
      ResultSet rs = session.select(s, sql, runner);
      if (rs != null) {
        current = wrap(rs);
        return true;
      }
      return pass(pass, expect, OTHER);
    }
    if (shape instanceof Delete d) {
      if (expect == Expect.QUERY) {
        throw new SQLException(
            "Statement.executeQuery() cannot issue statements that do not produce result sets.",
            "S1009");
      }
      Long n = session.delete(d, runner);
      if (n != null) {
        updateCount = n;
        return false;
      }
      return pass(pass, expect, OTHER);
    }
    if (shape instanceof Insert ins && expect != Expect.QUERY) {
      boolean[] rows = {false};
      long n =
          session.insert(
              ins,
              () -> {
                Object r = pass.run(expect);
                passSource = pass.source();
                if (r instanceof ResultSet rs) {
                  // INSERT … RETURNING (MariaDB)
                  current = wrap(rs);
                  rows[0] = true;
                  return Statement.SUCCESS_NO_INFO;
                }
                return (Long) r;
              });
      if (!rows[0]) {
        updateCount = n;
      }
      return rows[0];
    }
    return pass(pass, expect, shape instanceof PassThrough p ? p : OTHER);
  }

  private static final PassThrough OTHER = new PassThrough(PassKind.OTHER);

  private boolean pass(Pass pass, Expect expect, PassThrough shape) throws SQLException {
    session.beforePassThrough(shape);
    Object r = pass.run(expect);
    passSource = pass.source();
    session.afterPassThrough(shape);
    if (r instanceof ResultSet rs) {
      current = wrap(rs);
      return true;
    }
    updateCount = (Long) r;
    return false;
  }

  private static void refuseUpdate(Expect expect) throws SQLException {
    if (expect == Expect.UPDATE) {
      throw new SQLException(
          "Can not issue executeUpdate() or executeLargeUpdate() for SELECTs", "S1009");
    }
  }

  ResultSet wrap(ResultSet rs) {
    return rs == null || rs instanceof ShimResultSet ? rs : new ShimResultSet(rs, this);
  }

  /** The statement on the user connection (created on first use). */
  final Statement userStatement() throws SQLException {
    if (user == null) {
      user = connection.userConnection().createStatement();
      applySettings(user, true);
    }
    return user;
  }

  /** The statement on {@code target}: the user connection or the queue connection. */
  final Statement statementOn(Connection target) throws SQLException {
    if (target == connection.userConnection()) {
      return userStatement();
    }
    if (onQueue == null || onQueueConnection != target) {
      if (onQueue != null) {
        closeQuietly(onQueue);
      }
      onQueue = target.createStatement();
      onQueueConnection = target;
      applySettings(onQueue, false);
    }
    return onQueue;
  }

  /**
   * Copies this statement's settings to an underlying statement. The fetch size stays on the user
   * side: results from the queue connection must be fully read before its transaction ends.
   */
  final void applySettings(Statement s, boolean userSide) throws SQLException {
    if (maxRows != 0) {
      s.setLargeMaxRows(maxRows);
    }
    if (queryTimeout != 0) {
      s.setQueryTimeout(queryTimeout);
    }
    if (maxFieldSize != 0) {
      s.setMaxFieldSize(maxFieldSize);
    }
    if (!escapeProcessing) {
      s.setEscapeProcessing(false);
    }
    if (userSide && fetchSize != 0) {
      s.setFetchSize(fetchSize);
    }
  }

  /** Applies a setting change to every underlying statement that exists. */
  interface Setting {
    void apply(Statement s, boolean userSide) throws SQLException;
  }

  void eachUnderlying(Setting setting) throws SQLException {
    if (user != null) {
      setting.apply(user, true);
    }
    if (onQueue != null) {
      setting.apply(onQueue, false);
    }
  }

  private final QueueSession.Runner plainRunner =
      new QueueSession.Runner() {
        @Override
        public ResultSet query(Connection target, String sql, int params) throws SQLException {
          return statementOn(target).executeQuery(sql);
        }

        @Override
        public long update(Connection target, String sql, int params) throws SQLException {
          return statementOn(target).executeLargeUpdate(sql);
        }

        @Override
        public Object param(int index) throws SQLException {
          throw new SQLException("No value specified for parameter " + index, "07001");
        }

        @Override
        public int paramCount() {
          return 0;
        }
      };

  private Pass plainPass(String sql, int autoGeneratedKeys, int[] columnIndexes, String[] names) {
    return new Pass() {
      @Override
      public Object run(Expect expect) throws SQLException {
        Statement s = userStatement();
        switch (expect) {
          case QUERY:
            return s.executeQuery(sql);
          case UPDATE:
            if (columnIndexes != null) {
              return s.executeLargeUpdate(sql, columnIndexes);
            }
            if (names != null) {
              return s.executeLargeUpdate(sql, names);
            }
            return s.executeLargeUpdate(sql, autoGeneratedKeys);
          default:
            boolean rs;
            if (columnIndexes != null) {
              rs = s.execute(sql, columnIndexes);
            } else if (names != null) {
              rs = s.execute(sql, names);
            } else {
              rs = s.execute(sql, autoGeneratedKeys);
            }
            return rs ? s.getResultSet() : (Object) s.getLargeUpdateCount();
        }
      }

      @Override
      public Statement source() throws SQLException {
        return userStatement();
      }
    };
  }

  private boolean executePlain(
      String sql, Expect expect, int autoGeneratedKeys, int[] columnIndexes, String[] names)
      throws SQLException {
    return executeShape(
        StatementParser.parse(sql),
        sql,
        expect,
        plainPass(sql, autoGeneratedKeys, columnIndexes, names),
        plainRunner);
  }

  final void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException("No operations allowed after statement closed.", "S1009");
    }
    connection.checkOpen();
  }

  private void closeCurrent() throws SQLException {
    if (current != null) {
      ResultSet rs = current;
      current = null;
      rs.close();
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing an underlying statement: nothing the caller can do about a failure
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Statement

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    executePlain(sql, Expect.QUERY, NO_GENERATED_KEYS, null, null);
    return current;
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return toInt(executeLargeUpdate(sql));
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return toInt(executeLargeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return toInt(executeLargeUpdate(sql, columnIndexes));
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return toInt(executeLargeUpdate(sql, columnNames));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return executeLargeUpdate(sql, NO_GENERATED_KEYS);
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    executePlain(sql, Expect.UPDATE, autoGeneratedKeys, null, null);
    return updateCount;
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    executePlain(sql, Expect.UPDATE, NO_GENERATED_KEYS, columnIndexes, null);
    return updateCount;
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    executePlain(sql, Expect.UPDATE, NO_GENERATED_KEYS, null, columnNames);
    return updateCount;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return executePlain(sql, Expect.ANY, NO_GENERATED_KEYS, null, null);
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return executePlain(sql, Expect.ANY, autoGeneratedKeys, null, null);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return executePlain(sql, Expect.ANY, NO_GENERATED_KEYS, columnIndexes, null);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return executePlain(sql, Expect.ANY, NO_GENERATED_KEYS, null, columnNames);
  }

  static int toInt(long n) {
    return n > Integer.MAX_VALUE ? Statement.SUCCESS_NO_INFO : (int) n;
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return current;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return current != null ? -1 : toInt(updateCount);
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return current != null ? -1 : updateCount;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int mode) throws SQLException {
    checkOpen();
    if (passSource != null) {
      boolean more = passSource.getMoreResults(mode);
      current = more ? wrap(passSource.getResultSet()) : null;
      updateCount = more ? -1 : passSource.getLargeUpdateCount();
      return more;
    }
    if (mode != KEEP_CURRENT_RESULT) {
      closeCurrent();
    }
    current = null;
    updateCount = -1;
    return false;
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    Statement s = passSource != null ? passSource : userStatement();
    return wrap(s.getGeneratedKeys());
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    batch.add(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] counts = executeLargeBatch();
    int[] out = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = toInt(counts[i]);
    }
    return out;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    List<String> sqls = new ArrayList<>(batch);
    batch.clear();
    List<StatementShape> shapes = new ArrayList<>(sqls.size());
    boolean plain = true;
    for (String sql : sqls) {
      StatementShape shape = StatementParser.parse(sql);
      shapes.add(shape);
      plain &= shape instanceof PassThrough;
    }
    if (plain) {
      // Nothing Q4M-specific: let Connector/J batch (and rewrite) them.
      Statement s = userStatement();
      for (StatementShape shape : shapes) {
        session.beforePassThrough((PassThrough) shape);
      }
      for (String sql : sqls) {
        s.addBatch(sql);
      }
      try {
        return s.executeLargeBatch();
      } finally {
        s.clearBatch();
        for (StatementShape shape : shapes) {
          session.afterPassThrough((PassThrough) shape);
        }
      }
    }
    long[] counts = new long[sqls.size()];
    for (int i = 0; i < sqls.size(); i++) {
      try {
        if (executeShape(
            shapes.get(i),
            sqls.get(i),
            Expect.UPDATE,
            plainPass(sqls.get(i), NO_GENERATED_KEYS, null, null),
            plainRunner)) {
          throw new SQLException("a batch may not contain statements that return results", "S1009");
        }
        counts[i] = updateCount;
      } catch (SQLException e) {
        throw new BatchUpdateException(
            e.getMessage(), e.getSQLState(), e.getErrorCode(), Arrays.copyOf(counts, i), e);
      }
    }
    return counts;
  }

  @Override
  public void cancel() throws SQLException {
    session.cancel();
    if (user != null) {
      user.cancel();
    }
    if (onQueue != null) {
      onQueue.cancel();
    }
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      closeQuietly(current);
      current = null;
    }
    if (user != null) {
      closeQuietly(user);
    }
    if (onQueue != null) {
      closeQuietly(onQueue);
    }
    closeUnderlying();
    connection.forget(this);
  }

  /** Subclasses close what they opened. */
  void closeUnderlying() {}

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return user == null ? null : user.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
    if (user != null) {
      user.clearWarnings();
    }
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return maxFieldSize;
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
    maxFieldSize = max;
    eachUnderlying((s, u) -> s.setMaxFieldSize(max));
  }

  @Override
  public int getMaxRows() throws SQLException {
    checkOpen();
    return (int) Math.min(Integer.MAX_VALUE, maxRows);
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("maxRows must be >= 0, got " + max, "S1009");
    }
    maxRows = max;
    eachUnderlying((s, u) -> s.setLargeMaxRows(max));
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
    escapeProcessing = enable;
    eachUnderlying((s, u) -> s.setEscapeProcessing(enable));
  }

  /**
   * The timeout applies to statements sent to the server; like Q4M's, a {@code queue_wait} ends
   * only at its own timeout (or {@link #cancel()}).
   */
  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeout;
  }

  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must be >= 0, got " + seconds, "S1009");
    }
    queryTimeout = seconds;
    eachUnderlying((s, u) -> s.setQueryTimeout(seconds));
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    checkOpen();
    userStatement().setCursorName(name);
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    fetchDirection = direction;
    eachUnderlying((s, u) -> s.setFetchDirection(direction));
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return fetchDirection;
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    fetchSize = rows;
    eachUnderlying(
        (s, userSide) -> {
          if (userSide) {
            s.setFetchSize(rows);
          }
        });
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return userStatement().getResultSetConcurrency();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return userStatement().getResultSetType();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return userStatement().getResultSetHoldability();
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
    this.poolable = poolable;
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return poolable;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return userStatement().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || userStatement().isWrapperFor(iface);
  }

  /** The current update count, for subclasses. */
  final long updateCount() {
    return updateCount;
  }

  /** The current result set, for subclasses. */
  final ResultSet currentResult() {
    return current;
  }
}
