package org.q4mbridge.q4m;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A row taken from a queue: where it came from, its identity and its columns in table order.
 *
 * <p>The identity {@code (queue, epoch, rowId)} is stable across redeliveries of the same row,
 * which makes {@link #messageKey()} a safe idempotency key.
 *
 * @param queue the queue table
 * @param rowId Q4M's {@code queue_rowid()} (native) or the surrogate key (emulated)
 * @param epoch bumped whenever row ids of this queue start again (TRUNCATE, re-created table)
 * @param columns column metadata in table order (without the emulation's row id column)
 * @param values column values, same order and size as {@code columns}; may hold {@code null}s
 */
public record QueueRow(
    TableRef queue, long rowId, long epoch, List<QueueColumn> columns, List<Object> values) {

  public QueueRow {
    Objects.requireNonNull(queue, "queue");
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          "columns and values differ in size: " + columns.size() + " vs " + values.size());
    }
    columns = List.copyOf(columns);
    values = Collections.unmodifiableList(new java.util.ArrayList<>(values));
  }

  /** {@code <schema>.<table>:<epoch>:<rowid>} — the message key (idempotency key). */
  public String messageKey() {
    return queue.schema() + '.' + queue.table() + ':' + epoch + ':' + rowId;
  }

  /** Index of the column named {@code name} (case-insensitive), or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The value of the column named {@code name}. */
  public Object value(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("queue " + queue + " has no column '" + name + "'");
    }
    return values.get(i);
  }
}
