package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keeps epochs in the bridge's {@code q4m_epoch} table ({@code sql/V1__core.sql}). Each call uses a
 * short-lived connection of its own, so it never joins a consumer's claim transaction.
 */
public final class JdbcEpochStore implements EpochTracker.Store {
  private final ConnectionFactory connections;
  private final TableRef table;

  /**
   * @param table the epoch table, e.g. {@code bridge.q4m_epoch}
   */
  public JdbcEpochStore(ConnectionFactory connections, TableRef table) {
    this.connections = connections;
    this.table = table;
  }

  @Override
  public long[] load(TableRef queue) throws SQLException {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT epoch, max_removed_rowid FROM "
                    + table.quoted()
                    + " WHERE queue_name = ?")) {
      ps.setString(1, queue.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
      }
    }
  }

  @Override
  public void save(TableRef queue, long epoch, long maxRemovedRowId) throws SQLException {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + table.quoted()
                    + " (queue_name, epoch, max_removed_rowid) VALUES (?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE"
                    // a newer epoch always wins; within an epoch the high-water mark only grows
                    + " max_removed_rowid = IF(VALUES(epoch) > epoch, VALUES(max_removed_rowid),"
                    + " GREATEST(max_removed_rowid, VALUES(max_removed_rowid))),"
                    + " epoch = GREATEST(epoch, VALUES(epoch))")) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      ps.setString(1, queue.toString());
      ps.setLong(2, epoch);
      ps.setLong(3, maxRemovedRowId);
      ps.executeUpdate();
    }
  }
}
