package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Issue 4, "Must show": 20,000 rows through the daemon to a RabbitMQ queue bound to an exchange,
 * with the broker going away in the middle of the run and coming back. The shared broker is never
 * stopped: the bridge reaches it through a {@link LoopbackProxy}, and stopping the proxy cuts the
 * bridge's connection and refuses new ones — a broker outage as the bridge sees it. A worker reads
 * with basic.consume and manual acks; every job must arrive, and a job that arrives twice must
 * carry the same {@code message-id}.
 */
@Tag(FaultReport.TAG)
class RabbitMqEndToEndIT {
  private static final int JOBS = 20_000;
  private static final String SINK = "rabbit-main";
  private static final String ROUTING_KEY = "jobs";
  private static final Duration RUN_BOUND = Duration.ofMinutes(5);

  private static TestDatabase db;
  private static SharedRabbit rabbit;
  private static LoopbackProxy proxy;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("e2e_rabbit");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    rabbit = new SharedRabbit("e2e");
    proxy = LoopbackProxy.to(rabbit.port());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void everyRowArrivesAcrossABrokerOutageAndRepeatsKeepTheirMessageId() throws Exception {
    JobTable table = new JobTable(db, "jobs");
    String queue = rabbit.boundQueue(ROUTING_KEY);
    Path file =
        RunningBridge.writeConfig(
            "database: { url: \""
                + db.url()
                + "\", user: "
                + TestDatabase.USER
                + " }\n"
                + "sinks:\n"
                + rabbit.sinkYaml(SINK, proxy.port())
                + "shutdown: { grace: 10s }\n"
                + "queues:\n"
                + "  - table: jobs\n"
                + "    mode: emulated\n"
                + "    phase: cutover\n"
                + "    force: true\n"
                + "    sinks: ["
                + SINK
                + "]\n"
                + "    destination: "
                + ROUTING_KEY
                + "\n"
                + "    consumers: 4\n"
                + "    batchSize: 200\n");
    Tally tally = new Tally();
    long started = System.nanoTime();
    long ackedAtOutage;
    double outageSeconds;
    Channel worker =
        rabbit.consume(
            queue,
            (props, body) -> {
              assertThat(props.getMessageId()).startsWith(table.queueName() + ":");
              assertThat(props.getDeliveryMode()).isEqualTo(2);
              assertThat(props.getContentType()).isEqualTo("application/json");
              tally.record(Tally.numberInEnvelope(body), props.getMessageId());
            });
    try (RunningBridge bridge = RunningBridge.start(file)) {
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  table.insert(0, JOBS, 100, JobTable.numbered(ROUTING_KEY));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      await("a third of the jobs acknowledged")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> bridge.acknowledged(table.queueName()) >= JOBS / 3);

      // The broker goes away with publishes outstanding, and stays away about as long as a
      // restart takes: until the pump has held back 100 polls (4 consumers, one poll per 200 ms
      // each while the sink is unhealthy, so some 5 s).
      ackedAtOutage = bridge.acknowledged(table.queueName());
      long outage = System.nanoTime();
      proxy.stop();
      long heldBefore = bridge.backPressure(table.queueName());
      await("the pump holding back while the broker is away")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bridge.backPressure(table.queueName()) - heldBefore >= 100);
      proxy.start();
      outageSeconds = (System.nanoTime() - outage) / 1e9;

      await("all " + JOBS + " rows acknowledged")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bridge.acknowledged(table.queueName()) >= JOBS);
      double forwarded = (System.nanoTime() - started) / 1e9;
      await("all " + JOBS + " jobs received from " + queue)
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> tally.distinct() == JOBS);
      producer.get(10, TimeUnit.SECONDS);
      assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
      System.out.printf(
          Locale.ROOT,
          "RabbitMQ: %,d rows acknowledged in %.1f s (%,.0f rows/s) with a broker outage of"
              + " %.1f s after %,d rows; sink confirmed %,d, unknown %,d, rejected %,d; rows"
              + " released for a retry %,d; polls held back %,d%n",
          JOBS,
          forwarded,
          JOBS / forwarded,
          outageSeconds,
          ackedAtOutage,
          bridge.confirmed(SINK),
          bridge.unknown(SINK),
          bridge.rejected(SINK),
          bridge.released(table.queueName()),
          bridge.backPressure(table.queueName()));
    } finally {
      worker.close();
      Files.deleteIfExists(file);
    }
    System.out.printf(
        Locale.ROOT,
        "RabbitMQ: %,d messages received for %,d jobs; %d duplicates, each with the message-id of"
            + " its first copy: %s%n",
        tally.messages(),
        tally.distinct(),
        tally.duplicates().size(),
        tally.duplicates().stream().limit(20).toList());
    FaultReport.record(
        new FaultReport.Outcome(
            "RabbitMQ connection cut (TCP proxy) with publishes outstanding, then back",
            "RabbitMqEndToEndIT",
            "RabbitMQ (confirms)",
            JOBS,
            tally.distinct(),
            tally.duplicates().size(),
            tally.keyMismatches().size(),
            4 * 200,
            table.deadLetters().size(),
            (System.nanoTime() - started) / 1e9,
            String.format(
                Locale.ROOT,
                "away %.1f s after %,d rows; duplicates keep their message-id",
                outageSeconds,
                ackedAtOutage)));
    assertThat(tally.missing(JOBS)).as("jobs never received").isEmpty();
    assertThat(tally.keyMismatches()).as("a job received again under another message-id").isEmpty();
    assertThat(table.remaining()).as("rows left in the table").isZero();
    assertThat(table.deadLetters()).as("dead letters").isEmpty();
  }
}
