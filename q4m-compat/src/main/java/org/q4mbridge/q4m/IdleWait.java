package org.q4mbridge.q4m;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Adaptive polling for queues that have no server-side wake-up (the InnoDB emulation): fast while
 * rows keep coming, backing off when idle, never longer than {@code max} between two looks — so
 * latency stays bounded. A {@link #wakeup()} from any thread ends the current wait at once.
 *
 * <p>This is the only place in q4m-compat that waits on a clock.
 */
public final class IdleWait {
  private final long minNanos;
  private final long maxNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private long nextNanos;
  private boolean woken;

  /**
   * @param min the first pause after rows were found
   * @param max the longest pause while idle (the latency bound)
   */
  public IdleWait(Duration min, Duration max) {
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "poll interval must satisfy 0 < min <= max, got " + min + ".." + max);
    }
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = minNanos;
  }

  /** Rows were found: the next idle pause starts short again. */
  public void busy() {
    nextNanos = minNanos;
  }

  /**
   * Pauses for the current interval (doubling it for next time), at most {@code limitNanos}.
   *
   * @return false when woken by {@link #wakeup()} (the flag is consumed), true otherwise
   */
  public boolean pause(long limitNanos) throws InterruptedException {
    long wait = Math.min(nextNanos, Math.max(0, limitNanos));
    nextNanos = Math.min(maxNanos, nextNanos * 2);
    lock.lock();
    try {
      while (!woken && wait > 0) {
        wait = signal.awaitNanos(wait);
      }
      if (woken) {
        woken = false;
        return false;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Consumes a pending wake-up, if any, without waiting. */
  public boolean takeWakeup() {
    lock.lock();
    try {
      boolean was = woken;
      woken = false;
      return was;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the current or next {@link #pause} early. Any thread. */
  public void wakeup() {
    lock.lock();
    try {
      woken = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Milliseconds of the longest idle pause. */
  public long maxMillis() {
    return TimeUnit.NANOSECONDS.toMillis(maxNanos);
  }
}
