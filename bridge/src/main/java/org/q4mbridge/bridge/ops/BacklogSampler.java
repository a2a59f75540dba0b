package org.q4mbridge.bridge.ops;

import com.codahale.metrics.MetricRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.QueueStats;
import org.q4mbridge.q4m.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each consumed queue's backlog and the age of its oldest row every few seconds, on a
 * thread and a database connection of its own — never on a consumer's path, so a slow {@code
 * COUNT(*)} delays a gauge, not a job. A queue that reads a tap (mirror, shadow) is measured on the
 * tap.
 *
 * <p>Threading: one daemon thread; {@link #backlog(String)} may be read from any thread. {@link
 * #close()} stops the thread and closes the connection, waiting at most a few seconds.
 */
public final class BacklogSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BacklogSampler.class);

  /**
   * The last measurement of a queue.
   *
   * @param rows rows in the table(s), or null when they could not be counted
   * @param oldestAgeSeconds age of the oldest row, or null when unknown or not measurable
   * @param at when it was measured (or failed)
   * @param error why the last measurement failed, or null
   */
  public record Backlog(Long rows, Long oldestAgeSeconds, Instant at, String error) {}

  private record Prepared(QueuePlan plan, List<QueueStats> stats) {}

  private final ConnectionFactory connections;
  private final Supplier<List<QueuePlan>> plans;
  private final MetricRegistry registry;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, Backlog> latest = new ConcurrentHashMap<>();
  private final Map<String, Prepared> prepared = new HashMap<>();
  private final ScheduledExecutorService thread;
  private Connection connection;

  public BacklogSampler(
      ConnectionFactory connections,
      Supplier<List<QueuePlan>> plans,
      MetricRegistry registry,
      Duration interval,
      Clock clock) {
    this.connections = connections;
    this.plans = plans;
    this.registry = registry;
    this.interval = interval;
    this.clock = clock;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "queue-stats");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts sampling now and every interval after. */
  public void start() {
    thread.scheduleWithFixedDelay(
        this::sampleAllSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last measurement of {@code queue}, or null before the first. */
  public Backlog backlog(String queue) {
    return latest.get(queue);
  }

  private void sampleAllSafely() {
    try {
      sampleAll();
    } catch (RuntimeException e) {
      LOG.warn("backlog sampling failed: {}", e.toString());
    }
  }

  /** One round over every consumed queue. Runs on the sampler thread only. */
  void sampleAll() {
    List<QueuePlan> current = plans.get();
    prepared.keySet().removeIf(q -> current.stream().noneMatch(p -> p.name().equals(q)));
    latest.keySet().removeIf(q -> current.stream().noneMatch(p -> p.name().equals(q)));
    for (QueuePlan p : current) {
      if (p.idle()) {
        latest.remove(p.name());
        continue;
      }
      try {
        latest.put(p.name(), sample(p));
      } catch (SQLException e) {
        registry.meter(MetricNames.statsFailed(p.name())).mark();
        prepared.remove(p.name());
        Backlog before = latest.get(p.name());
        if (before == null || !Objects.equals(before.error(), e.getMessage())) {
          LOG.warn("queue {}: cannot measure the backlog: {}", p.name(), e.getMessage());
        }
        latest.put(p.name(), new Backlog(null, null, clock.instant(), e.getMessage()));
        closeConnection();
      }
    }
  }

  private Backlog sample(QueuePlan plan) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = connections.open();
      connection.setAutoCommit(true);
    }
    Prepared pr = prepared.get(plan.name());
    if (pr == null || !pr.plan().equals(plan)) {
      List<QueueStats> stats = new java.util.ArrayList<>();
      for (Subscription s : plan.source().subscriptions()) {
        stats.add(QueueStats.prepare(connection, s, plan.mapping().createdAtColumn()));
      }
      pr = new Prepared(plan, List.copyOf(stats));
      prepared.put(plan.name(), pr);
    }
    long rows = 0;
    Long oldest = null;
    for (QueueStats s : pr.stats()) {
      QueueStats.Sample sample = s.sample(connection);
      rows += sample.rows();
      if (sample.oldestAgeSeconds().isPresent()) {
        long age = sample.oldestAgeSeconds().getAsLong();
        oldest = oldest == null ? age : Math.max(oldest, age);
      }
    }
    return new Backlog(rows, oldest, clock.instant(), null);
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // A broken connection is replaced on the next round; nothing to report.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
