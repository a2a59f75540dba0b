package org.q4mbridge.q4m.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;

/**
 * Q4M's exactly-once relay dedup ({@code queue_set_srcid}, Q4M-SEMANTICS.md §3.4) for queues
 * emulated on InnoDB. Each destination table has 64 independent slots; a slot's watermark is the
 * highest source row id relayed through it. Watermarks live in {@value #WATERMARK_TABLE} in the
 * destination table's database ({@code sql/templates/relay-watermark.sql}), one row per table and
 * slot.
 *
 * <p>{@link #insertOnce} locks the watermark row, decides, runs the insert and moves the watermark
 * in the caller's transaction, so the insert and the watermark commit or roll back together — a
 * crash between them cannot store a row without its watermark (stricter than Q4M, which writes both
 * in one file append). Concurrent relays through the same table and slot are serialised by that row
 * lock until the caller's transaction ends.
 *
 * <p>Stateless; the methods may be called from any thread, each with its own connection.
 */
public final class RelayDedup {
  /** The side table holding the watermarks. */
  public static final String WATERMARK_TABLE = "q4m_relay_watermark";

  /** Slots per destination table: 0 to 63, as in Q4M. */
  public static final int SLOTS = 64;

  /** The insert to run when the relayed row is new. */
  @FunctionalInterface
  public interface Insert {
    /**
     * Inserts the relayed row(s) on {@code c}, inside the transaction {@link #insertOnce} runs in.
     * Must not commit or roll back.
     */
    void run(Connection c) throws SQLException;
  }

  private RelayDedup() {}

