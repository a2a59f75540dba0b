package org.q4mbridge.bridge.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces one producer loop at a fixed rate. Permits are scheduled, not spaced: permit {@code i} is
 * due at {@code start + i / rate}, so a producer that was held up (a slow INSERT) catches up at
 * once instead of shifting every later permit — the offered load stays the configured one on
 * average, as real producers keep arriving while the database is slow. {@link #acquire()} returns
 * how late the permit was, so a producer that cannot keep up is visible in the results rather than
 * quietly lowering the load.
 *
 * <p>Not thread-safe: one limiter per producer thread (each gets its share of the rate). The clock
 * and the pause are injected so the schedule is tested without waiting.
 */
public final class RateLimiter {

  /** Waits about {@code nanos}; may return early (the limiter then waits again). */
  @FunctionalInterface
  public interface Pause {
    void pause(long nanos) throws InterruptedException;
  }

  private final double intervalNanos;
  private final LongSupplier clock;
  private final Pause pause;
  private long start;
  private long issued;

  /**
   * @param perSecond permits per second, more than 0
   * @param clock a nanosecond clock such as {@link System#nanoTime()}
   * @param pause how to wait
   */
  public RateLimiter(double perSecond, LongSupplier clock, Pause pause) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a positive number, got " + perSecond);
    }
    this.intervalNanos = 1e9 / perSecond;
    this.clock = clock;
    this.pause = pause;
  }

  /** A limiter on {@link System#nanoTime()} that parks the calling thread. */
  public static RateLimiter of(double perSecond) {
    return new RateLimiter(perSecond, System::nanoTime, RateLimiter::park);
  }

  private static void park(long nanos) throws InterruptedException {
    // A pacing wait, not a wait for a state: nothing to be signalled, only time to pass.
    LockSupport.parkNanos(nanos);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  /**
   * Waits until the next permit is due; the first permit is due at once.
   *
   * @return how late the permit was handed out, in nanoseconds (0 when on time)
   */
  public long acquire() throws InterruptedException {
    long now = clock.getAsLong();
    if (issued == 0) {
      start = now;
    }
    long due = start + Math.round(issued * intervalNanos);
    issued++;
    while (now < due) {
      pause.pause(due - now);
      now = clock.getAsLong();
    }
    return now - due;
  }

  /** Permits handed out so far. */
  public long issued() {
    return issued;
  }
}
