package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The fault of DESIGN.md §9 "MySQL restarts / connections cut": every connection between the bridge
 * and MariaDB goes through a loopback TCP proxy that the test stops and starts repeatedly while
 * rows are inserted. Claims in flight die with their connection (InnoDB rolls them back), settles
 * fail, the bridge reconnects — and every job still reaches the stream, once.
 */
@Tag(FaultReport.TAG)
class MysqlConnectionCutIT {
  private static final int JOBS = 20_000;
  private static final int CUTS = 8;
  private static final Pattern N = Pattern.compile("\"n\":(\\d+)");

  @Test
  void cuttingTheDatabaseConnectionsRepeatedlyLosesNoJobAndDuplicatesNone() throws Exception {
    String stream = "it:mysqlcut:" + System.nanoTime();
    long began = System.nanoTime();
    try (TestDatabase db = TestDatabase.create("mysqlcut");
        LoopbackProxy proxy = LoopbackProxy.to(Integer.parseInt(TestDatabase.PORT))) {
      new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
      JobTable jobs = new JobTable(db, "jobs");
      proxy.start();
      String url = "jdbc:mysql://127.0.0.1:" + proxy.port() + "/" + db.name() + "?useSSL=false";
      Path file =
          RunningBridge.writeConfig(
              String.join(
                  "\n",
                  "database: { url: \"" + url + "\", user: " + TestDatabase.USER + " }",
                  "sinks:",
                  "  redis-main: { type: redis-streams, uri: \"redis://127.0.0.1:6379/0\" }",
                  "shutdown: { grace: 10s }",
                  "admin: { listen: \"127.0.0.1:0\" }",
                  "queues:",
                  "  - table: jobs",
                  "    mode: emulated",
                  "    phase: cutover",
                  "    force: true",
                  "    sinks: [redis-main]",
                  "    destination: \"" + stream + "\"",
                  "    consumers: 4",
                  "    batchSize: 100",
                  "    retry: { maxAttempts: 1000, backoff: 50ms..1s }",
                  ""));
      ScheduledExecutorService cutter = Executors.newScheduledThreadPool(2);
      AtomicInteger cuts = new AtomicInteger();
      RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
      try (RunningBridge bridge = RunningBridge.start(file);
          StatefulRedisConnection<String, String> conn = redis.connect()) {
        // Cut every connection every 1.5 s, for 0.5 s, eight times, while the producer inserts.
        cutter.scheduleAtFixedRate(
            () -> {
              if (cuts.get() < CUTS) {
                proxy.stop();
                cutter.schedule(proxy::start, 500, TimeUnit.MILLISECONDS);
                cuts.incrementAndGet();
              }
            },
            1_000,
            1_500,
            TimeUnit.MILLISECONDS);
        // 200 jobs every 100 ms: the inserts span all the cuts.
        AtomicInteger inserted = new AtomicInteger();
        cutter.scheduleAtFixedRate(
            () -> {
              int from = inserted.get();
              if (from < JOBS) {
                try {
                  jobs.insert(from, 200, 20, JobTable.numbered(""));
                  inserted.addAndGet(200);
                } catch (java.sql.SQLException e) {
                  throw new IllegalStateException(e);
                }
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> cuts.get() >= CUTS && inserted.get() >= JOBS);
        RedisCommands<String, String> r = conn.sync();
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> r.xlen(stream) >= JOBS && jobs.remaining() == 0);

        Map<Integer, Integer> seen = new HashMap<>();
        Set<String> keys = new HashSet<>();
        String from = "-";
        while (true) {
          List<StreamMessage<String, String>> page =
              r.xrange(
                  stream,
                  "-".equals(from) ? Range.create("-", "+") : Range.create("(" + from, "+"),
                  io.lettuce.core.Limit.from(5000));
          if (page.isEmpty()) {
            break;
          }
          for (StreamMessage<String, String> m : page) {
            keys.add(m.getBody().get("key"));
            Matcher mm = N.matcher(m.getBody().get("payload"));
            mm.find();
            seen.merge(Integer.parseInt(mm.group(1)), 1, Integer::sum);
          }
          from = page.get(page.size() - 1).getId();
        }
        long dup = seen.values().stream().filter(n -> n > 1).count();
        System.out.printf(
            "mysql cut: %d cuts, %d jobs, %d in the stream, %d keys, %d duplicated, dead letters %d,"
                + " released %d, connection problems %d%n",
            cuts.get(),
            JOBS,
            seen.size(),
            keys.size(),
            dup,
            bridge.deadLettered(jobs.queueName()),
            bridge.released(jobs.queueName()),
            bridge.problems(jobs.queueName()));
        long entries = seen.values().stream().mapToLong(Integer::longValue).sum();
        FaultReport.record(
            new FaultReport.Outcome(
                "every MySQL connection cut " + cuts.get() + " times (TCP proxy) while producing",
                "MysqlConnectionCutIT",
                "Redis Streams",
                JOBS,
                seen.size(),
                entries - seen.size(),
                keys.size() - seen.size(),
                4 * 100,
                bridge.deadLettered(jobs.queueName()),
                (System.nanoTime() - began) / 1e9,
                bridge.problems(jobs.queueName())
                    + " connection problems, "
                    + bridge.released(jobs.queueName())
                    + " rows released"));
        assertThat(seen).as("no job lost").hasSize(JOBS);
        assertThat(dup)
            .as("the dedup script absorbs re-sends of rows whose settle was cut")
            .isZero();
        assertThat(keys).hasSize(JOBS);
        assertThat(bridge.deadLettered(jobs.queueName())).isZero();
        assertThat(bridge.problems(jobs.queueName()))
            .as("the cuts really broke the bridge's connections")
            .isPositive();
      } finally {
        cutter.shutdownNow();
        redis.connect().sync().del(stream);
        redis.shutdown();
        Files.deleteIfExists(file);
      }
    }
  }
}
