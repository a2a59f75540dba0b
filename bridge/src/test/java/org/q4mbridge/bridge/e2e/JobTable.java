package org.q4mbridge.bridge.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * A Q4M job table converted to InnoDB (the shape {@code q4m-bridge convert} leaves: an invisible
 * {@code q4m_rowid} key), in a throw-away database that also holds the bridge's own tables.
 * Producers insert jobs the way legacy code does, many rows per statement to keep the tests quick.
 */
final class JobTable {
  /** One job: its type, its payload text, its FIFO group and its routing key. */
  record Job(String type, String payload, String grp, String route) {}

  private final TestDatabase db;
  private final String name;

  JobTable(TestDatabase db, String name) throws SQLException {
    this.db = db;
    this.name = name;
    db.exec(
        "CREATE TABLE "
            + name
            + " (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
            + " grp VARCHAR(32) NOT NULL DEFAULT 'g0', route VARCHAR(200) NOT NULL DEFAULT '',"
            + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
            + " ENGINE=InnoDB");
  }

  /** The queue's name as the bridge reports it in metrics and dead letters. */
  String queueName() {
    return db.name() + "." + name;
  }

  String table() {
    return name;
  }

  /**
   * The usual job: {@code {"n":<n>}} of type email in one of ten groups, routed to {@code route}.
   */
  static IntFunction<Job> numbered(String route) {
    return n -> new Job("email", "{\"n\":" + n + "}", "g" + (n % 10), route);
  }

  /** Inserts jobs {@code from .. from+count-1}, {@code perStatement} rows per INSERT. */
  void insert(int from, int count, int perStatement, IntFunction<Job> job) throws SQLException {
    try (Connection c = db.connect()) {
      for (int start = from; start < from + count; start += perStatement) {
        int rows = Math.min(perStatement, from + count - start);
        StringBuilder sql =
            new StringBuilder("INSERT INTO " + name + " (job_type, payload, grp, route) VALUES ");
        for (int i = 0; i < rows; i++) {
          sql.append(i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          int p = 1;
          for (int i = 0; i < rows; i++) {
            Job j = job.apply(start + i);
            ps.setString(p++, j.type());
            ps.setString(p++, j.payload());
            ps.setString(p++, j.grp());
            ps.setString(p++, j.route());
          }
          ps.executeUpdate();
        }
      }
    }
  }

  /** Rows still in the table (not yet acknowledged or dead-lettered). */
  long remaining() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** A row of {@code q4m_dead_letter}. */
  record DeadLetter(String messageKey, String reason, int attempts, String columnsJson) {}

  /** The dead letters of this queue, oldest first. */
  List<DeadLetter> deadLetters() throws SQLException {
    List<DeadLetter> out = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT message_key, reason, attempts, columns_json FROM q4m_dead_letter"
                    + " WHERE queue_name = ? ORDER BY id")) {
      ps.setString(1, queueName());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new DeadLetter(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
        }
      }
    }
    return out;
  }
}
