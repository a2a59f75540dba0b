package org.q4mbridge.bridge.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongConsumer;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.TableRef;

/**
 * The scratch database ({@code q4m_bench} unless told otherwise): created (dropped first if a
 * crashed run left it) with a job table shaped like a typical Q4M one converted to InnoDB and the
 * bridge's own schema, and dropped at the end. Rows are never re-used between scenarios: the table
 * keeps its AUTO_INCREMENT, so message keys stay unique within a run.
 */
final class BenchDatabase implements AutoCloseable {
  static final String TABLE = "jobs";

  /** Rows per multi-row INSERT when preloading: big enough to amortise the round trip. */
  private static final int ROWS_PER_INSERT = 1000;

  private static final String[] TYPES = {
    "send_email", "resize_image", "charge_card", "push_notification"
  };

  private final BenchSettings settings;
  private final String name;
  private boolean created;

  BenchDatabase(BenchSettings settings) {
    this.settings = settings;
    this.name = settings.database();
  }

  /** The database's name. */
  String name() {
    return name;
  }

  /** The job table. */
  TableRef queue() {
    return new TableRef(name, TABLE);
  }

  /** Its JDBC URL. */
  String url() {
    return settings.jdbc(name);
  }

  /** Drops a leftover {@code q4m_bench}, creates it with the job table and migrates the schema. */
  void create() throws SQLException {
    try (Connection c = server();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
      created = true;
      st.execute(
          "CREATE TABLE "
              + name
              + "."
              + TABLE
              + " (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
              + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
              + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
              + " ENGINE=InnoDB");
    }
    new BridgeSchema(settings.jdbc(name), settings.user(), settings.password(), name).migrate();
  }

  private Connection server() throws SQLException {
    return DriverManager.getConnection(settings.mysqlUrl(), settings.user(), settings.password());
  }

  /** A new connection to {@code q4m_bench} (autocommit). */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(settings.jdbc(name), settings.user(), settings.password());
  }

  /** The server's version string. */
  String version() throws SQLException {
    try (Connection c = server();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT VERSION()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The job type of the {@code n}-th job. */
  static String type(long n) {
    return TYPES[(int) (n % TYPES.length)];
  }

  /** A payload like a real job's: small JSON. */
  static String payload(long n) {
    return "{\"user_id\":"
        + (100_000 + n % 900_000)
        + ",\"template\":\"welcome\",\"locale\":\"en\",\"n\":"
        + n
        + "}";
  }

  /**
   * Inserts {@code rows} jobs with multi-row INSERTs of 1,000 rows, each its own transaction (as a
   * bulk producer would); {@code progress} gets the running count after each statement.
   */
  void preload(long rows, LongConsumer progress) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      long done = 0;
      StringBuilder sql = new StringBuilder(ROWS_PER_INSERT * 100);
      while (done < rows) {
        int n = (int) Math.min(ROWS_PER_INSERT, rows - done);
        sql.setLength(0);
        sql.append("INSERT INTO ").append(TABLE).append(" (job_type, payload) VALUES ");
        for (int i = 0; i < n; i++) {
          long k = done + i;
          // Values are generated here (letters, digits, JSON punctuation): nothing to escape.
          sql.append(i == 0 ? "('" : ",('")
              .append(type(k))
              .append("','")
              .append(payload(k))
              .append("')");
        }
        st.executeUpdate(sql.toString());
        done += n;
        progress.accept(done);
      }
    }
  }

  /** The single-row INSERT producers use (like a PHP producer: one row, autocommit). */
  static PreparedStatement insertOne(Connection c) throws SQLException {
    return c.prepareStatement("INSERT INTO " + TABLE + " (job_type, payload) VALUES (?, ?)");
  }

  /** Rows waiting in the job table. */
  long remaining() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Deletes whatever a scenario left, so the next one starts from an empty table. */
  long clear() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      return st.executeUpdate("DELETE FROM " + TABLE);
    }
  }

  /** Drops {@code q4m_bench}. */
  @Override
  public void close() throws SQLException {
    if (!created) {
      return;
    }
    try (Connection c = server();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name);
      created = false;
    }
  }
}
