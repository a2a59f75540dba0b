package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.it.StreamContents;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The fault of DESIGN.md §9 "a slow sink": Redis answers through a loopback proxy that first slows
 * every answer to 300 ms (the broker keeps up with less than the producers insert: the backlog
 * waits in MySQL) and then to 2.5 s, beyond the sink's 1 s publish timeout (every batch times out
 * with its messages possibly stored: they are sent again and the dedup script answers with the
 * entry already there). When Redis is fast again, the backlog drains, every job once.
 */
@Tag(FaultReport.TAG)
class SlowSinkIT {
  private static final int JOBS = 20_000;
  private static final String SINK = "redis-slow";

  @Test
  void aSlowAndThenTimingOutSinkLosesNoJobAndDuplicatesNone() throws Exception {
    String stream = "it:slowsink:" + System.nanoTime();
    long began = System.nanoTime();
    RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
    Path file = null;
    try (TestDatabase db = TestDatabase.create("slowsink");
        LoopbackProxy proxy = LoopbackProxy.to(6379);
        StatefulRedisConnection<String, String> conn = redis.connect()) {
      new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
      JobTable jobs = new JobTable(db, "jobs");
      file =
          RunningBridge.writeConfig(
              String.join(
                  "\n",
                  "database: { url: \"" + db.url() + "\", user: " + TestDatabase.USER + " }",
                  "sinks:",
                  "  " + SINK + ":",
                  "    type: redis-streams",
                  "    uri: \"redis://127.0.0.1:" + proxy.port() + "/0\"",
                  "    publishTimeout: 1s",
                  "shutdown: { grace: 10s }",
                  "queues:",
                  "  - table: jobs",
                  "    mode: emulated",
                  "    phase: cutover",
                  "    force: true",
                  "    sinks: [" + SINK + "]",
                  "    destination: \"" + stream + "\"",
                  "    consumers: 4",
                  "    batchSize: 100",
                  "    retry: { maxAttempts: 3, backoff: 100ms..1s }",
                  ""));
      RedisCommands<String, String> r = conn.sync();
      String queue = jobs.queueName();
      long backlogWhileSlow;
      long timeouts;
      try (RunningBridge bridge = RunningBridge.start(file)) {
        // 100 jobs every 25 ms (some 4,000 jobs/s offered) until all are in.
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    for (int from = 0; from < JOBS; from += 100) {
                      jobs.insert(from, 100, 100, JobTable.numbered(""));
                      java.util.concurrent.locks.LockSupport.parkNanos(25_000_000L); // pacing
                    }
                  } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
        await("forwarding at full speed")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> bridge.acknowledged(queue) >= 2_000);

        proxy.delayReplies(Duration.ofMillis(300));
        long slowFrom = bridge.acknowledged(queue);
        await("1,000 jobs forwarded through the slow broker")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> bridge.acknowledged(queue) >= slowFrom + 1_000);
        backlogWhileSlow = jobs.remaining();

        proxy.delayReplies(Duration.ofMillis(2_500));
        long unknownBefore = bridge.unknown(SINK);
        await("publishes timing out against the slower broker")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> bridge.unknown(SINK) >= unknownBefore + 100);
        timeouts = bridge.unknown(SINK) - unknownBefore;

        proxy.delayReplies(Duration.ZERO);
        producing.get(2, TimeUnit.MINUTES);
        await("every job acknowledged")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> bridge.acknowledged(queue) >= JOBS && jobs.remaining() == 0);
        assertThat(bridge.stop()).isEqualTo(ExitCode.OK);

        StreamContents entries = StreamContents.read(r, stream);
        long deadLettered = jobs.deadLetters().size();
        FaultReport.record(
            FaultReport.redisStream(
                "slow sink: Redis answers after 300 ms, then after 2.5 s (past the 1 s timeout)",
                "SlowSinkIT",
                JOBS,
                entries,
                4 * 100,
                deadLettered,
                (System.nanoTime() - began) / 1e9,
                String.format(
                    Locale.ROOT,
                    "%,d rows waited in MySQL while slow; %,d messages timed out and were sent"
                        + " again",
                    backlogWhileSlow,
                    timeouts)));
        System.out.printf(
            Locale.ROOT,
            "SlowSinkIT: backlog while slow %,d rows; %,d publishes timed out; stream entries %,d,"
                + " distinct jobs %,d, duplicate keys %d; dead letters %d; released %d%n",
            backlogWhileSlow,
            timeouts,
            entries.size(),
            entries.numbers().size(),
            entries.duplicateKeys(),
            deadLettered,
            bridge.released(queue));
        assertThat(entries.missing(JOBS, Set.of())).as("jobs lost").isEmpty();
        assertThat(entries.duplicateKeys()).as("entries with a repeated message key").isZero();
        assertThat(entries.repeatedNumbers()).as("jobs in the stream more than once").isEmpty();
        assertThat(deadLettered).as("dead letters: timeouts do not use up attempts").isZero();
        assertThat(backlogWhileSlow)
            .as("rows waiting in MySQL while the sink was slow")
            .isPositive();
      }
    } finally {
      redis.connect().sync().del(stream);
      redis.shutdown();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }
}
