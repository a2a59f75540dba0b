package org.q4mbridge.bridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;

/**
 * (a) The source ceiling at one setting: the emulated source's batch claims (claim up to {@code
 * batch} rows, delete them, commit) by {@code consumers} threads, nothing published — the most a
 * pump with that setting could take out of this MariaDB. Uses the same {@link EmulatedQueueSource}
 * the pump uses. The run's ceiling is the best of the settings measured.
 */
final class SourceCeiling {
  private SourceCeiling() {}

  static ScenarioResult run(BenchContext ctx, Sweep shape) throws Exception {
    long rows = ctx.settings.rows();
    String id = "source-" + shape;
    Scenarios.preload(ctx, id, rows);
    AtomicLong done = new AtomicLong();
    LatencyRecorder perBatch = new LatencyRecorder();
    ExecutorService pool = Executors.newFixedThreadPool(shape.consumers());
    List<Future<?>> workers = new ArrayList<>();
    Scenarios.gc();
    ResourceMeter meter = ResourceMeter.start();
    long start = System.nanoTime();
    AtomicLong last = new AtomicLong(start);
    try {
      for (int i = 0; i < shape.consumers(); i++) {
        workers.add(
            pool.submit(
                () -> {
                  try (EmulatedQueueSource s = open(ctx)) {
                    while (done.get() < rows) {
                      long t0 = System.nanoTime();
                      Claim c = s.poll(shape.batchSize(), Duration.ofMillis(200));
                      if (c.isEmpty()) {
                        continue;
                      }
                      c.settle(c.rows().stream().map(QueueRow::rowId).toList(), List.of());
                      long t1 = System.nanoTime();
                      perBatch.recordNanos(t1 - t0);
                      done.addAndGet(c.rows().size());
                      last.accumulateAndGet(t1, Math::max);
                    }
                  }
                  return null;
                }));
      }
      Scenarios.awaitWithProgress(ctx, id, workers, done::get, rows, start);
    } finally {
      pool.shutdownNow();
    }
    ResourceUsage usage = meter.stop();
    double seconds = Math.max(1, last.get() - start) / 1e9;
    return new ScenarioResult(
        id,
        "source ceiling",
        ScenarioResult.SOURCE,
        shape.consumers(),
        shape.batchSize(),
        false,
        done.get(),
        seconds,
        done.get() / seconds,
        perBatch.stats("claim → delete committed, per batch"),
        usage,
        Scenarios.leftovers(ctx));
  }

  /**
   * A source on the scratch queue with the poll defaults, for the scenarios that claim directly.
   */
  static EmulatedQueueSource open(BenchContext ctx) throws Exception {
    return EmulatedQueueSource.open(
        new EmulatedQueueSource.Options(
            org.q4mbridge.q4m.ConnectionFactory.jdbc(
                ctx.db.url(), ctx.settings.user(), ctx.settings.password(), null),
            List.of(new Subscription(ctx.db.queue(), null)),
            null,
            new DeadLetterTable(new TableRef(ctx.db.name(), "q4m_dead_letter")),
            EpochTracker.registry(EpochTracker.Store.inMemory()),
            null,
            null,
            null));
  }
}
