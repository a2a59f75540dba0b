package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.Daemon;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.pump.QueuePump;
import org.q4mbridge.q4m.testing.TestDatabase;
import org.slf4j.LoggerFactory;

/**
 * The bridge in-process on the real MariaDB and a Redis of the test's own: {@code /metrics} moves
 * while jobs flow, and {@code /health/ready} turns 503 while the sink is down and backlog grows,
 * then 200 again once it is back.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsIT {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private TestDatabase db;
  private ExpendableRedis redis;
  private Daemon daemon;
  private String base;
  private String queue;
  private final ListAppender<ILoggingEvent> pumpLogs = new ListAppender<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    db = TestDatabase.create("ops");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    TestBridge.createJobTable(db, "job_queue");
    queue = db.name() + ".job_queue";
    redis = ExpendableRedis.launch();
    int port = TestBridge.freePort();
    Path file =
        TestBridge.config(
            dir,
            db,
            redis.uri(),
            port,
            List.of(
                "table: job_queue\nmode: emulated\nphase: cutover\nforce: true\nsinks: [redis-main]\n"
                    + "destination: \"it:ops:jobs\"\nconsumers: 2\nbatchSize: 50\n"
                    + "retry: { maxAttempts: 1000, backoff: 50ms..500ms }"));
    pumpLogs.start();
    ((Logger) LoggerFactory.getLogger(QueuePump.class)).addAppender(pumpLogs);
    daemon =
        Daemon.start(
            file,
            ConfigLoader.load(file),
            new MetricRegistry(),
            new Operations.Settings(
                true, false, false, Duration.ofSeconds(3), Duration.ofMillis(300)));
    base = daemon.operations().adminUri().toString();
  }

  @AfterAll
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(QueuePump.class)).detachAppender(pumpLogs);
    try {
      if (daemon != null) {
        daemon.bridge().requestStop();
        daemon.bridge().awaitExit();
        daemon.operations().stopped();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
      if (db != null) {
        db.close();
      }
    }
  }

  private String metrics() {
    TestBridge.Response r = TestBridge.get(base + "/metrics", "text/plain");
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  private double metric(String name) {
    return TestBridge.sample(metrics(), name);
  }

  @Test
  void metricsEndpointShowsTheKeySeriesMovingWhileJobsFlow() throws Exception {
    String q = "{queue=\"" + queue + "\"}";
    double ackedBefore = metric("q4m_bridge_rows_acknowledged_total" + q);
    TestBridge.insertJobs(db, "job_queue", 500);

    await("rows acknowledged counted in /metrics")
        .atMost(BOUND)
        .until(() -> metric("q4m_bridge_rows_acknowledged_total" + q) >= ackedBefore + 500);
    String m = metrics();
    assertThat(TestBridge.sample(m, "q4m_bridge_rows_claimed_total" + q))
        .isGreaterThanOrEqualTo(500);
    assertThat(TestBridge.sample(m, "q4m_bridge_sink_confirmed_total{sink=\"redis-main\"}"))
        .isGreaterThanOrEqualTo(500);
    assertThat(TestBridge.sample(m, "q4m_bridge_queue_phase" + q)).isEqualTo(3.0);
    assertThat(TestBridge.sample(m, "q4m_bridge_sink_healthy{sink=\"redis-main\"}")).isEqualTo(1.0);
    assertThat(m)
        .contains("q4m_bridge_latency_end_to_end_ms{queue=\"" + queue + "\",quantile=\"0.99\"}")
        .contains("q4m_bridge_sink_confirm_latency_seconds_count{sink=\"redis-main\"}")
        .contains("q4m_bridge_rows_in_flight" + q);
    await("backlog gauge back to 0 after the sampler saw the table drained")
        .atMost(BOUND)
        .until(() -> metric("q4m_bridge_queue_backlog" + q) == 0.0);
    assertThat(metric("q4m_bridge_queue_oldest_age_seconds" + q)).isEqualTo(0.0);
  }

  @Test
  void readinessFailsWhileTheSinkIsDownAndBacklogGrowsThenRecovers() throws Exception {
    String q = "{queue=\"" + queue + "\"}";
    await("ready before the outage")
        .atMost(BOUND)
        .until(() -> TestBridge.get(base + "/health/ready", "application/json").status() == 200);

    redis.stop();
    TestBridge.insertJobs(db, "job_queue", 300);
    await("not ready: backlog and no confirmed row within the progress window")
        .atMost(BOUND)
        .until(() -> TestBridge.get(base + "/health/ready", "application/json").status() == 503);
    TestBridge.Response r = TestBridge.get(base + "/health/ready", "application/json");
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.path("ready").asBoolean()).isFalse();
    assertThat(body.path("reasons").get(0).asText())
        .contains(queue)
        .contains("row(s) waiting")
        .contains("nothing confirmed");
    assertThat(metric("q4m_bridge_queue_backlog" + q)).isGreaterThanOrEqualTo(300);
    assertThat(metric("q4m_bridge_ready")).isEqualTo(0.0);
    JsonNode status = new ObjectMapper().readTree(TestBridge.get(base + "/status", "*/*").body());
    assertThat(status.path("queues").get(0).path("lastErrors").toString()).isNotEqualTo("[]");

    redis.start();
    await("ready again once the sink is back and the backlog drains")
        .atMost(BOUND)
        .until(() -> TestBridge.get(base + "/health/ready", "application/json").status() == 200);
    await("backlog drained")
        .atMost(BOUND)
        .until(() -> metric("q4m_bridge_queue_backlog" + q) == 0.0);
    assertThat(TestBridge.get(base + "/health/live", "*/*").status()).isEqualTo(200);
  }

  @Test
  void deadLetterLogLinesCarryQueuePhaseAndKeyButNeverThePayload() throws Exception {
    String secret = "PAYLOAD-MARKER-" + "x".repeat(70_000); // over the sink's 64 KiB limit
    TestBridge.insertJob(db, "job_queue", "{\"blob\":\"" + secret + "\"}");

    await("the oversize row dead-lettered and logged")
        .atMost(BOUND)
        .until(
            () ->
                pumpLogs.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("dead-lettered")));
    ILoggingEvent e =
        pumpLogs.list.stream()
            .filter(x -> x.getFormattedMessage().contains("dead-lettered"))
            .findFirst()
            .orElseThrow();
    assertThat(e.getMDCPropertyMap())
        .containsEntry("queue", queue)
        .containsEntry("phase", "cutover")
        .hasEntrySatisfying("key", k -> assertThat(k).startsWith(queue + ":"));
    assertThat(pumpLogs.list)
        .noneMatch(x -> x.getFormattedMessage().contains("PAYLOAD-MARKER"))
        .noneMatch(x -> x.getMDCPropertyMap().toString().contains("PAYLOAD-MARKER"));
  }
}
