package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.q4mbridge.bridge.cli.Main;
import org.q4mbridge.q4m.testing.TestDatabase;
import picocli.CommandLine;

/**
 * {@code q4m-bridge bench} in throughput mode with tiny sizes against the real local MariaDB, Redis
 * and RabbitMQ: every scenario runs, the three files are written with every section, and nothing is
 * left behind. It asserts nothing about speed.
 */
class BenchCommandIT {
  private static final String REDIS =
      "redis://"
          + System.getenv().getOrDefault("Q4M_TEST_REDIS_HOST", "127.0.0.1")
          + ":"
          + System.getenv().getOrDefault("Q4M_TEST_REDIS_PORT", "6379")
          + "/0";

  @TempDir Path dir;

  @Test
  void throughputToRedisWritesEverySectionAndCleansUp() throws Exception {
    String database = scratchName();

    Run run = bench(database, "--sink", "redis", "--redis", REDIS);

    assertThat(run.exit).as(run.output).isZero();
    JsonNode json =
        ReportFiles.json().readTree(Files.readString(dir.resolve("throughput-redis.json")));
    assertThat(json.get("command").asText())
        .startsWith("q4m-bridge bench --mode throughput")
        .contains("--database " + database);
    List<String> ids = new ArrayList<>();
    json.get("scenarios").forEach(s -> ids.add(s.get("id").asText()));
    assertThat(ids)
        .containsExactly(
            "baseline",
            "source-4x1000",
            "sink-4x1000",
            "pump-4x1000",
            "source-1x50",
            "sink-1x50",
            "pump-1x50");
    json.get("scenarios")
        .forEach(
            s -> {
              assertThat(s.get("jobs").asLong()).as(s.get("id").asText()).isPositive();
              assertThat(s.get("latency").get("measures").asText()).isNotBlank();
              assertThat(s.get("resources").get("heapMaxMb").asLong()).isPositive();
            });
    assertThat(json.get("ratios").get("defaultOverCeiling").isNumber()).isTrue();
    assertThat(json.get("ratios").get("defaultOverBaseline").isNumber()).isTrue();
    assertThat(json.get("targets")).hasSize(2);
    assertThat(json.get("environment").get("broker").asText()).startsWith("Redis ");

    String md = Files.readString(dir.resolve("throughput-redis.md"));
    assertThat(md)
        .contains("## Environment", "## Parameters", "## Results", "## Ratios")
        .contains("## Targets (DESIGN.md §9)", "## How to read this")
        .contains("![chart](throughput-redis.svg)");
    assertThat(Files.readString(dir.resolve("throughput-redis.svg"))).startsWith("<svg");
    assertThat(run.output).contains("[pump-4x1000]", "bench: wrote");

    assertThat(databaseExists(database)).isFalse();
    try (RedisClient client = RedisClient.create(REDIS);
        StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().keys("q4m-bench-" + database + ":*")).isEmpty();
      assertThat(c.sync().keys("q4m-bridge:dedup:{q4m-bench-" + database + ":*")).isEmpty();
    }
  }

  @Test
  void throughputToRabbitMqMeasuresTheBrokerCeilingToo() throws Exception {
    String database = scratchName();
    String amqp =
        "amqp://guest:guest@"
            + System.getenv().getOrDefault("Q4M_TEST_RABBITMQ_HOST", "127.0.0.1")
            + ":5672/%2F";

    Run run = bench(database, "--sink", "rabbitmq", "--rabbitmq", amqp);

    assertThat(run.exit).as(run.output).isZero();
    JsonNode json =
        ReportFiles.json().readTree(Files.readString(dir.resolve("throughput-rabbitmq.json")));
    assertThat(json.get("scenarios")).hasSize(7);
    assertThat(json.get("ratios").get("defaultOverSinkCeiling").isNumber()).isTrue();
    assertThat(json.get("targets")).hasSize(1);
    // The broker password never reaches the recorded command line.
    assertThat(json.get("command").asText())
        .contains("amqp://guest:****@")
        .doesNotContain("guest:guest");
    assertThat(Files.exists(dir.resolve("throughput-rabbitmq.md"))).isTrue();
    assertThat(databaseExists(database)).isFalse();
  }

  private record Run(int exit, String output) {}

  private Run bench(String database, String... sinkArgs) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "bench",
            "--mode",
            "throughput",
            "--mysql",
            TestDatabase.serverUrl(),
            "--user",
            TestDatabase.USER,
            "--password",
            TestDatabase.PASSWORD,
            "--database",
            database,
            "--rows",
            "400",
            "--baseline-rows",
            "40",
            "--sweep",
            "1x50",
            "--repeat",
            "1",
            "--progress",
            "1s",
            "--timeout",
            "2m",
            "--out",
            dir.toString()));
    args.addAll(List.of(sinkArgs));
    StringWriter out = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    int exit = cl.execute(args.toArray(String[]::new));
    return new Run(exit, out.toString());
  }

  private static String scratchName() {
    return ("it_bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24))
        .toLowerCase(Locale.ROOT);
  }

  private static boolean databaseExists(String name) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                TestDatabase.serverUrl(), TestDatabase.USER, TestDatabase.PASSWORD);
        ResultSet rs = c.getMetaData().getCatalogs()) {
      while (rs.next()) {
        if (name.equals(rs.getString(1))) {
          return true;
        }
      }
      return false;
    }
  }
}
