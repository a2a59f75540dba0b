package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Issue 4, "Must show": a message RabbitMQ cannot route and a message too large for SQS are
 * dead-lettered with the reason in {@code q4m_dead_letter.reason}, and the rest of each queue keeps
 * flowing past them. One daemon runs both queues: {@code routed_jobs} to RabbitMQ with the routing
 * key taken from the row's {@code route} column ({@code mapping.routingKeyColumn}), where one row
 * names a key no queue is bound for; {@code sized_jobs} to SQS (ElasticMQ), where one row's payload
 * is larger than SQS's 256 KiB.
 */
class DeadLetterRoutingIT {
  private static final int JOBS = 5_000;
  private static final int POISON = 2_500;
  private static final String BOUND_KEY = "jobs.ok";
  private static final String UNBOUND_KEY = "jobs.nowhere";
  private static final Duration RUN_BOUND = Duration.ofMinutes(3);

  private static TestDatabase db;
  private static SharedRabbit rabbit;
  private static EmbeddedSqs sqs;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("e2e_dlq");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    rabbit = new SharedRabbit("dlq");
    sqs = EmbeddedSqs.launch();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (sqs != null) {
      sqs.close();
    }
    if (rabbit != null) {
      rabbit.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void unroutableAndOversizeRowsAreDeadLetteredWithTheReasonWhileTheRestFlows() throws Exception {
    JobTable routed = new JobTable(db, "routed_jobs");
    JobTable sized = new JobTable(db, "sized_jobs");
    String rabbitQueue = rabbit.boundQueue(BOUND_KEY);
    String sqsQueue = "e2e-sized";
    sqs.createQueue(sqsQueue);
    routed.insert(
        0,
        JOBS,
        500,
        n ->
            new JobTable.Job(
                "email", "{\"n\":" + n + "}", "g0", n == POISON ? UNBOUND_KEY : BOUND_KEY));
    String blob = "x".repeat(300_000);
    sized.insert(
        0,
        JOBS,
        50,
        n ->
            new JobTable.Job(
                "email",
                n == POISON ? "{\"n\":" + n + ",\"blob\":\"" + blob + "\"}" : "{\"n\":" + n + "}",
                "g0",
                ""));
    Path file =
        RunningBridge.writeConfig(
            "database: { url: \""
                + db.url()
                + "\", user: "
                + TestDatabase.USER
                + " }\n"
                + "sinks:\n"
                + rabbit.sinkYaml("rabbit-main", rabbit.port())
                + EmbeddedSqs.sinkYaml("sqs-main", sqs.port())
                + "shutdown: { grace: 10s }\n"
                + "queues:\n"
                + "  - table: routed_jobs\n"
                + "    mode: emulated\n"
                + "    phase: cutover\n"
                + "    force: true\n"
                + "    sinks: [rabbit-main]\n"
                + "    consumers: 4\n"
                + "    batchSize: 200\n"
                + "    mapping: { routingKeyColumn: route }\n"
                + "  - table: sized_jobs\n"
                + "    mode: emulated\n"
                + "    phase: cutover\n"
                + "    force: true\n"
                + "    sinks: [sqs-main]\n"
                + "    destination: "
                + sqsQueue
                + "\n"
                + "    consumers: 4\n"
                + "    batchSize: 200\n");
    Tally rabbitTally = new Tally();
    Tally sqsTally = new Tally();
    long started = System.nanoTime();
    Channel rabbitWorker =
        rabbit.consume(
            rabbitQueue,
            (props, body) ->
                rabbitTally.record(Tally.numberInEnvelope(body), props.getMessageId()));
    try (EmbeddedSqs.Workers sqsWorkers =
            sqs.workers(
                sqsQueue,
                2,
                m ->
                    sqsTally.record(
                        Tally.numberInEnvelope(m.body()),
                        m.messageAttributes().get("q4m-key").stringValue()));
        RunningBridge bridge = RunningBridge.start(file)) {
      await("every other job received from both brokers")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> rabbitTally.distinct() == JOBS - 1 && sqsTally.distinct() == JOBS - 1);
      await("both poison rows settled")
          .atMost(Duration.ofSeconds(30))
          .until(() -> routed.remaining() == 0 && sized.remaining() == 0);
      double seconds = (System.nanoTime() - started) / 1e9;
      assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
      System.out.printf(
          Locale.ROOT,
          "dead letters: %,d + %,d rows through RabbitMQ and SQS in %.1f s; dead-lettered %d and"
              + " %d; received %,d and %,d jobs%n",
          JOBS,
          JOBS,
          seconds,
          bridge.deadLettered(routed.queueName()),
          bridge.deadLettered(sized.queueName()),
          rabbitTally.distinct(),
          sqsTally.distinct());
    } finally {
      rabbitWorker.close();
      Files.deleteIfExists(file);
    }

    List<JobTable.DeadLetter> unroutable = routed.deadLetters();
    List<JobTable.DeadLetter> oversize = sized.deadLetters();
    System.out.println("dead letter (RabbitMQ): " + reasonOf(unroutable));
    System.out.println("dead letter (SQS):      " + reasonOf(oversize));
    assertThat(unroutable).hasSize(1);
    assertThat(unroutable.get(0).reason()).contains("unroutable").contains(UNBOUND_KEY);
    assertThat(unroutable.get(0).attempts()).as("not retried: unroutable is final").isEqualTo(1);
    assertThat(unroutable.get(0).columnsJson()).contains("\\\"n\\\":" + POISON);
    assertThat(oversize).hasSize(1);
    assertThat(oversize.get(0).reason()).contains("oversize");
    assertThat(oversize.get(0).attempts()).isEqualTo(1);
    assertThat(oversize.get(0).columnsJson()).contains("\\\"n\\\":" + POISON);

    // Every other job arrived, the ones after the poison row included.
    assertThat(rabbitTally.missing(JOBS)).containsExactly(POISON);
    assertThat(sqsTally.missing(JOBS)).containsExactly(POISON);
    assertThat(rabbitTally.duplicates()).isEmpty();
    assertThat(sqsTally.duplicates()).isEmpty();
  }

  private static String reasonOf(List<JobTable.DeadLetter> letters) {
    return letters.isEmpty()
        ? "(none)"
        : letters.get(0).messageKey()
            + " after "
            + letters.get(0).attempts()
            + " attempt(s): "
            + letters.get(0).reason();
  }
}
