package org.q4mbridge.bridge.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.q4mbridge.bridge.pump.PumpListener;

/**
 * What the bench hears from the real pump: counts, the first claim and last acknowledgement times,
 * and the insert → confirmed latency of each row (the pump computes it from the row's {@code
 * created_at} right after the delete committed, i.e. after every required sink confirmed).
 *
 * <p>Thread-safe: consumer threads report, the bench's main thread waits and reads.
 */
final class BenchListener implements PumpListener {
  final AtomicLong claimed = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong notConfirmed = new AtomicLong();
  final AtomicLong problems = new AtomicLong();
  final AtomicLong firstClaimNanos = new AtomicLong();
  final AtomicLong lastAckNanos = new AtomicLong();
  final LatencyRecorder endToEnd = new LatencyRecorder();
  private volatile boolean gated;
  private volatile long recordFromNanos;
  private volatile String lastProblem = "";
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progressed = lock.newCondition();

  /** Latency is recorded only for rows acknowledged from {@code nanoTime} on (warm-up). */
  void recordFrom(long nanoTime) {
    recordFromNanos = nanoTime;
    gated = true;
  }

  @Override
  public void claimed(String queue, int rows) {
    firstClaimNanos.compareAndSet(0, System.nanoTime());
    claimed.addAndGet(rows);
  }

  @Override
  public void acknowledged(String queue, int rows) {
    acknowledged.addAndGet(rows);
    lastAckNanos.set(System.nanoTime());
    lock.lock();
    try {
      progressed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void released(String queue, int rows) {
    released.addAndGet(rows);
  }

  @Override
  public void deadLettered(String queue, int rows, String reason) {
    deadLettered.addAndGet(rows);
    lastProblem = reason;
  }

  @Override
  public void sinkAnswered(
      String sink, boolean bestEffort, int confirmed, int rejected, int unknown, long nanos) {
    notConfirmed.addAndGet(rejected + unknown);
  }

  @Override
  public void endToEnd(String queue, long millis) {
    // nanoTime values are compared by difference only (they may be negative).
    if (!gated || System.nanoTime() - recordFromNanos >= 0) {
      endToEnd.recordMillis(millis);
    }
  }

  @Override
  public void problem(String queue, String message) {
    problems.incrementAndGet();
    lastProblem = message;
  }

  String lastProblem() {
    return lastProblem;
  }

  /**
   * Waits until at least {@code rows} rows are acknowledged or {@code max} passed.
   *
   * @return true when they are
   */
  boolean awaitAcknowledged(long rows, Duration max) throws InterruptedException {
    long left = max.toNanos();
    lock.lock();
    try {
      while (acknowledged.get() < rows) {
        if (left <= 0) {
          return false;
        }
        left = progressed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Seconds from the first claim to the last acknowledgement (0 before both happened). */
  double activeSeconds() {
    long first = firstClaimNanos.get();
    long last = lastAckNanos.get();
    return first == 0 || last == 0 ? 0 : Math.max(1, last - first) / 1e9;
  }
}
