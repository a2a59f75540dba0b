package org.q4mbridge.q4m;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.Map;

/**
 * The dead-letter table ({@code sql/V1__core.sql}): rows that could not be forwarded, with their
 * columns, the reason and the attempt count, so an operator can fix the cause and replay them.
 * Writing happens on the caller's connection, so the emulated backend moves a row to the
 * dead-letter table and deletes it from the queue in one transaction.
 */
public final class DeadLetterTable {
  private final TableRef table;

  public DeadLetterTable(TableRef table) {
    this.table = table;
  }

  public TableRef table() {
    return table;
  }

  /** Inserts {@code letters}; {@code rows} maps each letter's row id to its claimed row. */
  public void insert(Connection c, Collection<DeadLetter> letters, Map<Long, QueueRow> rows)
      throws SQLException {
    if (letters.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO "
            + table.quoted()
            + " (queue_name, epoch, row_id, message_key, columns_json, reason, attempts,"
            + " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    Timestamp now = new Timestamp(System.currentTimeMillis());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (DeadLetter d : letters) {
        QueueRow row = rows.get(d.rowId());
        if (row == null) {
          throw new IllegalArgumentException("row " + d.rowId() + " is not part of this claim");
        }
        ps.setString(1, row.queue().toString());
        ps.setLong(2, row.epoch());
        ps.setLong(3, row.rowId());
        ps.setString(4, row.messageKey());
        ps.setString(5, RowCodec.encode(row));
        ps.setString(6, truncate(d.reason(), 4000));
        ps.setInt(7, d.attempts());
        ps.setTimestamp(8, d.firstSeenMillis() > 0 ? new Timestamp(d.firstSeenMillis()) : now);
        ps.setTimestamp(9, now);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** One stored dead letter, for listing and replay. */
  public record Stored(
      long id,
      String queue,
      String messageKey,
      String reason,
      int attempts,
      java.time.Instant firstSeen,
      java.time.Instant lastSeen,
      java.time.Instant replayedAt,
      String columnsJson) {}

  /**
   * Lists dead letters, newest first.
   *
   * @param queue {@code schema.table}, or null for every queue
   * @param includeReplayed also list rows already replayed
   */
  public java.util.List<Stored> list(Connection c, String queue, boolean includeReplayed, int limit)
      throws SQLException {
    String sql =
        "SELECT id, queue_name, message_key, reason, attempts, first_seen, last_seen, replayed_at,"
            + " columns_json FROM "
            + table.quoted()
            + " WHERE (? IS NULL OR queue_name = ?)"
            + (includeReplayed ? "" : " AND replayed_at IS NULL")
            + " ORDER BY id DESC LIMIT ?";
    java.util.List<Stored> out = new java.util.ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      ps.setInt(3, limit);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp replayed = rs.getTimestamp(8);
          out.add(
              new Stored(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getTimestamp(6).toInstant(),
                  rs.getTimestamp(7).toInstant(),
                  replayed == null ? null : replayed.toInstant(),
                  rs.getString(9)));
        }
      }
    }
    return out;
  }

  /** What a replay did. */
  public record ReplayResult(int replayed, int alreadyReplayed, java.util.List<String> failures) {}

  /**
   * Puts dead letters back into their queue tables, oldest first, and marks them replayed.
   *
   * <p>On an InnoDB (emulated) queue the insert and the mark are one transaction, so running replay
   * again never inserts a row twice. On a native QUEUE table the insert is not transactional: a
   * crash between the insert and the mark would insert that one row again on the next replay.
   *
   * @param c a connection (autocommit is switched off during the call and restored)
   * @param queue {@code schema.table}, or null for every queue
   * @param ids only these dead-letter ids, or empty for all not yet replayed
   */
  public ReplayResult replay(Connection c, String queue, java.util.Collection<Long> ids)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    int done = 0;
    int skipped = 0;
    java.util.List<String> failures = new java.util.ArrayList<>();
    try {
      java.util.List<Stored> pending =
          new java.util.ArrayList<>(list(c, queue, true, Integer.MAX_VALUE));
      c.commit();
      java.util.Collections.reverse(pending);
      for (Stored d : pending) {
        if (!ids.isEmpty() && !ids.contains(d.id())) {
          continue;
        }
        if (d.replayedAt() != null) {
          skipped++;
          continue;
        }
        try {
          TableRef target = TableRef.parse(d.queue(), null);
          java.util.List<RowCodec.Column> cols = RowCodec.decode(d.columnsJson());
          StringBuilder names = new StringBuilder();
          StringBuilder marks = new StringBuilder();
          for (RowCodec.Column col : cols) {
            names.append(names.length() == 0 ? "" : ", ").append(Identifiers.quote(col.name()));
            marks.append(marks.length() == 0 ? "?" : ", ?");
          }
          try (PreparedStatement mark =
              c.prepareStatement(
                  "UPDATE "
                      + table.quoted()
                      + " SET replayed_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND replayed_at IS NULL")) {
            mark.setLong(1, d.id());
            if (mark.executeUpdate() == 0) {
              c.rollback();
              skipped++;
              continue;
            }
          }
          try (PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO " + target.quoted() + " (" + names + ") VALUES (" + marks + ")")) {
            for (int i = 0; i < cols.size(); i++) {
              ins.setObject(i + 1, cols.get(i).value());
            }
            ins.executeUpdate();
          }
          c.commit();
          done++;
        } catch (SQLException | IllegalArgumentException e) {
          c.rollback();
          failures.add("dead letter " + d.id() + " (" + d.messageKey() + "): " + e.getMessage());
        }
      }
      return new ReplayResult(done, skipped, failures);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static String truncate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
