package org.q4mbridge.bridge.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * A Q4M job table as most shops have it, converted to InnoDB (an INVISIBLE {@code q4m_rowid}), in a
 * throw-away database whose bridge schema was migrated the way {@code q4m-bridge migrate} does it
 * (Flyway, so {@code run} finds it current). Jobs carry a unique number in their payload, {@code
 * {"n":<number>,…}}, so tests can account for every one of them.
 *
 * <p>Thread-safe: every method uses a connection of its own.
 */
public final class JobQueue implements AutoCloseable {
  /** The queue table's name inside the database. */
  public static final String TABLE = "job_queue";

  private static final Pattern NUMBER = Pattern.compile("\"n\":(\\d+)");

  private final TestDatabase db;

  private JobQueue(TestDatabase db) {
    this.db = db;
  }

  /**
   * Creates database {@code it_<prefix>_<random>}, migrates the bridge schema, creates the table.
   */
  public static JobQueue create(String prefix) throws Exception {
    TestDatabase db = TestDatabase.create(prefix);
    try {
      new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
      db.exec(
          "CREATE TABLE "
              + TABLE
              + " (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
              + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
              + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
              + " ENGINE=InnoDB");
      return new JobQueue(db);
    } catch (Exception | Error e) {
      db.close();
      throw e;
    }
  }

  /** The number a payload carries, or -1 when it carries none. */
  public static long numberOf(String payload) {
    if (payload == null) {
      return -1;
    }
    Matcher m = NUMBER.matcher(payload);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The payload of job {@code n}. */
  public static String payload(long n, int producer) {
    return "{\"n\":" + n + ",\"producer\":" + producer + ",\"user_id\":" + (1000 + n % 977) + "}";
  }

  public TestDatabase database() {
    return db;
  }

  /** {@code <database>.job_queue}: the queue's name in metrics, logs and dead letters. */
  public String queueName() {
    return db.name() + "." + TABLE;
  }

  /**
   * Inserts jobs {@code from … from+count-1} quickly (multi-row INSERTs of 1,000), for scenarios
   * that start from a backlog rather than from producers.
   */
  public void insertBacklog(long from, long count) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (long start = from; start < from + count; start += 1_000) {
        StringBuilder sql =
            new StringBuilder("INSERT INTO " + TABLE + " (job_type, payload) VALUES ");
        long end = Math.min(from + count, start + 1_000);
        for (long n = start; n < end; n++) {
          sql.append(n == start ? "" : ", ").append("('send_email', '").append(payload(n, 0));
          sql.append("')");
        }
        st.executeUpdate(sql.toString());
      }
    }
  }

  /** Rows in the queue table (claimed or not). */
  public long count() throws SQLException {
    return scalar("SELECT COUNT(*) FROM " + TABLE);
  }

  /**
   * How many rows a fresh consumer could claim right now: {@code SELECT … FOR UPDATE SKIP LOCKED}
   * in a READ COMMITTED transaction, rolled back. Equal to {@link #count()} when nobody holds a
   * row.
   */
  public long claimableNow() throws SQLException {
    try (Connection c = db.connect()) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      c.setAutoCommit(false);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT q4m_rowid FROM "
                      + TABLE
                      + " ORDER BY q4m_rowid FOR UPDATE SKIP LOCKED")) {
        long n = 0;
        while (rs.next()) {
          n++;
        }
        return n;
      } finally {
        c.rollback();
      }
    }
  }

  /**
   * How many rows some consumer holds right now (claimed, not yet settled): the committed rows a
   * fresh consumer's {@code SELECT … FOR UPDATE SKIP LOCKED} skips. Exact while no row is deleted
   * during the probe (rows acknowledged meanwhile count as held); rows inserted meanwhile are left
   * out.
   */
  public long heldNow() throws SQLException {
    try (Connection c = db.connect()) {
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        long maxId;
        long rows;
        try (ResultSet rs =
            st.executeQuery("SELECT COALESCE(MAX(q4m_rowid), 0), COUNT(*) FROM " + TABLE)) {
          rs.next();
          maxId = rs.getLong(1);
          rows = rs.getLong(2);
        }
        long free = 0;
        try (ResultSet rs =
            st.executeQuery(
                "SELECT q4m_rowid FROM "
                    + TABLE
                    + " WHERE q4m_rowid <= "
                    + maxId
                    + " FOR UPDATE SKIP LOCKED")) {
          while (rs.next()) {
            free++;
          }
        }
        // A producer's row with a lower id may commit between the two reads: never below zero.
        return Math.max(0, rows - free);
      } finally {
        c.rollback();
      }
    }
  }

  /** The job numbers still in the table. */
  public Set<Long> remainingNumbers() throws SQLException {
    Set<Long> out = new HashSet<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT payload FROM " + TABLE)) {
      while (rs.next()) {
        out.add(numberOf(rs.getString(1)));
      }
    }
    return out;
  }

  /** One row of {@code q4m_dead_letter}. */
  public record DeadLetterRow(
      long id, String queue, String messageKey, String reason, int attempts, boolean replayed) {}

  /** Every dead letter, oldest first. */
  public List<DeadLetterRow> deadLetters() throws SQLException {
    List<DeadLetterRow> out = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, queue_name, message_key, reason, attempts, replayed_at IS NOT NULL"
                    + " FROM q4m_dead_letter ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new DeadLetterRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getBoolean(6)));
      }
    }
    return out;
  }

  /** Dead letters in {@code q4m_dead_letter}. */
  public long deadLetterCount() throws SQLException {
    return scalar("SELECT COUNT(*) FROM q4m_dead_letter");
  }

  private long scalar(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Drops the database. */
  @Override
  public void close() throws SQLException {
    db.close();
  }
}
