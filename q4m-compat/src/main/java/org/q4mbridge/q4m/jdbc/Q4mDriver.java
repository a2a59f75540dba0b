package org.q4mbridge.q4m.jdbc;

import com.mysql.cj.jdbc.NonRegisteringDriver;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.logging.Logger;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource.ConditionTranslator;

/**
 * The {@code jdbc:q4m:} driver: legacy Q4M SQL on queues emulated on InnoDB. URLs are Connector/J
 * URLs with {@code q4m:} inserted — {@code jdbc:q4m:mysql://host:3306/app?user=…} — plus the shim's
 * own properties ({@code q4mRowIdColumn}, {@code q4mPollMinMillis}, {@code q4mPollMaxMillis}; see
 * the q4m-compat README).
 *
 * <p>Statements calling {@code queue_wait}, {@code queue_end}, {@code queue_abort}, {@code
 * queue_rowid}, {@code queue_set_srcid}, {@code queue_stats} or {@code queue_compact}, and reads,
 * deletes and inserts of queue tables (InnoDB tables with the row id column) behave as on a Q4M
 * server (Q4M-SEMANTICS.md); everything else goes to Connector/J unchanged. A connection that
 * consumes opens a second server connection whose transaction holds the owned row's lock.
 *
 * <p>Registered with {@link DriverManager} when loaded (also through {@code
 * META-INF/services/java.sql.Driver}). Thread-safe; {@link #connect} blocks for the connection
 * set-up only.
 */
public final class Q4mDriver implements Driver {
  /** The URL prefix this driver accepts. */
  public static final String URL_PREFIX = "jdbc:q4m:mysql:";

  private static final String Q4M = "q4m:";

  static {
    try {
      DriverManager.registerDriver(new Q4mDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NonRegisteringDriver mysql;
  private final ConditionTranslator conditions;

  /** A driver over Connector/J; public for {@link java.util.ServiceLoader}. */
  public Q4mDriver() throws SQLException {
    this.mysql = new NonRegisteringDriver();
    this.conditions = Conditions.translator();
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(URL_PREFIX);
  }

  /**
   * Opens the user connection (the queue connection follows on first need).
   *
   * @return {@code null} for a URL of another driver, as JDBC requires
   */
  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String mysqlUrl = "jdbc:" + url.substring("jdbc:".length() + Q4M.length());
    ShimOptions options = ShimOptions.from(url, info);
    Properties props = new Properties();
    if (info != null) {
      props.putAll(info);
    }
    Connection user = mysql.connect(mysqlUrl, props);
    if (user == null) {
      throw new SQLException("Connector/J did not accept the URL " + mysqlUrl, "08001");
    }
    try {
      QueueSession session =
          new QueueSession(
              user, () -> mysql.connect(mysqlUrl, props), options, server(mysqlUrl), conditions);
      return new Q4mConnection(user, session);
    } catch (SQLException | RuntimeException e) {
      try {
        user.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** {@code host:port…} of a Connector/J URL: the scope of this JVM's per-table counters. */
  static String server(String mysqlUrl) {
    int start = mysqlUrl.indexOf("//");
    if (start < 0) {
      return mysqlUrl;
    }
    int end = start + 2;
    while (end < mysqlUrl.length() && "/?".indexOf(mysqlUrl.charAt(end)) < 0) {
      end++;
    }
    return mysqlUrl.substring(start + 2, end);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    DriverPropertyInfo[] base =
        acceptsURL(url)
            ? mysql.getPropertyInfo("jdbc:" + url.substring("jdbc:".length() + Q4M.length()), info)
            : new DriverPropertyInfo[0];
    DriverPropertyInfo[] out = Arrays.copyOf(base, base.length + 3);
    out[base.length] =
        property(
            ShimOptions.ROW_ID_COLUMN,
            "q4m_rowid",
            "the column that makes an InnoDB table a queue table and orders it");
    out[base.length + 1] =
        property(ShimOptions.POLL_MIN_MILLIS, "2", "first pause of queue_wait between looks");
    out[base.length + 2] =
        property(
            ShimOptions.POLL_MAX_MILLIS,
            "100",
            "longest pause of queue_wait between looks (latency bound for rows from elsewhere)");
    return out;
  }

  private static DriverPropertyInfo property(String name, String dflt, String description) {
    DriverPropertyInfo p = new DriverPropertyInfo(name, dflt);
    p.description = description;
    p.required = false;
    return p;
  }

  @Override
  public int getMajorVersion() {
    return 0;
  }

  @Override
  public int getMinorVersion() {
    return 1;
  }

  /** Not JDBC compliant: it is a compatibility layer for one server's dialect. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("org.q4mbridge.q4m.jdbc");
  }
}
