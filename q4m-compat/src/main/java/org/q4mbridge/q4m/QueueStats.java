package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.q4mbridge.q4m.cond.Condition;
import org.q4mbridge.q4m.cond.ConditionException;

/**
 * Monitoring SQL for one queue subscription: how many rows are in the table (the backlog) and how
 * old the oldest of them is, for metrics and readiness. Works on QUEUE tables and on their InnoDB
 * emulation alike.
 *
 * <p>Use a connection of its own that never calls {@code queue_wait}: on Q4M a connection in owner
 * mode sees every QUEUE table as empty (Q4M-SEMANTICS.md §8 pitfall 8). On such a connection {@code
 * COUNT(*)} without a condition is Q4M's fast count, which includes rows other connections own —
 * the backlog therefore counts waiting <em>and</em> in-flight rows, and so does InnoDB's count of
 * the emulated table, so both backends report the same thing. With a condition only matching rows
 * are counted (a scan, which on Q4M skips owned rows). Neither statement takes locks.
 *
 * <p>Not thread-safe; one instance per subscription, prepared once and sampled periodically.
 */
public final class QueueStats {
  private static final Set<String> INTEGER_TYPES =
      Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint");
  private static final Set<String> TIMESTAMP_TYPES = Set.of("datetime", "timestamp");

  /**
   * One measurement.
   *
   * @param rows rows in the table (matching the condition), waiting or in flight
   * @param oldestAgeSeconds age of the oldest of them by the creation column (0 for an empty
   *     table), or empty when the table has no such column
   */
  public record Sample(long rows, OptionalLong oldestAgeSeconds) {}

  private final Subscription subscription;
  private final String countSql;
  private final String oldestSql;

  private QueueStats(Subscription subscription, String countSql, String oldestSql) {
    this.subscription = subscription;
    this.countSql = countSql;
    this.oldestSql = oldestSql;
  }

  /**
   * Reads the table's columns and builds the statements.
   *
   * @param createdAtColumn the creation timestamp column; ignored (no age measured) when null or
   *     when the table has no DATETIME/TIMESTAMP column of that name
   * @throws SQLException when the table does not exist or its condition names no integer column
   */
  public static QueueStats prepare(Connection c, Subscription s, String createdAtColumn)
      throws SQLException {
    Map<String, String[]> columns = columns(c, s.table());
    if (columns.isEmpty()) {
      throw new SQLException("table " + s.table() + " does not exist", "42S02");
    }
    String where = "";
    if (s.condition() != null) {
      try {
        where =
            " WHERE "
                + Condition.parse(s.condition()).toSql(name -> integerColumn(columns, s, name));
      } catch (ConditionException e) {
        throw new SQLException("queue " + s.table() + ": " + e.getMessage(), "42000", e);
      }
    }
    String count = "SELECT COUNT(*) FROM " + s.table().quoted() + where;
    String oldest = null;
    if (createdAtColumn != null) {
      String[] col = columns.get(createdAtColumn.toLowerCase(Locale.ROOT));
      if (col != null && TIMESTAMP_TYPES.contains(col[1])) {
        // MIN() over the table rather than "the first row": emulated tables need not be indexed
        // on the timestamp, and Q4M has no indexes at all. NOW() and the column are both read in
        // the session time zone, so producers writing CURRENT_TIMESTAMP give true ages.
        oldest =
            "SELECT GREATEST(0, TIMESTAMPDIFF(SECOND, MIN("
                + Identifiers.quote(col[0])
                + "), NOW())) FROM "
                + s.table().quoted()
                + where;
      }
    }
    return new QueueStats(s, count, oldest);
  }

  /** The subscription measured. */
  public Subscription subscription() {
    return subscription;
  }

  /** Whether {@link Sample#oldestAgeSeconds()} will be measured. */
  public boolean measuresAge() {
    return oldestSql != null;
  }

  /** Runs the statements; each is one round trip and takes no locks. */
  public Sample sample(Connection c) throws SQLException {
    long rows;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(countSql)) {
      rs.next();
      rows = rs.getLong(1);
    }
    if (oldestSql == null) {
      return new Sample(rows, OptionalLong.empty());
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(oldestSql)) {
      rs.next();
      long age = rs.getLong(1);
      return new Sample(rows, OptionalLong.of(rs.wasNull() ? 0 : age));
    }
  }

  /** Lower-case name → {actual name, data type}. */
  private static Map<String, String[]> columns(Connection c, TableRef t) throws SQLException {
    Map<String, String[]> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, t.schema());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getString(1).toLowerCase(Locale.ROOT),
              new String[] {
                rs.getString(1),
                rs.getString(2).toLowerCase(Locale.ROOT),
                rs.getString(3).toLowerCase(Locale.ROOT)
              });
        }
      }
    }
    return out;
  }

  /** As the queue sources do: integer columns only, BIGINT UNSIGNED read as signed like Q4M. */
  private static String integerColumn(Map<String, String[]> columns, Subscription s, String name)
      throws ConditionException {
    String[] col = columns.get(name);
    if (col == null) {
      throw new ConditionException(-1, "table " + s.table() + " has no column '" + name + "'");
    }
    if (!INTEGER_TYPES.contains(col[1])) {
      throw new ConditionException(
          -1, "column '" + col[0] + "' is " + col[2] + ": Q4M conditions use integer columns");
    }
    String q = Identifiers.quote(col[0]);
    return col[1].equals("bigint") && col[2].contains("unsigned") ? "CAST(" + q + " AS SIGNED)" : q;
  }
}
