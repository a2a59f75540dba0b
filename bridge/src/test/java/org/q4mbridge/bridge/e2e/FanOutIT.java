package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.cli.Main;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;
import picocli.CommandLine;

/**
 * Issue 4, "Must show": fan-out with Redis Streams required and SQS best-effort while the SQS
 * endpoint is down. Two queues run side by side in one daemon, identical but for the best-effort
 * sink: {@code plain_jobs} to Redis only (the baseline), {@code fanout_jobs} to Redis plus SQS
 * best-effort. The SQS endpoint is an ElasticMQ behind a {@link LoopbackProxy}: it answers while
 * the daemon starts (the sink starts and is probed as usual), then the proxy is stopped, then both
 * queues get 20,000 jobs at the same moment — so background load on the machine hits the baseline
 * and the fan-out alike. Redis forwarding of the fan-out queue must keep the baseline's pace and
 * lose nothing; every message SQS did not take is counted ({@code q4m_bridge.sink.unknown.<sink>}
 * or {@code q4m_bridge.sink.best_effort_skipped.<sink>}); {@code q4m-bridge check} reports the SQS
 * problem as "(best-effort)" and still exits 0.
 */
class FanOutIT {
  private static final int JOBS = 20_000;
  private static final String REDIS_URI =
      System.getenv().getOrDefault("Q4M_TEST_REDIS_URI", "redis://127.0.0.1:6379");
  private static final String REDIS = "redis-main";
  private static final String SQS = "sqs-eval";
  private static final Duration RUN_BOUND = Duration.ofMinutes(3);