  /**
   * Inserts a relayed row unless slot {@code slot} of {@code dest} has already seen {@code rowId}.
   *
   * <ul>
   *   <li>{@code 'a'} (append): when {@code rowId} ≤ the slot's watermark the insert is dropped and
   *       this returns false; otherwise the insert runs and the watermark becomes {@code rowId}.
   *   <li>{@code 'w'} (write/reset): the insert always runs and the watermark becomes {@code
   *       rowId}, even when lower — for a source whose row ids restarted (re-created or truncated).
   * </ul>
   *
   * <p>Transaction: {@code c} must have auto-commit off; the caller commits (or rolls back)
   * afterwards, and until then holds the lock on the slot's watermark row, so keep the transaction
   * short. Use READ COMMITTED or REPEATABLE READ; the watermark is read with a locking read, so the
   * isolation level does not change the decision. When the watermark table does not exist it is
   * created first ({@link #ensureWatermarkTable}); that is DDL, which makes the server commit
   * whatever {@code c}'s transaction already holds — create it up front when that matters.
   *
   * <p>Blocks while another transaction holds the same slot's watermark row, up to the server's
   * {@code innodb_lock_wait_timeout}.
   *
   * @param c the destination's connection, auto-commit off
   * @param dest the destination queue table
   * @param slot the source slot, 0 to 63
   * @param mode {@code 'a'} or {@code 'w'}
   * @param rowId the source row id
   * @param insert runs the actual insert on {@code c}
   * @return true when the insert ran, false when it was dropped as a duplicate
   * @throws IllegalArgumentException for a slot outside 0..63 or a mode other than a/w
   * @throws SQLException from the server or the insert; with a message naming the missing grant
   *     when the watermark table cannot be created or written
   */
  public static boolean insertOnce(
      Connection c, TableRef dest, int slot, char mode, long rowId, Insert insert)
      throws SQLException {
    if (slot < 0 || slot >= SLOTS) {
      throw new IllegalArgumentException("relay slot must be 0.." + (SLOTS - 1) + ", got " + slot);
    }
    if (mode != 'a' && mode != 'w') {
      throw new IllegalArgumentException("relay mode must be 'a' or 'w', got '" + mode + "'");
    }
    if (c.getAutoCommit()) {
      throw new SQLException(
          "RelayDedup.insertOnce needs a transaction: turn auto-commit off on the connection",
          "25000");
    }
    long last;
    try {
      last = lockWatermark(c, dest, slot);
    } catch (SQLException e) {
      if (!SqlErrors.unknownTable(e)) {
        throw privilegeHint(e, c, dest.schema(), "SELECT, INSERT, UPDATE");
      }
      ensureWatermarkTable(c, dest.schema());
      last = lockWatermark(c, dest, slot);
    }
    if (mode == 'a' && rowId <= last) {
      return false;
    }
    insert.run(c);
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + watermarkTable(dest.schema())
                + " SET last_rowid = ? WHERE table_name = ? AND slot = ?")) {
      ps.setLong(1, rowId);
      ps.setString(2, dest.table());
      ps.setInt(3, slot);
      ps.executeUpdate();
    }
    return true;
  }

  /**
   * Creates, locks (until the caller's transaction ends) and reads the slot's watermark row.
   * Insert-or-lock with one statement: two transactions creating the same row queue on its lock
   * instead of deadlocking, as a read-then-insert would under REPEATABLE READ.
   */
  private static long lockWatermark(Connection c, TableRef dest, int slot) throws SQLException {
    String table = watermarkTable(dest.schema());
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (table_name, slot, last_rowid) VALUES (?, ?, 0)"
                + " ON DUPLICATE KEY UPDATE last_rowid = last_rowid")) {
      ps.setString(1, dest.table());
      ps.setInt(2, slot);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT last_rowid FROM " + table + " WHERE table_name = ? AND slot = ? FOR UPDATE")) {
      ps.setString(1, dest.table());
      ps.setInt(2, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /**
   * The slot's watermark, without locking.
   *
   * @return empty when the slot never relayed anything or the table does not exist
   */
  public static OptionalLong watermark(Connection c, TableRef dest, int slot) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT last_rowid FROM "
                + watermarkTable(dest.schema())
                + " WHERE table_name = ? AND slot = ?")) {
      ps.setString(1, dest.table());
      ps.setInt(2, slot);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      if (SqlErrors.unknownTable(e)) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  /**
   * Creates {@value #WATERMARK_TABLE} in {@code schema} when missing (the DDL of {@code
   * sql/templates/relay-watermark.sql}). DDL commits any open transaction on {@code c}.
   *
   * @throws SQLException naming the GRANT needed when the account may not create it
   */
  public static void ensureWatermarkTable(Connection c, String schema) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + watermarkTable(schema)
              + " (table_name VARCHAR(64) NOT NULL,"
              + " slot TINYINT UNSIGNED NOT NULL,"
              + " last_rowid BIGINT NOT NULL,"
              + " updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
              + " ON UPDATE CURRENT_TIMESTAMP(3),"
              + " PRIMARY KEY (table_name, slot)"
              + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    } catch (SQLException e) {
      throw privilegeHint(e, c, schema, "CREATE");
    }
  }

  private static String watermarkTable(String schema) {
    return Identifiers.quote(schema) + '.' + Identifiers.quote(WATERMARK_TABLE);
  }

  /**
   * Re-throws an access-denied error with the statements that fix it; other errors unchanged. The
   * server checks privileges before existence, so the message names both ways out.
   */
  private static SQLException privilegeHint(
      SQLException e, Connection c, String schema, String privileges) {
    if (!SqlErrors.privilege(e)) {
      return e;
    }
    String account = currentAccount(c);
    String table = watermarkTable(schema);
    String message =
        "relay dedup needs the table "
            + table
            + " and this account may not "
            + (privileges.equals("CREATE") ? "create it" : "use it")
            + " ("
            + e.getMessage()
            + "). Have an administrator run sql/templates/relay-watermark.sql in "
            + Identifiers.quote(schema)
            + " or GRANT CREATE ON "
            + Identifiers.quote(schema)
            + ".* TO "
            + account
            + " (then it is created on first use); relaying also needs GRANT SELECT, INSERT,"
            + " UPDATE ON "
            + table
            + " TO "
            + account;
    return new SQLException(message, e.getSQLState(), e.getErrorCode(), e);
  }

  /** {@code 'user'@'host'} of the session, or a placeholder when it cannot be read. */
  private static String currentAccount(Connection c) {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CURRENT_USER()")) {
      if (rs.next()) {
        String v = rs.getString(1);
        int at = v.lastIndexOf('@');
        if (at > 0) {
          return "'" + v.substring(0, at) + "'@'" + v.substring(at + 1) + "'";
        }
      }
    } catch (SQLException ignored) {
      // fall through to the placeholder: the hint is still useful without the account name
    }
    return "<account>";
  }
}
