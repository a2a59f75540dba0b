package org.q4mbridge.compare.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue drained by one daemon thread that writes batches. {@link #offer} never blocks;
 * {@link #close} writes what is queued within the close timeout. The writer behind {@link
 * OutcomeRecorder} and {@link LedgerWriter}.
 */
final class BatchWriter<T> implements AutoCloseable {
  /** Writes one batch; throws to have it retried. */
  @FunctionalInterface
  interface Sink<T> {
    void write(List<T> batch) throws Exception;

    /** Called once by the writer thread when it ends. */
    default void close() {}
  }

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final String name;
  private final Sink<T> sink;
  private final WriterOptions options;
  private final ArrayBlockingQueue<T> queue;
  private final Thread thread;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  // Counted down when close() begins: wakes a backoff wait early so the flush starts at once.
  private final CountDownLatch closeSignal = new CountDownLatch(1);
  private volatile boolean finished;
  private long lastWarn = System.nanoTime() - WARN_EVERY_NANOS;

  BatchWriter(String name, Sink<T> sink, WriterOptions options) {
    this.name = name;
    this.sink = sink;
    this.options = options;
    this.queue = new ArrayBlockingQueue<>(options.capacity());
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a row; false (and counted as dropped) when the queue is full or closed. */
  boolean offer(T row) {
    if (closing.get() || !queue.offer(row)) {
      dropped.incrementAndGet();
      return false;
    }
    accepted.incrementAndGet();
    // Raced with the end of the writer thread: take the row back unless the thread's final sweep
    // already counted it. Exactly one of the two removes it.
    if (finished && queue.remove(row)) {
      accepted.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  WriterStats stats() {
    return new WriterStats(accepted.get(), written.get(), dropped.get(), failed.get());
  }

  private void run() {
    List<T> batch = new ArrayList<>(options.maxBatch());
    int attempts = 0;
    try {
      while (true) {
        if (batch.isEmpty() && !fill(batch)) {
          break;
        }
        try {
          sink.write(batch);
          written.addAndGet(batch.size());
          batch.clear();
          attempts = 0;
        } catch (Exception e) {
          attempts++;
          if (attempts >= options.maxAttempts()) {
            warn("gave up " + batch.size() + " rows after " + attempts + " attempts", e);
            failed.addAndGet(batch.size());
            batch.clear();
            attempts = 0;
          } else {
            warn("write failed (attempt " + attempts + "), retrying", e);
            // Backoff without sleeping: close() cuts it short so the flush is not delayed.
            closeSignal.await(Math.min(5_000, 100L << attempts), TimeUnit.MILLISECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      // close() timed out: whatever is still held is lost and counted below.
      Thread.currentThread().interrupt();
    } finally {
      failed.addAndGet(batch.size());
      finished = true;
      List<T> rest = new ArrayList<>();
      queue.drainTo(rest);
      failed.addAndGet(rest.size());
      sink.close();
    }
  }

  /**
   * Waits for a first row, then for companions up to {@code maxDelay} or {@code maxBatch}. False
   * when closing and nothing is left. Waits are cut into ticks so that close() is noticed within
   * one tick even when {@code maxDelay} is long.
   */
  private boolean fill(List<T> batch) throws InterruptedException {
    while (batch.isEmpty()) {
      T first = queue.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
      if (first == null) {
        if (closing.get() && queue.isEmpty()) {
          return false;
        }
        continue;
      }
      batch.add(first);
    }
    long deadline = System.nanoTime() + options.maxDelay().toNanos();
    while (batch.size() < options.maxBatch()) {
      queue.drainTo(batch, options.maxBatch() - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= options.maxBatch() || left <= 0 || closing.get()) {
        break;
      }
      T next = queue.poll(Math.min(left, TICK_NANOS), TimeUnit.NANOSECONDS);
      if (next != null) {
        batch.add(next);
      }
    }
    return true;
  }

  private void warn(String what, Exception e) {
    long now = System.nanoTime();
    if (now - lastWarn >= WARN_EVERY_NANOS) {
      lastWarn = now;
      log.warn("{}: {}: {}", name, what, e.toString());
    }
  }

  /**
   * Stops accepting rows and waits up to the close timeout for the queue to be written; rows left
   * after that are counted as failed. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closeSignal.countDown();
    joinQuietly(Math.max(1, options.closeTimeout().toMillis()));
    if (thread.isAlive()) {
      thread.interrupt();
      joinQuietly(options.closeTimeout().toMillis() + 1_000);
    }
  }

  private void joinQuietly(long millis) {
    try {
      thread.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
