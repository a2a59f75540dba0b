package org.q4mbridge.bridge.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/** Steps every scenario shares: preloading, waiting with progress lines, checking leftovers. */
final class Scenarios {
  private static final long MB = 1024 * 1024;

  private Scenarios() {}

  /** Inserts {@code rows} jobs, printing progress; returns the seconds it took. */
  static double preload(BenchContext ctx, String id, long rows) throws Exception {
    long start = System.nanoTime();
    long every = ctx.settings.progressEvery().toNanos();
    long[] lastPrint = {start};
    ctx.say("[%s] preloading %,d rows (multi-row INSERTs of 1,000)", id, rows);
    ctx.db.preload(
        rows,
        done -> {
          long now = System.nanoTime();
          if (now - lastPrint[0] >= every && done < rows) {
            lastPrint[0] = now;
            ctx.say(
                "[%s] preloaded %,d / %,d rows (%,.0f rows/s)",
                id, done, rows, done / ((now - start) / 1e9));
          }
        });
    double seconds = (System.nanoTime() - start) / 1e9;
    ctx.say("[%s] preloaded %,d rows in %.1f s", id, rows, seconds);
    return seconds;
  }

  /**
   * Collects garbage before a scenario so one scenario's leftovers do not count against the next
   * one's heap figures.
   */
  static void gc() {
    System.gc();
  }

  /**
   * Waits for the workers, printing a progress line every {@code progressEvery}; a worker's failure
   * is rethrown, and a run longer than {@code timeout} is abandoned.
   */
  static void awaitWithProgress(
      BenchContext ctx, String id, List<Future<?>> work, LongSupplier done, long total, long start)
      throws Exception {
    Duration every = ctx.settings.progressEvery();
    long deadline = start + ctx.settings.timeout().toNanos();
    long[] last = {start, 0};
    for (Future<?> f : work) {
      while (true) {
        try {
          f.get(every.toNanos(), TimeUnit.NANOSECONDS);
          break;
        } catch (TimeoutException e) {
          progress(ctx, id, done.getAsLong(), total, last);
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException(
                id
                    + " did not finish within "
                    + org.q4mbridge.bridge.config.Durations.format(ctx.settings.timeout())
                    + " (--timeout)");
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          throw new IllegalStateException(id + " failed: " + cause.getMessage(), cause);
        }
      }
    }
  }

  /** Prints {@code [id] done / total, rate since the last line, heap}. */
  static void progress(BenchContext ctx, String id, long done, long total, long[] last) {
    long now = System.nanoTime();
    double rate = (done - last[1]) / Math.max(1e-9, (now - last[0]) / 1e9);
    last[0] = now;
    last[1] = done;
    ctx.say(
        "[%s] %,d / %,d jobs  %,.0f jobs/s  heap %d MB in use, %d MB after GC, max %d MB",
        id,
        done,
        total,
        rate,
        ResourceMeter.heapUsedBytes() / MB,
        ResourceMeter.heapAfterLastGcBytes() / MB,
        ResourceMeter.heapMaxBytes() / MB);
  }

  /** Rows a scenario left in the table are deleted, and reported as an anomaly. */
  static List<String> leftovers(BenchContext ctx) throws Exception {
    long left = ctx.db.remaining();
    if (left == 0) {
      return List.of();
    }
    ctx.db.clear();
    return List.of(left + " rows were left in the table (deleted before the next scenario)");
  }
}
