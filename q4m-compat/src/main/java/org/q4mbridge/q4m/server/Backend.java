package org.q4mbridge.q4m.server;

import com.mysql.cj.NativeSession;
import com.mysql.cj.Session;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.StatementImpl;
import com.mysql.cj.protocol.ServerSession;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.q4mbridge.q4m.jdbc.Q4mDriver;

/**
 * The backend side of one client connection: a {@code jdbc:q4m:} shim connection, so every
 * statement gets its Q4M meaning from the shim, plus what the endpoint reads from the Connector/J
 * connection underneath it to fill in OK packets (status flags, warnings, last insert id).
 *
 * <p>The connection is a byte pipe: Connector/J encodes and decodes statement text as ISO-8859-1,
 * so the client's bytes reach the server unchanged, while the session's character set variables are
 * the client's own ({@code SET NAMES} from the handshake, and whatever the client sets later).
 * Binary data inside string literals therefore survives as it does on a real server.
 *
 * <p>Used by the client connection's thread; {@link #abort()} may come from any thread and ends a
 * statement in progress (a {@code queue_wait} included). Closing it gives an owned row back.
 */
final class Backend implements AutoCloseable {
  private static final Q4mDriver DRIVER = newDriver();

  private final Connection connection;
  private final ServerSession serverSession;
  private final NativeSession nativeSession;
  private Statement statement;

  private Backend(Connection connection) throws SQLException {
    this.connection = connection;
    ServerSession ss = null;
    NativeSession ns = null;
    try {
      Session s = connection.unwrap(JdbcConnection.class).getSession();
      ss = s.getServerSession();
      ns = s instanceof NativeSession n ? n : null;
    } catch (SQLException | RuntimeException e) {
      // Without Connector/J internals the OK packets fall back to what JDBC tells.
    }
    this.serverSession = ss;
    this.nativeSession = ns;
  }

  private static Q4mDriver newDriver() {
    try {
      return new Q4mDriver();
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The shim URL for a backend URL given as {@code jdbc:mysql:} or {@code jdbc:q4m:mysql:}. */
  static String shimUrl(String backendUrl) {
    return backendUrl.startsWith(Q4mDriver.URL_PREFIX)
        ? backendUrl
        : "jdbc:q4m:" + backendUrl.substring("jdbc:".length());
  }

  /**
   * Opens a backend connection for a client.
   *
   * @param database the client's database, or {@code null} for the URL's
   * @param charset the client's character set (MySQL name) for {@code SET NAMES}
   * @param foundRows the client asked for matched rather than changed rows (CLIENT_FOUND_ROWS)
   * @param interactive the client is interactive (the server then applies interactive_timeout)
   */
  static Backend open(
      EndpointOptions options,
      String database,
      String charset,
      boolean foundRows,
      boolean interactive)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", options.backendUser());
    p.setProperty("password", options.backendPassword());
    // The byte pipe (see the class comment).
    p.setProperty("characterEncoding", "ISO-8859-1");
    p.setProperty("useAffectedRows", Boolean.toString(!foundRows));
    p.setProperty("interactiveClient", Boolean.toString(interactive));
    // Parameter counts of prepared statements come from parsing, without a server round trip.
    p.setProperty("generateSimpleParameterMetadata", "true");
    // The endpoint splits multi-statement text itself so each statement keeps its Q4M meaning.
    p.setProperty("allowMultiQueries", "false");
    p.setProperty("useServerPrepStmts", "false");
    p.setProperty("allowLoadLocalInfile", "false");
    // A client waits for its login while the backend connects: bound it like the handshake.
    p.setProperty("connectTimeout", Long.toString(options.connectTimeout().toMillis()));
    Connection c = DRIVER.connect(shimUrl(options.backendUrl()), p);
    if (c == null) {
      throw new SQLException("the shim driver did not accept " + options.backendUrl(), "08001");
    }
    try {
      Backend b = new Backend(c);
      try (Statement st = c.createStatement()) {
        st.execute("SET NAMES " + charset);
      }
      b.setDatabase(database);
      return b;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The shim connection. */
  Connection connection() {
    return connection;
  }

  /** The statement that runs the client's text statements (one at a time). */
  Statement statement() {
    return statement;
  }

  /**
   * Makes {@code database} current (when given) and renews the statement: a Connector/J statement
   * runs in the database that was current when it was created.
   */
  void setDatabase(String database) throws SQLException {
    if (database != null && !database.isEmpty()) {
      connection.setCatalog(database);
    }
    Statement old = statement;
    statement = connection.createStatement();
    if (old != null) {
      try {
        old.close();
      } catch (SQLException e) {
        // a fresh one replaces it anyway
      }
    }
  }

  /** The session status bits of the last server response (auto-commit, in transaction). */
  int statusFlags() {
    if (serverSession != null) {
      return serverSession.getStatusFlags() & Protocol.SESSION_STATUS_MASK;
    }
    try {
      return connection.getAutoCommit() ? Protocol.SERVER_STATUS_AUTOCOMMIT : 0;
    } catch (SQLException e) {
      return 0;
    }
  }

  /** Warnings of the last server response. */
  int warningCount() {
    return nativeSession == null
        ? 0
        : Math.min(0xFFFF, nativeSession.getProtocol().getWarningCount());
  }

  /** The last insert id of the statement's last result, or 0. */
  static long lastInsertId(Statement s) {
    try {
      if (s.isWrapperFor(StatementImpl.class)) {
        return s.unwrap(StatementImpl.class).getLastInsertID();
      }
    } catch (SQLException | RuntimeException e) {
      // fall through
    }
    return 0;
  }

  /** The first generated key of a prepared statement's last update, or 0. */
  static long generatedKey(Statement s) {
    try (ResultSet keys = s.getGeneratedKeys()) {
      if (keys != null && keys.next()) {
        return keys.getLong(1);
      }
    } catch (SQLException | RuntimeException e) {
      // a statement that generated nothing (or a shim statement): no id
    }
    return 0;
  }

  /** The session's {@code character_set_results}, or {@code null} for "no conversion". */
  String resultsCharset() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@character_set_results")) {
      rs.next();
      String v = rs.getString(1);
      return v == null || v.equalsIgnoreCase("binary") ? null : Charsets.normalise(v);
    }
  }

  /** True when the backend connection is gone (a communication failure closed it). */
  boolean isBroken() {
    try {
      return connection.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  /** Ends whatever runs and drops the server connections at once; from any thread. */
  void abort() {
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      // best effort: the session thread closes it again
    }
  }

  /** Closes both server connections; an owned row goes back to its queue. Idempotent. */
  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      // the server rolls back what the connection held when it goes away
    }
  }
}
