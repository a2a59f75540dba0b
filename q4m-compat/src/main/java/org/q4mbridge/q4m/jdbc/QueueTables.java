package org.q4mbridge.q4m.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedTable;

/**
 * Which tables are queue tables, as one shim connection has seen them: an InnoDB table is a queue
 * table when it has the row id column ({@code q4m_rowid} unless the URL names another). Answers are
 * cached, both ways; {@link #forget()} drops them (the shim calls it after DDL through the same
 * connection), and {@code queue_wait} re-reads a table the cache says is not a queue, so a queue
 * created by another connection is found.
 *
 * <p>Not thread-safe: used by one shim connection.
 */
final class QueueTables {
  private final String rowIdColumn;
  private final Map<String, Optional<EmulatedTable>> known = new HashMap<>();

  QueueTables(String rowIdColumn) {
    this.rowIdColumn = rowIdColumn;
  }

  /**
   * The queue table {@code ref}, from the cache when known.
   *
   * @return empty when the table does not exist or has no row id column
   * @throws SQLException when INFORMATION_SCHEMA cannot be read (connection lost …)
   */
  Optional<EmulatedTable> lookup(Connection c, TableRef ref) throws SQLException {
    Optional<EmulatedTable> hit = known.get(ref.key());
    if (hit != null) {
      return hit;
    }
    return load(c, ref);
  }

  /** Reads {@code ref}'s definition again, ignoring the cache. */
  Optional<EmulatedTable> load(Connection c, TableRef ref) throws SQLException {
    Optional<EmulatedTable> found;
    try {
      found = Optional.of(EmulatedTable.load(c, ref, rowIdColumn));
    } catch (QueueSourceException e) {
      switch (e.kind()) {
        case UNKNOWN_TABLE, INVALID -> found = Optional.empty();
        default -> {
          if (e.getCause() instanceof SQLException s) {
            throw s;
          }
          throw new SQLException(e.getMessage(), "HY000", e);
        }
      }
    }
    known.put(ref.key(), found);
    return found;
  }

  /** Forgets every answer (after DDL). */
  void forget() {
    known.clear();
  }
}
