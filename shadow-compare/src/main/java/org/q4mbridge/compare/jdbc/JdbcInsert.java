package org.q4mbridge.compare.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Writes a batch as one multi-row INSERT on a connection kept between batches and dropped after any
 * error. Used only by its writer's thread.
 */
final class JdbcInsert<T> implements BatchWriter.Sink<T> {
  /** Binds one row's values starting at parameter {@code first}. */
  @FunctionalInterface
  interface Binder<T> {
    void bind(PreparedStatement ps, int first, T row) throws SQLException;
  }

  private final Connections db;
  private final String insertPrefix;
  private final String rowPlaceholders;
  private final int parametersPerRow;
  private final Binder<T> binder;
  private Connection connection;

  /**
   * @param placeholders one per column: {@code ?} or an expression such as {@code FROM_UNIXTIME(?)}
   */
  JdbcInsert(
      Connections db, String table, List<String> columns, List<String> placeholders, Binder<T> b) {
    this.db = db;
    this.insertPrefix = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
    this.rowPlaceholders = "(" + String.join(", ", placeholders) + ")";
    this.parametersPerRow = placeholders.size();
    this.binder = b;
  }

  @Override
  public void write(List<T> batch) throws SQLException {
    StringBuilder sql = new StringBuilder(insertPrefix.length() + batch.size() * 40);
    sql.append(insertPrefix);
    for (int i = 0; i < batch.size(); i++) {
      sql.append(i == 0 ? "" : ",").append(rowPlaceholders);
    }
    try {
      Connection c = connection();
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < batch.size(); i++) {
          binder.bind(ps, 1 + i * parametersPerRow, batch.get(i));
        }
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      // The connection may be broken or mid-transaction in some unknown state: never reuse it.
      close();
      throw e;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = db.open();
      try (Statement st = c.createStatement()) {
        st.execute(UTC_SESSION);
        if (!c.getAutoCommit()) {
          c.setAutoCommit(true);
        }
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /**
   * FROM_UNIXTIME and UNIX_TIMESTAMP convert through the session zone; in UTC the conversion is
   * exact (no DST gap or overlap), whatever the server's or the JVM's zone.
   */
  static final String UTC_SESSION = "SET time_zone = '+00:00'";

  /** Unix seconds with millisecond precision, for {@code FROM_UNIXTIME(?)}. */
  static BigDecimal seconds(Instant t) {
    return BigDecimal.valueOf(t.getEpochSecond())
        .add(BigDecimal.valueOf(t.getNano() / 1_000_000, 3));
  }

  /** {@link #seconds} back to an instant. */
  static Instant instant(BigDecimal seconds) {
    long s = seconds.longValue();
    long nanos = seconds.subtract(BigDecimal.valueOf(s)).movePointRight(9).longValue();
    return Instant.ofEpochSecond(s, nanos);
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Dropping a connection that already failed; nothing more to do with it.
      }
      connection = null;
    }
  }
}