  private static TestDatabase db;
  private static EmbeddedSqs sqs;
  private static LoopbackProxy sqsProxy;
  private static RedisClient redis;
  private static String plainStream;
  private static String fanOutStream;
  private static String lateStream;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("e2e_fanout");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    sqs = EmbeddedSqs.launch();
    sqsProxy = LoopbackProxy.to(sqs.port());
    redis = RedisClient.create(REDIS_URI);
    // The fan-out queue's destination names both its stream and its SQS queue: SQS's alphabet.
    plainStream = "q4m-e2e-" + db.name() + "-plain";
    fanOutStream = "q4m-e2e-" + db.name() + "-fanout";
    lateStream = "q4m-e2e-" + db.name() + "-late";
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (redis != null) {
      try (StatefulRedisConnection<String, String> c = redis.connect()) {
        RedisCommands<String, String> r = c.sync();
        r.del(plainStream, fanOutStream, lateStream);
        for (String stream : new String[] {plainStream, fanOutStream, lateStream}) {
          r.keys("q4m-bridge:dedup:{" + stream + "}:*").forEach(r::del);
        }
      }
      redis.shutdown();
    }
    if (sqsProxy != null) {
      sqsProxy.close();
    }
    if (sqs != null) {
      sqs.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void sqsAnswers() {
    sqsProxy.start();
  }

  private static String queueYaml(String table, String stream, boolean withSqs) {
    return "  - table: "
        + table
        + "\n"
        + "    mode: emulated\n"
        + "    phase: cutover\n"
        + "    force: true\n"
        + "    sinks: ["
        + REDIS
        + "]\n"
        + (withSqs ? "    bestEffort: [" + SQS + "]\n" : "")
        + "    destination: \""
        + stream
        + "\"\n"
        + "    consumers: 2\n"
        + "    batchSize: 200\n";
  }

  private static String configYaml(String queues) {
    return "database: { url: \""
        + db.url()
        + "\", user: "
        + TestDatabase.USER
        + " }\n"
        + "sinks:\n"
        + "  "
        + REDIS
        + ": { type: redis-streams, uri: \""
        + REDIS_URI
        + "\" }\n"
        + EmbeddedSqs.sinkYaml(SQS, sqsProxy.port())
        + "shutdown: { grace: 10s }\n"
        + "queues:\n"
        + queues;
  }

  /** Inserts the jobs, waits until all are acknowledged; answers the nanoseconds that took. */
  private static CompletableFuture<Long> produceAndTime(JobTable table, RunningBridge bridge) {
    return CompletableFuture.supplyAsync(
        () -> {
          long t0 = System.nanoTime();
          try {
            table.insert(0, JOBS, 200, JobTable.numbered(""));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          await(table.table() + ": all rows acknowledged")
              .atMost(RUN_BOUND)
              .pollInterval(Duration.ofMillis(20))
              .until(() -> bridge.acknowledged(table.queueName()) >= JOBS);
          return System.nanoTime() - t0;
        });
  }

  @Test
  void redisKeepsItsPaceAndSqsFailuresAreCountedWhileTheBestEffortEndpointIsDown()
      throws Exception {
    JobTable plain = new JobTable(db, "plain_jobs");
    JobTable fanOut = new JobTable(db, "fanout_jobs");
    sqs.createQueue(fanOutStream);
    Path file =
        RunningBridge.writeConfig(
            configYaml(
                queueYaml("plain_jobs", plainStream, false)
                    + queueYaml("fanout_jobs", fanOutStream, true)));
    try (RunningBridge bridge = RunningBridge.start(file)) {
      sqsProxy.stop(); // the SQS endpoint goes down; Redis stays

      CompletableFuture<Long> plainRun = produceAndTime(plain, bridge);
      CompletableFuture<Long> fanOutRun = produceAndTime(fanOut, bridge);
      double plainSeconds = plainRun.get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS) / 1e9;
      double fanOutSeconds = fanOutRun.get(RUN_BOUND.toSeconds(), TimeUnit.SECONDS) / 1e9;
      double plainRate = JOBS / plainSeconds;
      double fanOutRate = JOBS / fanOutSeconds;

      // Every message the fan-out queue produced was offered to SQS and is accounted for.
      await("every SQS failure counted")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bridge.unknown(SQS) + bridge.rejected(SQS) + bridge.skipped(SQS) >= JOBS);
      System.out.printf(
          Locale.ROOT,
          "fan-out: Redis only %,d rows in %.2f s (%,.0f rows/s); Redis + SQS best-effort (down)"
              + " %,d rows in %.2f s (%,.0f rows/s): %.0f%% of the baseline%n",
          JOBS,
          plainSeconds,
          plainRate,
          JOBS,
          fanOutSeconds,
          fanOutRate,
          100 * fanOutRate / plainRate);
      System.out.printf(
          Locale.ROOT,
          "fan-out: %s confirmed %,d, unknown %,d, rejected %,d, best-effort skipped %,d;"
              + " fan-out queue released %,d, held back %,d%n",
          SQS,
          bridge.confirmed(SQS),
          bridge.unknown(SQS),
          bridge.rejected(SQS),
          bridge.skipped(SQS),
          bridge.released(fanOut.queueName()),
          bridge.backPressure(fanOut.queueName()));

      // `check` while SQS is still down: the problem is shown, marked best-effort, exit 0.
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute("check", "--config", file.toString());
      String problems = err.toString();
      System.out.println("fan-out: q4m-bridge check exited " + exit + ", stderr:\n" + problems);
      assertThat(exit).as("check exit code; stdout:%n%s", out).isEqualTo(ExitCode.OK.code());
      assertThat(problems).contains("(best-effort) " + SQS);
      assertThat(out.toString()).contains("sink " + REDIS + ": reachable");

      assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
      assertThat(bridge.confirmed(SQS)).as("messages SQS confirmed while down").isZero();
      assertThat(bridge.unknown(SQS) + bridge.rejected(SQS) + bridge.skipped(SQS))
          .as("SQS failures counted")
          .isEqualTo(JOBS);
      assertThat(fanOutRate)
          .as("Redis rate with SQS best-effort down vs Redis only")
          .isGreaterThanOrEqualTo(0.5 * plainRate);
    } finally {
      Files.deleteIfExists(file);
    }

    assertThat(plain.remaining()).isZero();
    assertThat(fanOut.remaining()).isZero();
    assertThat(fanOut.deadLetters()).isEmpty();
    Tally plainTally = streamTally(plainStream);
    Tally fanOutTally = streamTally(fanOutStream);
    System.out.printf(
        Locale.ROOT,
        "fan-out: streams hold %,d (Redis only) and %,d (fan-out) entries%n",
        plainTally.messages(),
        fanOutTally.messages());
    for (Tally t : new Tally[] {plainTally, fanOutTally}) {
      assertThat(t.missing(JOBS)).isEmpty();
      assertThat(t.duplicates()).isEmpty();
    }
  }

