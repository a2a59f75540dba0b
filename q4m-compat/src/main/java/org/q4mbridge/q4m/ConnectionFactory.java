package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens dedicated (unpooled) server connections. Queue sources own one connection each; ownership
 * in Q4M is per connection, so a source's connection must never be shared or handed back to a pool.
 */
@FunctionalInterface
public interface ConnectionFactory {

  /** Opens a new connection; blocks at most the driver's connect timeout. */
  Connection open() throws SQLException;

  /**
   * A factory over {@link DriverManager} with defaults for queue work: connect timeout 10 s, TCP
   * keep-alive, batches sent as one statement, parsed SQL cached per connection, TINYINT(1) read as
   * a number (Q4M conditions treat it as an integer).
   *
   * @param extra driver properties that override the defaults (e.g. {@code socketTimeout})
   */
  static ConnectionFactory jdbc(String url, String user, String password, Properties extra) {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "10000");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("tinyInt1isBit", "false");
    // One statement for a batch of deletes or dead-letter inserts.
    props.setProperty("rewriteBatchedStatements", "true");
    // The driver parses the SQL of every client-side prepared statement, and a rewritten batch of
    // 100 deletes is a 100-statement text: parsed once per batch size instead of once per batch
    // (that parsing was an eighth of a pump thread's time in a profile).
    props.setProperty("cachePrepStmts", "true");
    props.setProperty("prepStmtCacheSize", "256");
    props.setProperty("prepStmtCacheSqlLimit", "1048576");
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    if (extra != null) {
      props.putAll(extra);
    }
    return () -> DriverManager.getConnection(url, props);
  }
}
