package org.q4mbridge.compare.jdbc;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.q4mbridge.compare.CorrelationKeys;
import org.q4mbridge.compare.Side;

/**
 * Records what a worker did with each job into {@code q4m_outcome}, for new (Java) workers. Legacy
 * workers write the same rows with the INSERT documented in the module README.
 *
 * <p><b>Threading and blocking:</b> {@link #record} may be called from any number of threads and
 * never blocks: it validates its arguments, puts the row in a bounded in-memory queue and returns.
 * One daemon thread per recorder writes batches of up to {@link WriterOptions#maxBatch()} rows as
 * one multi-row INSERT. When the queue is full (the database is slow or down) rows are dropped and
 * counted in {@link #stats()}; a worker is never slowed down by the comparison. A batch that fails
 * is retried with backoff, then given up and counted as failed. The recorder keeps one connection
 * from {@link Connections} and drops it after any error.
 *
 * <p><b>Close:</b> {@link #close()} stops accepting rows (later calls return false and count as
 * dropped), writes what is queued within {@link WriterOptions#closeTimeout()}, counts the rest as
 * failed and closes the connection. Idempotent.
 */
public final class OutcomeRecorder implements AutoCloseable {
  /** Results larger than this are stored as a digest only, to bound the queue's memory. */
  public static final int MAX_RESULT_JSON_BYTES = 256 * 1024;

  private record Row(
      String key,
      Side side,
      String outcome,
      String digest,
      String json,
      Instant startedAt,
      Instant finishedAt) {}

  private final String queue;
  private final String worker;
  private final BatchWriter<Row> writer;

  private OutcomeRecorder(
      Connections db, Tables tables, String queue, String worker, WriterOptions o) {
    this.queue = queue;
    this.worker = worker;
    JdbcInsert<Row> insert =
        new JdbcInsert<>(
            db,
            tables.outcome(),
            List.of(
                "queue_name",
                "correlation_key",
                "side",
                "outcome",
                "result_digest",
                "result_json",
                "started_at",
                "finished_at",
                "worker"),
            List.of("?", "?", "?", "?", "?", "?", "FROM_UNIXTIME(?)", "FROM_UNIXTIME(?)", "?"),
            (ps, i, r) -> {
              ps.setString(i, queue);
              ps.setBytes(i + 1, r.key().getBytes(StandardCharsets.UTF_8));
              ps.setString(i + 2, r.side().sql());
              ps.setString(i + 3, r.outcome());
              ps.setString(i + 4, r.digest());
              ps.setString(i + 5, r.json());
              ps.setBigDecimal(i + 6, JdbcInsert.seconds(r.startedAt()));
              ps.setBigDecimal(i + 7, JdbcInsert.seconds(r.finishedAt()));
              ps.setString(i + 8, worker);
            });
    this.writer = new BatchWriter<>("outcome-recorder " + queue, insert, o);
  }

  /**
   * Starts a recorder (and its writer thread) for one queue.
   *
   * @param queue {@code schema.table} of the queue, as the bridge names it
   * @param worker who records, e.g. {@code host:pid}; may be null
   */
  public static OutcomeRecorder start(
      Connections db, Tables tables, String queue, String worker, WriterOptions options) {
    Objects.requireNonNull(db, "db");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(options, "options");
    if (worker != null && worker.length() > 100) {
      throw new IllegalArgumentException("worker name longer than 100 characters");
    }
    return new OutcomeRecorder(db, tables, queue, worker, options);
  }

  /**
   * Queues one execution of a job. Never blocks.
   *
   * @param correlationKey the job's {@link CorrelationKeys correlation key}
   * @param side which side this worker is
   * @param outcome worker-defined verdict, at most 64 characters ({@code ok}, {@code failed}...)
   * @param resultJson what the job produced, as JSON; null when nothing. The digest stored beside
   *     it is the SHA-256 of this text.
   * @return true when queued; false when dropped (queue full or recorder closed)
   * @throws IllegalArgumentException on a missing or oversized argument (a programming error)
   */
  public boolean record(
      String correlationKey,
      Side side,
      String outcome,
      String resultJson,
      Instant startedAt,
      Instant finishedAt) {
    Objects.requireNonNull(correlationKey, "correlationKey");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    if (correlationKey.isEmpty()
        || correlationKey.getBytes(StandardCharsets.UTF_8).length > CorrelationKeys.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "correlation key must be 1-" + CorrelationKeys.MAX_KEY_BYTES + " bytes");
    }
    if (outcome.isEmpty() || outcome.length() > 64) {
      throw new IllegalArgumentException("outcome must be 1-64 characters: '" + outcome + "'");
    }
    String digest = resultJson == null ? null : CorrelationKeys.sha256Hex(resultJson);
    String json =
        resultJson != null
                && resultJson.getBytes(StandardCharsets.UTF_8).length > MAX_RESULT_JSON_BYTES
            ? null
            : resultJson;
    return writer.offer(
        new Row(correlationKey, side, outcome, digest, json, startedAt, finishedAt));
  }

  /** The queue this recorder writes for. */
  public String queue() {
    return queue;
  }

  public String worker() {
    return worker;
  }

  /** Rows accepted, written, dropped and failed so far. Cheap; any thread. */
  public WriterStats stats() {
    return writer.stats();
  }

  /** Writes what is queued (bounded by the close timeout) and stops. Idempotent. */
  @Override
  public void close() {
    writer.close();
  }
}
