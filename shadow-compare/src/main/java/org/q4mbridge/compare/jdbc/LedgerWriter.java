package org.q4mbridge.compare.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.q4mbridge.compare.ForwardedMessage;
import org.q4mbridge.compare.TransportObservation;

/**
 * Writes the bridge's ledger ({@code q4m_ledger}: what it forwarded) and its shadow consumer's
 * observations ({@code q4m_transport_observation}) in batches, so the pump is never slowed down by
 * the comparison.
 *
 * <p><b>Threading and blocking:</b> {@link #forwarded} and {@link #observed} may be called from any
 * thread and never block; each table has its own bounded queue and daemon writer thread (one
 * connection each, dropped after any error). When a queue is full, rows are dropped and counted — a
 * gap in the ledger shows up in the report as unexpected deliveries, never as a stalled pump.
 *
 * <p><b>Close:</b> {@link #close()} stops accepting rows, writes what is queued within {@link
 * WriterOptions#closeTimeout()} per table and closes the connections. Idempotent.
 */
public final class LedgerWriter implements AutoCloseable {
  private final BatchWriter<ForwardedMessage> forwarded;
  private final BatchWriter<TransportObservation> observed;

  private LedgerWriter(Connections db, Tables tables, WriterOptions o) {
    JdbcInsert<ForwardedMessage> f =
        new JdbcInsert<>(
            db,
            tables.ledger(),
            List.of(
                "queue_name",
                "message_key",
                "correlation_key",
                "content_digest",
                "phase",
                "sink",
                "forwarded_at",
                "confirmed_at"),
            List.of("?", "?", "?", "?", "?", "?", "FROM_UNIXTIME(?)", "FROM_UNIXTIME(?)"),
            (ps, i, m) -> {
              ps.setString(i, m.queue());
              ps.setBytes(i + 1, m.messageKey().getBytes(StandardCharsets.UTF_8));
              ps.setBytes(i + 2, m.correlationKey().getBytes(StandardCharsets.UTF_8));
              ps.setString(i + 3, m.contentDigest());
              ps.setString(i + 4, m.phase());
              ps.setString(i + 5, m.sink());
              ps.setBigDecimal(i + 6, JdbcInsert.seconds(m.forwardedAt()));
              ps.setBigDecimal(
                  i + 7, m.confirmedAt() == null ? null : JdbcInsert.seconds(m.confirmedAt()));
            });
    JdbcInsert<TransportObservation> t =
        new JdbcInsert<>(
            db,
            tables.transport(),
            List.of(
                "queue_name",
                "sink",
                "destination",
                "message_key",
                "correlation_key",
                "content_digest",
                "observed_at"),
            List.of("?", "?", "?", "?", "?", "?", "FROM_UNIXTIME(?)"),
            (ps, i, m) -> {
              ps.setString(i, m.queue());
              ps.setString(i + 1, m.sink());
              ps.setString(i + 2, m.destination());
              ps.setBytes(i + 3, m.messageKey().getBytes(StandardCharsets.UTF_8));
              ps.setBytes(i + 4, m.correlationKey().getBytes(StandardCharsets.UTF_8));
              ps.setString(i + 5, m.contentDigest());
              ps.setBigDecimal(i + 6, JdbcInsert.seconds(m.observedAt()));
            });
    this.forwarded = new BatchWriter<>("ledger-writer forwarded", f, o);
    this.observed = new BatchWriter<>("ledger-writer observed", t, o);
  }

  /** Starts both writer threads. */
  public static LedgerWriter start(Connections db, Tables tables, WriterOptions options) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(options, "options");
    return new LedgerWriter(db, tables, options);
  }

  /** Queues a ledger row; false when dropped (queue full or closed). Never blocks. */
  public boolean forwarded(ForwardedMessage m) {
    return forwarded.offer(Objects.requireNonNull(m, "m"));
  }

  /** Queues a transport observation; false when dropped. Never blocks. */
  public boolean observed(TransportObservation o) {
    return observed.offer(Objects.requireNonNull(o, "o"));
  }

  public WriterStats forwardedStats() {
    return forwarded.stats();
  }

  public WriterStats observedStats() {
    return observed.stats();
  }

  /** Writes what is queued in both tables (each bounded by the close timeout) and stops. */
  @Override
  public void close() {
    forwarded.close();
    observed.close();
  }
}
