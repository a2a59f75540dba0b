package org.q4mbridge.bridge.bench;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.pump.Mapping;
import org.q4mbridge.bridge.pump.RowMapper;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource;

/**
 * (c) A q4m-forward-style loop: one row per round trip — claim one row, publish its one message
 * synchronously, wait for the confirm, delete and commit, next. The same source, mapper and sink as
 * the pump; only the batching and the overlap are missing, which is what the pump adds.
 */
final class Baseline {
  private Baseline() {}

  static ScenarioResult run(BenchContext ctx) throws Exception {
    String id = "baseline";
    long total = ctx.settings.baselineRows();
    String destination = ctx.target.destination(id);
    ctx.target.prepare(destination);
    Scenarios.preload(ctx, id, total);
    Sink sink = Assembly.sinks(ctx.config(destination, null, true)).get("bench");
    RowMapper mapper = new RowMapper(Mapping.defaults(), ZoneId.systemDefault());
    LatencyRecorder perRow = new LatencyRecorder();
    List<String> anomalies = new ArrayList<>();
    long done = 0;
    long failed = 0;
    try (EmulatedQueueSource source = SourceCeiling.open(ctx)) {
      sink.start();
      sink.probe(List.of(destination));
      Scenarios.gc();
      ResourceMeter meter = ResourceMeter.start();
      long start = System.nanoTime();
      long deadline = start + ctx.settings.timeout().toNanos();
      long every = ctx.settings.progressEvery().toNanos();
      long[] last = {start, 0};
      long end = start;
      while (done < total) {
        long t0 = System.nanoTime();
        if (t0 - deadline > 0) {
          throw new IllegalStateException(
              id
                  + " did not finish within "
                  + org.q4mbridge.bridge.config.Durations.format(ctx.settings.timeout())
                  + " (--timeout)");
        }
        try (Claim c = source.poll(1, Duration.ofMillis(200))) {
          if (c.isEmpty()) {
            continue;
          }
          QueueRow row = c.rows().get(0);
          Verdict v =
              sink.publish(List.of(mapper.map(row, destination)))
                  .toCompletableFuture()
                  .get(60, TimeUnit.SECONDS)
                  .get(0);
          if (v.confirmed()) {
            c.settle(List.of(row.rowId()), List.of());
            done++;
          } else {
            failed++;
            c.releaseAll();
          }
        }
        end = System.nanoTime();
        perRow.recordNanos(end - t0);
        if (end - last[0] >= every) {
          Scenarios.progress(ctx, id, done, total, last);
        }
      }
      ResourceUsage usage = meter.stop();
      if (failed > 0) {
        anomalies.add(
            failed + " publishes were not confirmed (the rows were released and retried)");
      }
      anomalies.addAll(Scenarios.leftovers(ctx));
      double seconds = Math.max(1, end - start) / 1e9;
      return new ScenarioResult(
          id,
          "one-row baseline",
          ScenarioResult.BASELINE,
          1,
          1,
          false,
          done,
          seconds,
          done / seconds,
          perRow.stats("claim → publish → confirm → delete committed, per row"),
          usage,
          anomalies);
    } finally {
      sink.close();
      ctx.target.cleanup(destination);
    }
  }
}
