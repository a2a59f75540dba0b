package org.q4mbridge.compare.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deletes comparison rows older than a cutoff (the {@code compare.retention} setting), per queue
 * and in batches through the tables' time indexes, so a purge never holds many locks at once and
 * never scans a table.
 *
 * <p>Blocking: {@link #purgeBefore} runs until every old row is gone, one short auto-committed
 * DELETE after another, on one connection it closes before returning. Thread-safe, but run one
 * purge at a time (from one scheduled task).
 */
public final class Retention {
  /** Rows deleted per statement. */
  public static final int BATCH = 10_000;

  private final Connections db;
  private final Tables tables;

  public Retention(Connections db, Tables tables) {
    this.db = Objects.requireNonNull(db, "db");
    this.tables = Objects.requireNonNull(tables, "tables");
  }

  /** Deletes ledger, transport and outcome rows older than {@code cutoff}; returns rows deleted. */
  public long purgeBefore(Instant cutoff) throws SQLException {
    long deleted = 0;
    try (Connection c = db.open()) {
      try (Statement st = c.createStatement()) {
        st.execute(JdbcInsert.UTC_SESSION);
      }
      deleted += purge(c, tables.ledger(), "forwarded_at", cutoff);
      deleted += purge(c, tables.transport(), "observed_at", cutoff);
      deleted += purge(c, tables.outcome(), "started_at", cutoff);
    }
    return deleted;
  }

  private static long purge(Connection c, String table, String time, Instant cutoff)
      throws SQLException {
    List<String> queues = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT DISTINCT queue_name FROM " + table)) {
      while (rs.next()) {
        queues.add(rs.getString(1));
      }
    }
    long deleted = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM "
                + table
                + " WHERE queue_name = ? AND "
                + time
                + " < FROM_UNIXTIME(?) LIMIT "
                + BATCH)) {
      for (String q : queues) {
        int n;
        do {
          ps.setString(1, q);
          ps.setBigDecimal(2, JdbcInsert.seconds(cutoff));
          n = ps.executeUpdate();
          deleted += n;
        } while (n == BATCH);
      }
    }
    return deleted;
  }
}
