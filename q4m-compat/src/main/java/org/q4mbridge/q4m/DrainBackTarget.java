package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Re-inserts drained messages into their legacy queue table exactly once per message key: the key
 * goes into the bridge's {@code q4m_drained} ledger and the row into the table in one transaction.
 * On an InnoDB (emulated) queue both commit together, so repeating or interrupting a drain-back
 * never inserts a job twice. On a native QUEUE table the insert is not transactional: a crash
 * between the insert and the commit can insert that one job again on the next run (never lose it).
 */
public final class DrainBackTarget {
  private final TableRef table;
  private final TableRef ledger;

  /**
   * @param table the legacy queue table
   * @param ledger the bridge's {@code q4m_drained} table
   */
  public DrainBackTarget(TableRef table, TableRef ledger) {
    this.table = table;
    this.ledger = ledger;
  }

  /**
   * Inserts {@code columns} (name → value, names validated) unless {@code key} was drained before.
   *
   * @return true when inserted, false when the key was already drained
   */
  public boolean insertOnce(Connection c, String key, Map<String, Object> columns)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT IGNORE INTO "
                  + ledger.quoted()
                  + " (message_key, queue_name) VALUES (?, ?)")) {
        ps.setString(1, key);
        ps.setString(2, table.toString());
        if (ps.executeUpdate() == 0) {
          c.rollback();
          return false;
        }
      }
      StringBuilder names = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (String name : columns.keySet()) {
        names.append(names.length() == 0 ? "" : ", ").append(Identifiers.quote(name));
        marks.append(marks.length() == 0 ? "?" : ", ?");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO " + table.quoted() + " (" + names + ") VALUES (" + marks + ")")) {
        int i = 1;
        for (Object v : columns.values()) {
          ps.setObject(i++, v);
        }
        ps.executeUpdate();
      }
      c.commit();
      return true;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
