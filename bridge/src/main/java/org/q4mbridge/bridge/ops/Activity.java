package org.q4mbridge.bridge.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.q4mbridge.bridge.pump.PumpListener;

/**
 * Remembers what the pumps did that metrics alone do not answer: when each queue last had rows
 * confirmed (readiness and the watchdog hang on it) and its last few errors (the status page shows
 * them). Forwards every report to the metrics listener it wraps.
 *
 * <p>Thread-safe and cheap: called from consumer threads on every batch. Error texts are the pump's
 * own messages — reasons and server errors, never payloads.
 */
public final class Activity implements PumpListener {
  /** Errors kept per queue. */
  static final int KEPT_ERRORS = 5;

  /**
   * One remembered error; repeats of the same text update {@code last} and {@code count}.
   *
   * @param message what happened
   * @param first when it first happened (in this run of repeats)
   * @param last when it last happened
   * @param count how often in a row
   */
  public record Error(String message, Instant first, Instant last, long count) {}

  private final PumpListener metrics;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final Map<String, Long> lastAckNanos = new ConcurrentHashMap<>();
  private final Map<String, Deque<Error>> errors = new ConcurrentHashMap<>();

  /**
   * @param metrics receives every report as well (the Dropwizard listener)
   * @param nanoTime monotonic time, {@link System#nanoTime} outside tests
   * @param clock wall time for error timestamps
   */
  public Activity(PumpListener metrics, LongSupplier nanoTime, Clock clock) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.clock = clock;
  }

  /** {@link System#nanoTime()} when rows of {@code queue} were last confirmed, or null. */
  public Long lastAckNanos(String queue) {
    return lastAckNanos.get(queue);
  }

  /** The last errors of {@code queue}, newest first. */
  public List<Error> errors(String queue) {
    Deque<Error> d = errors.get(queue);
    if (d == null) {
      return List.of();
    }
    synchronized (d) {
      return List.copyOf(d);
    }
  }

  private void error(String queue, String message) {
    Deque<Error> d = errors.computeIfAbsent(queue, q -> new ArrayDeque<>());
    Instant now = clock.instant();
    synchronized (d) {
      Error head = d.peekFirst();
      if (head != null && head.message().equals(message)) {
        d.pollFirst();
        d.addFirst(new Error(message, head.first(), now, head.count() + 1));
        return;
      }
      d.addFirst(new Error(message, now, now, 1));
      while (d.size() > KEPT_ERRORS) {
        d.pollLast();
      }
    }
  }

  @Override
  public void claimed(String queue, int rows) {
    metrics.claimed(queue, rows);
  }

  @Override
  public void acknowledged(String queue, int rows) {
    lastAckNanos.put(queue, nanoTime.getAsLong());
    metrics.acknowledged(queue, rows);
  }

  @Override
  public void released(String queue, int rows) {
    metrics.released(queue, rows);
  }

  @Override
  public void deadLettered(String queue, int rows, String reason) {
    error(queue, "dead-lettered " + rows + " row(s): " + reason);
    metrics.deadLettered(queue, rows, reason);
  }

  @Override
  public void sinkAnswered(
      String sink, boolean bestEffort, int confirmed, int rejected, int unknown, long nanos) {
    metrics.sinkAnswered(sink, bestEffort, confirmed, rejected, unknown, nanos);
  }

  @Override
  public void bestEffortSkipped(String sink, int messages) {
    metrics.bestEffortSkipped(sink, messages);
  }

  @Override
  public void endToEnd(String queue, long millis) {
    metrics.endToEnd(queue, millis);
  }

  @Override
  public void problem(String queue, String message) {
    error(queue, message);
    metrics.problem(queue, message);
  }

  @Override
  public void backPressure(String queue, String sink) {
    // Reported every poll interval while the sink is down: one entry whose count grows.
    error(queue, "claiming paused: required sink " + sink + " is unhealthy");
    metrics.backPressure(queue, sink);
  }
}
