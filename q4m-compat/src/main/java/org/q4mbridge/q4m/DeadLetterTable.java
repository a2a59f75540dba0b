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

  private static String truncate(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
