package org.q4mbridge.bridge.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Producers the way PHP code enqueues: each thread its own connection, one autocommit {@code INSERT
 * INTO job_queue (job_type, payload) VALUES (?, ?)} per job, no batching. Every job gets the next
 * number of {@code 0 … total-1} in its payload ({@link JobQueue#payload}), so each number is
 * inserted exactly once across all threads.
 *
 * <p>Optionally paced: with {@code perSecond > 0} the threads share that many inserts per second
 * (permits handed out every 50 ms), so a run lasts long enough for a fault to land in its middle.
 */
public final class Producers implements AutoCloseable {
  private static final String[] TYPES = {
    "send_email", "resize_image", "charge_card", "push_notification"
  };

  private final long total;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong produced = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Semaphore permits;
  private final ScheduledExecutorService pacer;
  private volatile boolean stopped;

  private Producers(long total, int perSecond) {
    this.total = total;
    if (perSecond > 0) {
      permits = new Semaphore(0);
      pacer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "producer-pacer");
                t.setDaemon(true);
                return t;
              });
      int every50ms = Math.max(1, perSecond / 20);
      pacer.scheduleAtFixedRate(
          () -> {
            // Never bank more than a second's worth: a stalled database must not cause a burst.
            if (permits.availablePermits() < perSecond) {
              permits.release(every50ms);
            }
          },
          0,
          50,
          TimeUnit.MILLISECONDS);
    } else {
      permits = null;
      pacer = null;
    }
  }

  /**
   * Starts {@code threads} producers inserting jobs {@code 0 … total-1} into {@code queue}.
   *
   * @param perSecond overall inserts per second, or 0 for as fast as the server takes them
   */
  public static Producers start(JobQueue queue, int threads, long total, int perSecond) {
    Producers p = new Producers(total, perSecond);
    for (int i = 0; i < threads; i++) {
      int id = i;
      Thread t = new Thread(() -> p.produce(queue, id), "producer-" + i);
      t.setDaemon(true);
      p.threads.add(t);
    }
    p.threads.forEach(Thread::start);
    return p;
  }

  private void produce(JobQueue queue, int id) {
    try (Connection c = queue.database().connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + JobQueue.TABLE + " (job_type, payload) VALUES (?, ?)")) {
      while (!stopped) {
        if (permits != null && !permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        long n = next.getAndIncrement();
        if (n >= total) {
          return;
        }
        ps.setString(1, TYPES[(int) (n % TYPES.length)]);
        ps.setString(2, JobQueue.payload(n, id));
        ps.executeUpdate();
        produced.incrementAndGet();
      }
    } catch (SQLException | RuntimeException e) {
      failure.compareAndSet(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Jobs inserted (committed) so far. */
  public long produced() {
    return produced.get();
  }

  /** The number of jobs this run inserts in all. */
  public long total() {
    return total;
  }

  /** True when every thread has ended (all jobs inserted, stopped, or failed). */
  public boolean done() {
    return threads.stream().noneMatch(Thread::isAlive);
  }

  /** The first insert that failed, or null. */
  public Throwable failure() {
    return failure.get();
  }

  /**
   * Waits until every thread has ended.
   *
   * @throws AssertionError when they are still inserting after {@code timeout}, or one failed
   */
  public void awaitDone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        throw new AssertionError(
            "producers still running after " + timeout + " (" + produced() + " inserted)");
      }
    }
    if (failure() != null) {
      throw new AssertionError("a producer failed", failure());
    }
  }

  /** Stops inserting (threads end after their current insert). Idempotent. */
  @Override
  public void close() {
    stopped = true;
    if (pacer != null) {
      pacer.shutdownNow();
    }
  }
}
