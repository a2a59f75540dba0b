package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.q4mbridge.q4m.TableRef;

/**
 * One queue table the bridge works on ({@code queues[]}).
 *
 * @param table the queue table, schema resolved (unqualified names take {@code database.schema})
 * @param mode how the table is consumed (required: the bridge does not guess the protocol)
 * @param phase the migration phase (default off: a queue is touched only once a phase is named)
 * @param sinks required sinks: a row is acknowledged only after every one of them confirmed it; at
 *     least one unless the phase is off
 * @param bestEffort sinks published to that never hold the acknowledgement
 * @param destination the live stream / queue / routing key (default: the table name)
 * @param shadowDestination where mirror and shadow publish (default: destination + {@code .shadow};
 *     {@code -shadow} before any {@code .fifo} when an SQS sink is involved, as SQS names allow no
 *     dots)
 * @param consumers parallel consume loops (default 4, or 1 when ordered; 1..256)
 * @param batchSize rows per claim (default {@link #DEFAULT_BATCH_SIZE}; 1..10000)
 * @param maxBatchBytes message-body bytes one claim should bring at most: claims ask for fewer than
 *     batchSize rows when the rows seen so far are large (default {@link #DEFAULT_MAX_BATCH_BYTES};
 *     1KiB..1GiB)
 * @param ordered keep row order end to end: one consumer, publish in row order
 * @param retry retry policy for rejected and unknown verdicts
 * @param maxMessageBytes a per-queue body cap below the sinks' own limits; empty = the sinks'
 *     limits
 * @param condition a Q4M condition ({@code priority>3}) selecting which rows this bridge takes
 * @param rowIdColumn emulated mode only: the row id column, when not the default rule
 * @param queueWaitForm native mode only: how {@code queue_wait} is called (default two-step)
 * @param mapping how a row becomes a message
 * @param force allow the shadow → cutover transition although the gate fails (logged, audited)
 */
public record QueueConfig(
    TableRef table,
    SourceMode mode,
    Phase phase,
    List<String> sinks,
    List<String> bestEffort,
    String destination,
    String shadowDestination,
    int consumers,
    int batchSize,
    long maxBatchBytes,
    boolean ordered,
    Retry retry,
    OptionalLong maxMessageBytes,
    Optional<String> condition,
    Optional<String> rowIdColumn,
    QueueWaitForm queueWaitForm,
    MappingConfig mapping,
    boolean force) {

  /**
   * Rows per claim when {@code batchSize} is not set. 1000 rather than 200: every claim pays a
   * transaction, a commit and a publish round trip whatever its size, and on a 2-core machine
   * sharing MariaDB and the broker the pump forwarded markedly more with batches of 1000
   * (docs/bench, README "Tuning guide"), for an in-flight window of {@code consumers × 1000} rows
   * at most — fewer when rows are large, see {@link #DEFAULT_MAX_BATCH_BYTES}.
   */
  public static final int DEFAULT_BATCH_SIZE = 1000;

  /**
   * Message-body bytes per claim when {@code maxBatchBytes} is not set: with the default 4
   * consumers, 16 MiB of bodies in flight at most, which the service's {@code -Xmx256m} holds with
   * room to spare; rows under 4 KiB get the full {@link #DEFAULT_BATCH_SIZE}.
   */
  public static final long DEFAULT_MAX_BATCH_BYTES = 4L << 20;

  public QueueConfig {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(phase, "phase");
    sinks = List.copyOf(sinks);
    bestEffort = List.copyOf(bestEffort);
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(shadowDestination, "shadowDestination");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(maxMessageBytes, "maxMessageBytes");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(rowIdColumn, "rowIdColumn");
    Objects.requireNonNull(queueWaitForm, "queueWaitForm");
    Objects.requireNonNull(mapping, "mapping");
  }

  /**
   * Where this phase publishes: the shadow destination in mirror and shadow, the live one in
   * cutover, nowhere when off.
   */
  public Optional<String> publishDestination() {
    return switch (phase) {
      case OFF -> Optional.empty();
      case MIRROR, SHADOW -> Optional.of(shadowDestination);
      case CUTOVER -> Optional.of(destination);
    };
  }

  /** Required sinks followed by best-effort ones: every sink this queue publishes to. */
  public List<String> allSinks() {
    return java.util.stream.Stream.concat(sinks.stream(), bestEffort.stream()).toList();
  }

  /**
   * Retries ({@code retry: {maxAttempts, backoff: 200ms..30s}}): exponential backoff with jitter
   * between {@code minBackoff} and {@code maxBackoff}, dead-lettered after {@code maxAttempts}.
   *
   * @param maxAttempts publish attempts per row before it is dead-lettered (default 5; 1..1000)
   * @param minBackoff first pause (default 200ms)
   * @param maxBackoff longest pause (default 30s)
   */
  public record Retry(int maxAttempts, Duration minBackoff, Duration maxBackoff) {
    public Retry {
      Objects.requireNonNull(minBackoff, "minBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
    }
  }
}