  @Test
  void aBestEffortSinkThatWasDownAtStartIsUsedOnceItAnswers() throws Exception {
    JobTable late = new JobTable(db, "late_jobs");
    sqs.createQueue(lateStream);
    Path file = RunningBridge.writeConfig(configYaml(queueYaml("late_jobs", lateStream, true)));
    sqsProxy.stop(); // down before the daemon starts: it starts without the best-effort sink
    Tally sqsTally = new Tally();
    try (EmbeddedSqs.Workers workers =
            sqs.workers(
                lateStream,
                4,
                m ->
                    sqsTally.record(
                        Tally.numberInEnvelope(m.body()),
                        m.messageAttributes().get("q4m-key").stringValue()));
        RunningBridge bridge = RunningBridge.start(file)) {
      late.insert(0, 2_000, 200, JobTable.numbered(""));
      await("the first jobs acknowledged without SQS")
          .atMost(RUN_BOUND)
          .until(() -> bridge.acknowledged(late.queueName()) >= 2_000);
      long missedWhileDown = bridge.unknown(SQS) + bridge.skipped(SQS);

      sqsProxy.start();
      await("the best-effort sink healthy once SQS answers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bridge.healthy(SQS));
      late.insert(2_000, 2_000, 200, JobTable.numbered(""));
      await("every message accounted for by the best-effort sink")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  bridge.acknowledged(late.queueName()) >= 4_000
                      && bridge.confirmed(SQS)
                              + bridge.unknown(SQS)
                              + bridge.rejected(SQS)
                              + bridge.skipped(SQS)
                          >= 4_000);
      long confirmed = bridge.confirmed(SQS);
      await("what SQS confirmed received by the worker")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> sqsTally.messages() >= confirmed);
      System.out.printf(
          Locale.ROOT,
          "fan-out, SQS down at start: %,d of the first 2,000 messages counted as missed while it"
              + " was down; of the 2,000 after it came back SQS confirmed %,d (skipped %,d,"
              + " unknown %,d), the worker received %,d%n",
          missedWhileDown,
          confirmed,
          bridge.skipped(SQS) - missedWhileDown,
          bridge.unknown(SQS),
          sqsTally.messages());
      assertThat(missedWhileDown).isEqualTo(2_000);
      assertThat(confirmed).as("messages SQS confirmed after it came back").isPositive();
      assertThat(sqsTally.duplicates()).isEmpty();
      assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
    } finally {
      Files.deleteIfExists(file);
    }
    assertThat(late.remaining()).isZero();
    assertThat(streamTally(lateStream).missing(4_000)).isEmpty();
  }

  /**
   * Every entry of a stream, by the job number in its {@code payload} field and its {@code key}.
   */
  private static Tally streamTally(String stream) {
    Tally tally = new Tally();
    try (StatefulRedisConnection<String, String> c = redis.connect()) {
      for (StreamMessage<String, String> m : c.sync().xrange(stream, Range.create("-", "+"))) {
        assertThat(m.getBody()).containsKeys("type", "payload", "key");
        tally.record(Tally.numberInPayload(m.getBody().get("payload")), m.getBody().get("key"));
      }
    }
    return tally;
  }
}
