package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final MetricRegistry registry = new MetricRegistry();
  private final AtomicReference<Status> status = new AtomicReference<>(status(true));
  private AdminServer server;
  private String base;

  static Status status(boolean ready) {
    Status.Queue q =
        new Status.Queue(
            "app.job_queue",
            "cutover",
            List.of("app.job_queue"),
            "jobs",
            List.of("redis-main"),
            List.of(),
            4,
            200,
            ready ? 0L : 1234L,
            ready ? 0L : 95L,
            null,
            ready ? 850.5 : 0,
            0,
            10_000,
            1,
            3,
            ready ? 0L : 45L,
            ready,
            ready ? null : "1234 row(s) waiting and nothing confirmed for 45 s",
            List.of(
                new Activity.Error(
                    "dead-lettered 1 row(s): oversize <script>",
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-01-01T00:00:00Z"),
                    1)));
    return new Status(
        "1.0",
        Instant.parse("2026-01-01T00:00:05Z"),
        5,
        "running",
        ready,
        ready ? List.of() : List.of("app.job_queue: " + q.notReadyReason()),
        ready ? null : "invalid configuration, keeping the running one: queues[0].phase",
        List.of(q),
        List.of(new Status.Sink("redis-main", ready, 10_000, 0, 2)));
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new AdminServer(
            new InetSocketAddress("127.0.0.1", 0), status::get, new PrometheusMetrics(registry));
    server.start();
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void liveAnswers200WhileTheProcessRuns() throws Exception {
    assertThat(get("/health/live", "*/*").statusCode()).isEqualTo(200);
  }

  @Test
  void readyAnswers503WithTheReasonsAsJsonWhenNotReady() throws Exception {
    assertThat(get("/health/ready", "*/*").statusCode()).isEqualTo(200);
    status.set(status(false));
    HttpResponse<String> r = get("/health/ready", "*/*");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.path("ready").asBoolean()).isFalse();
    assertThat(body.path("reasons").get(0).asText()).contains("1234 row(s) waiting");
  }

  @Test
  void statusIsJsonForProgramsAndHtmlForBrowsers() throws Exception {
    status.set(status(false));
    JsonNode json = new ObjectMapper().readTree(get("/status", "application/json").body());
    assertThat(json.path("queues").get(0).path("backlog").asLong()).isEqualTo(1234);
    assertThat(json.path("queues").get(0).path("lastErrors").get(0).path("last").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.path("lastReloadError").asText()).contains("queues[0].phase");

    HttpResponse<String> browser = get("/status", "text/html,application/xhtml+xml");
    assertThat(browser.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(get("/status?format=html", "*/*").body())
        .contains("NOT READY")
        .contains("cutover")
        .contains("1,234")
        .contains("Last reload refused")
        .contains("oversize &lt;script&gt;")
        .doesNotContain("<script>")
        .doesNotContain("http://")
        .doesNotContain("https://");
  }

  @Test
  void metricsAreSharedAsPrometheusFamiliesWithQueueAndSinkLabels() throws Exception {
    registry.meter(MetricNames.rowsAcknowledged("app.job_queue")).mark(7);
    registry.meter(MetricNames.sinkConfirmed("redis-main")).mark(7);
    registry.counter(MetricNames.RELOADS_FAILED).inc();
    HttpResponse<String> r = get("/metrics", "*/*");
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(r.body())
        .contains("q4m_bridge_rows_acknowledged_total{queue=\"app.job_queue\"} 7.0")
        .contains("q4m_bridge_sink_confirmed_total{sink=\"redis-main\"} 7.0")
        .contains("q4m_bridge_reload_failed_total 1.0");
  }

  @Test
  void unknownPathsAre404AndWritesAre405() throws Exception {
    assertThat(get("/nope", "*/*").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/status"))
                    .POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
