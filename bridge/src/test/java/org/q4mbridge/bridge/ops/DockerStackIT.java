package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The docker/ stack end to end where a Docker engine exists (skipped otherwise — JUnit reports
 * "disabledWithoutDocker is true and Docker is not available"): jobs inserted into the real Q4M
 * table reach the Redis stream, the bridge's metrics say so, and Prometheus scrapes the bridge with
 * the alert rules loaded. The first run builds MySQL and Q4M from source (an hour or more).
 */
@Tag("integration")
@Testcontainers(disabledWithoutDocker = true)
class DockerStackIT {
  private static final Duration BUILD = Duration.ofMinutes(120);

  @Container
  static final ComposeContainer STACK =
      new ComposeContainer(Path.of("..", "docker", "compose.yml").toAbsolutePath().toFile())
          .withBuild(true)
          .withExposedService("mysql", 3306, Wait.forListeningPort().withStartupTimeout(BUILD))
          .withExposedService("redis", 6379)
          .withExposedService(
              "bridge",
              9400,
              Wait.forHttp("/health/ready").forStatusCode(200).withStartupTimeout(BUILD))
          .withExposedService("prometheus", 9090, Wait.forHttp("/-/ready").forStatusCode(200));

  private static String url(String service, int port) {
    return "http://"
        + STACK.getServiceHost(service, port)
        + ":"
        + STACK.getServicePort(service, port);
  }

  @Test
  void jobsInsertedIntoQ4mReachTheStreamAndTheMetrics() throws Exception {
    assertThat(new File("target/q4m-bridge.jar")).exists();
    String jdbc =
        "jdbc:mysql://"
            + STACK.getServiceHost("mysql", 3306)
            + ":"
            + STACK.getServicePort("mysql", 3306)
            + "/app?useSSL=false&allowPublicKeyRetrieval=true";
    try (Connection c = DriverManager.getConnection(jdbc, "root", "");
        Statement st = c.createStatement()) {
      for (int i = 0; i < 100; i++) {
        st.execute(
            "INSERT INTO job_queue (job_type, payload) VALUES ('send_email', '{\"n\":" + i + "}')");
      }
    }
    RedisClient redis =
        RedisClient.create(
            "redis://"
                + STACK.getServiceHost("redis", 6379)
                + ":"
                + STACK.getServicePort("redis", 6379));
    try (StatefulRedisConnection<String, String> conn = redis.connect()) {
      await("100 entries in the stream")
          .atMost(Duration.ofMinutes(2))
          .until(() -> conn.sync().xlen("jobs") >= 100);
    } finally {
      redis.shutdown();
    }
    String metrics = TestBridge.get(url("bridge", 9400) + "/metrics", "text/plain").body();
    assertThat(
            TestBridge.sample(
                metrics, "q4m_bridge_rows_acknowledged_total{queue=\"app.job_queue\"}"))
        .isGreaterThanOrEqualTo(100);
    await("Prometheus scrapes the bridge")
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                TestBridge.get(
                        url("prometheus", 9090)
                            + "/api/v1/query?query=up%7Bjob%3D%22q4m-bridge%22%7D",
                        "application/json")
                    .body()
                    .contains("\"1\"]"));
    assertThat(TestBridge.get(url("prometheus", 9090) + "/api/v1/rules", "application/json").body())
        .contains("Q4mBridgeNoProgress")
        .contains("Q4mBridgeNoConsumersOnRedis");
  }
}
