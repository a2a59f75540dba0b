package org.q4mbridge.bridge.bench;

import java.sql.Types;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.pump.Mapping;
import org.q4mbridge.bridge.pump.RowMapper;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.TableRef;

/**
 * (b) The sink ceiling at one setting: as many publisher threads as the setting has consumers,
 * publishing batches of its size through the {@link Sink} API and waiting for the broker's
 * verdicts, nothing read from MySQL — the most a pump with that setting could push into this
 * broker. The sink is built from the same configuration as the pump's (so the same dedup, confirm
 * and persistence settings), and the messages by the pump's own mapper from rows shaped like the
 * job table's. The run's ceiling is the best of the settings measured.
 */
final class SinkCeiling {
  static final List<QueueColumn> COLUMNS =
      List.of(
          new QueueColumn("job_type", Types.VARCHAR, "VARCHAR"),
          new QueueColumn("payload", Types.LONGVARCHAR, "MEDIUMTEXT"));

  private SinkCeiling() {}

  static ScenarioResult run(BenchContext ctx, Sweep shape) throws Exception {
    int publishers = shape.consumers();
    int batch = shape.batchSize();
    String id = "sink-" + shape;
    long total = ctx.settings.rows();
    String destination = ctx.target.destination(id);
    ctx.target.prepare(destination);
    BridgeConfig config = ctx.config(destination, null, true);
    Sink sink = Assembly.sinks(config).get("bench");
    RowMapper mapper = new RowMapper(Mapping.defaults(), ZoneId.systemDefault());
    AtomicLong next = new AtomicLong();
    AtomicLong confirmed = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong last = new AtomicLong();
    LatencyRecorder perBatch = new LatencyRecorder();
    List<String> anomalies = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(publishers);
    try {
      sink.start();
      sink.probe(List.of(destination));
      Scenarios.gc();
      ResourceMeter meter = ResourceMeter.start();
      long start = System.nanoTime();
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < publishers; p++) {
        work.add(
            pool.submit(
                () -> {
                  while (true) {
                    long from = next.getAndAdd(batch);
                    if (from >= total) {
                      return null;
                    }
                    long to = Math.min(total, from + batch);
                    List<OutboundMessage> messages = new ArrayList<>((int) (to - from));
                    for (long n = from; n < to; n++) {
                      messages.add(mapper.map(row(ctx.db.queue(), n), destination));
                    }
                    long t0 = System.nanoTime();
                    List<Verdict> verdicts =
                        sink.publish(messages).toCompletableFuture().get(60, TimeUnit.SECONDS);
                    long t1 = System.nanoTime();
                    perBatch.recordNanos(t1 - t0);
                    long ok = verdicts.stream().filter(Verdict::confirmed).count();
                    confirmed.addAndGet(ok);
                    failed.addAndGet(verdicts.size() - ok);
                    last.accumulateAndGet(t1, Math::max);
                  }
                }));
      }
      Scenarios.awaitWithProgress(ctx, id, work, confirmed::get, total, start);
      ResourceUsage usage = meter.stop();
      if (failed.get() > 0) {
        anomalies.add(failed.get() + " messages were not confirmed (rejected or no answer)");
      }
      double seconds = Math.max(1, last.get() - start) / 1e9;
      return new ScenarioResult(
          id,
          "sink ceiling",
          ScenarioResult.SINK,
          publishers,
          batch,
          false,
          confirmed.get(),
          seconds,
          confirmed.get() / seconds,
          perBatch.stats("publish → every confirm, per batch"),
          usage,
          anomalies);
    } finally {
      pool.shutdownNow();
      sink.close();
      ctx.target.cleanup(destination);
    }
  }

  /** The {@code n}-th synthetic row: what the job table would hold. */
  static QueueRow row(TableRef queue, long n) {
    return new QueueRow(
        queue, n + 1, 0, COLUMNS, List.of(BenchDatabase.type(n), BenchDatabase.payload(n)));
  }
}
