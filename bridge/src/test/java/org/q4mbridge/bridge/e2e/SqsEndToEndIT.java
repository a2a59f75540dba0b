package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.bridge.sink.sqs.SqsSink;
import org.q4mbridge.bridge.sink.sqs.SqsSinkOptions;
import org.q4mbridge.q4m.testing.TestDatabase;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Issue 4, "Must show": 20,000 rows each through the daemon to an SQS standard queue and to an SQS
 * FIFO queue on a real SQS-compatible server (ElasticMQ), read back by workers with ReceiveMessage
 * and DeleteMessage, matched by job number and by the {@code q4m-key} attribute. On the FIFO queue,
 * messages sent again — by a daemon that crashed with rows in flight and was started again, and by
 * publishing an already delivered batch once more — collapse to one message by deduplication id.
 */
@Tag(FaultReport.TAG)
class SqsEndToEndIT {
  private static final int JOBS = 20_000;
  private static final int ROWS_PER_INSERT = 100;
  private static final String SINK = "sqs-main";
  private static final Duration RUN_BOUND = Duration.ofMinutes(5);

  private static TestDatabase db;
  private static EmbeddedSqs sqs;
  private static LoopbackProxy proxy;
  private final List<Path> files = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabase.create("e2e_sqs");
    new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
    sqs = EmbeddedSqs.launch();
    proxy = LoopbackProxy.to(sqs.port());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (sqs != null) {
      sqs.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @AfterEach
  void deleteFiles() throws Exception {
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
  }

  private Path config(JobTable table, String queue, int port) throws Exception {
    Path f =
        RunningBridge.writeConfig(
            "database: { url: \""
                + db.url()
                + "\", user: "
                + TestDatabase.USER
                + (TestDatabase.PASSWORD.isEmpty() ? "" : ", password: " + TestDatabase.PASSWORD)
                + " }\n"
                + "sinks:\n"
                + EmbeddedSqs.sinkYaml(SINK, port)
                + "shutdown: { grace: 10s }\n"
                + "queues:\n"
                + "  - table: "
                + table.table()
                + "\n"
                + "    mode: emulated\n"
                + "    phase: cutover\n"
                // Straight to cutover: no shadow comparison exists to pass the gate with.
                + "    force: true\n"
                + "    sinks: ["
                + SINK
                + "]\n"
                + "    destination: \""
                + queue
                + "\"\n"
                + "    consumers: 4\n"
                + "    batchSize: 200\n"
                + (queue.endsWith(".fifo") ? "    mapping: { groupId: { column: grp } }\n" : ""));
    files.add(f);
    return f;
  }

  /** Records a received message by the job number in its body and its q4m-key attribute. */
  private static void record(Tally tally, String queueName, Message m) {
    MessageAttributeValue key = m.messageAttributes().get("q4m-key");
    assertThat(key).as("q4m-key attribute of %s", m.body()).isNotNull();
    assertThat(key.stringValue()).startsWith(queueName + ":");
    assertThat(m.messageAttributes().get("type").stringValue()).isEqualTo("email");
    tally.record(Tally.numberInEnvelope(m.body()), key.stringValue());
  }

  private static CompletableFuture<Void> produce(JobTable table) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            table.insert(0, JOBS, ROWS_PER_INSERT, JobTable.numbered(""));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void everyRowReachesTheStandardQueueWithItsKey() throws Exception {
    JobTable table = new JobTable(db, "std_jobs");
    String queue = "e2e-standard";
    sqs.createQueue(queue);
    Tally tally = new Tally();
    long started = System.nanoTime();
    try (EmbeddedSqs.Workers workers =
            sqs.workers(queue, 4, m -> record(tally, table.queueName(), m));
        RunningBridge bridge = RunningBridge.start(config(table, queue, sqs.port()))) {
      CompletableFuture<Void> producer = produce(table);
      await("all " + JOBS + " rows acknowledged")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> bridge.acknowledged(table.queueName()) >= JOBS);
      double forwarded = (System.nanoTime() - started) / 1e9;
      await("all " + JOBS + " jobs received from " + queue)
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> tally.distinct() == JOBS);
      double received = (System.nanoTime() - started) / 1e9;
      producer.get(10, TimeUnit.SECONDS);
      assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
      System.out.printf(
          Locale.ROOT,
          "SQS standard: %,d rows forwarded and acknowledged in %.1f s (%,.0f rows/s), all"
              + " received by 4 workers after %.1f s; sink confirmed %,d, unknown %,d, rejected"
              + " %,d; rows released for a retry %,d%n",
          JOBS,
          forwarded,
          JOBS / forwarded,
          received,
          bridge.confirmed(SINK),
          bridge.unknown(SINK),
          bridge.rejected(SINK),
          bridge.released(table.queueName()));
    }
    // What is still in the queue after the stop (late copies of a resend) counts too.
    drainInto(queue, tally, table.queueName());
    System.out.printf(
        Locale.ROOT,
        "SQS standard: %,d messages, %d duplicates (same key): %s%n",
        tally.messages(),
        tally.duplicates().size(),
        tally.duplicates().stream().limit(10).toList());
    assertThat(tally.missing(JOBS)).as("jobs never received").isEmpty();
    assertThat(tally.keyMismatches()).as("a job received under two keys").isEmpty();
    assertThat(table.remaining()).as("rows left in the table").isZero();
    assertThat(table.deadLetters()).as("dead letters").isEmpty();
  }

  @Test
  void fifoQueueCollapsesResendsToOneMessagePerKey() throws Exception {
    JobTable table = new JobTable(db, "fifo_jobs");
    String queue = "e2e-jobs.fifo";
    sqs.createQueue(queue);
    Tally tally = new Tally();
    List<Message> firstReceived = Collections.synchronizedList(new ArrayList<>());
    Path file = config(table, queue, proxy.port());
    long started = System.nanoTime();
    long ackedAtCrash;
    long inFlightAtCrash;
    long storedUnconfirmed;
    double forwarded;
    java.util.function.Consumer<Message> worker =
        m -> {
          record(tally, table.queueName(), m);
          if (firstReceived.size() < 200) {
            firstReceived.add(m);
          }
        };
    CompletableFuture<Void> producer = produce(table);

    // A crash while SQS holds messages it has not confirmed yet: the proxy lets the requests
    // through and keeps SQS's answers, the daemon crashes, the rows go back to the table.
    try (EmbeddedSqs.Workers workers = sqs.workers(queue, 4, worker);
        RunningBridge first = RunningBridge.start(file)) {
      await("a third of the jobs acknowledged")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> first.acknowledged(table.queueName()) >= JOBS / 3);
      int heldBefore = proxy.heldReplies();
      proxy.holdReplies();
      await("SQS answers held back for requests of rows in flight")
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> proxy.heldReplies() > heldBefore && first.inFlight(table.queueName()) > 0);
      inFlightAtCrash = first.inFlight(table.queueName());
      first.crash();
      ackedAtCrash = first.acknowledged(table.queueName());
    }
    proxy.releaseReplies(); // the answers go to the crashed daemon's closed connections
    // With the workers stopped, SQS has stored what they received plus what it still holds; what
    // exceeds the acknowledged rows was stored without the daemon learning of it, and those rows
    // will be sent again.
    storedUnconfirmed = tally.distinct() + sqs.backlog(queue) - ackedAtCrash;

    try (EmbeddedSqs.Workers workers = sqs.workers(queue, 4, worker);
        RunningBridge second = RunningBridge.start(file)) {
      await("all " + JOBS + " rows acknowledged")
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ackedAtCrash + second.acknowledged(table.queueName()) >= JOBS);
      forwarded = (System.nanoTime() - started) / 1e9;
      await("all " + JOBS + " jobs received from " + queue)
          .atMost(RUN_BOUND)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> tally.distinct() == JOBS);
      producer.get(10, TimeUnit.SECONDS);
      assertThat(second.stop()).isEqualTo(ExitCode.OK);
    }
    double received = (System.nanoTime() - started) / 1e9;
    drainInto(queue, tally, table.queueName());
    System.out.printf(
        Locale.ROOT,
        "SQS FIFO: %,d rows acknowledged in %.1f s (%,.0f rows/s, a crash included), all received by 4 workers after %.1f s; at the crash %,d rows"
            + " acknowledged and %,d in flight, of which %,d were already stored by SQS and were"
            + " sent again after the restart; received %,d messages, %d duplicates%n",
        JOBS,
        forwarded,
        JOBS / forwarded,
        received,
        ackedAtCrash,
        inFlightAtCrash,
        storedUnconfirmed,
        tally.messages(),
        tally.duplicates().size());
    FaultReport.record(
        new FaultReport.Outcome(
            "bridge crashed while SQS held its answers (FIFO queue), then restarted",
            "SqsEndToEndIT",
            "SQS FIFO (ElasticMQ)",
            JOBS,
            tally.distinct(),
            tally.duplicates().size(),
            tally.keyMismatches().size(),
            inFlightAtCrash,
            table.deadLetters().size(),
            received,
            String.format(
                Locale.ROOT,
                "%,d rows in flight at the crash, %,d of them stored unconfirmed and sent again",
                inFlightAtCrash,
                storedUnconfirmed)));
    assertThat(storedUnconfirmed).as("messages stored but not confirmed at the crash").isPositive();
    assertThat(tally.missing(JOBS)).as("jobs never received").isEmpty();
    assertThat(tally.duplicates()).as("duplicates in the FIFO queue").isEmpty();
    assertThat(tally.keyMismatches()).isEmpty();
    assertThat(table.remaining()).isZero();
    assertThat(table.deadLetters()).isEmpty();

    // The same delivered batch published again, twice, through a sink of its own: SQS confirms
    // every entry and delivers none, because the deduplication id comes from the key.
    List<OutboundMessage> again = new ArrayList<>();
    for (Message m : firstReceived) {
      again.add(
          new OutboundMessage(
              m.messageAttributes().get("q4m-key").stringValue(),
              queue,
              m.body(),
              Map.of(),
              Map.of("type", "email"),
              m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
              0));
    }
    try (SqsSink replay =
        new SqsSink(
            new SqsSinkOptions(
                "sqs-replay",
                EmbeddedSqs.REGION,
                sqs.endpoint(),
                null,
                EmbeddedSqs.ACCESS_KEY_ID,
                EmbeddedSqs.SECRET_ACCESS_KEY,
                null,
                Duration.ofSeconds(30),
                SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES,
                SqsSinkOptions.DEFAULT_MAX_CONCURRENCY))) {
      replay.start();
      for (int round = 0; round < 2; round++) {
        List<Verdict> verdicts =
            replay.publish(again).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(verdicts).hasSize(again.size()).containsOnly(Verdict.CONFIRMED);
      }
    }
    Tally replayed = new Tally();
    drainInto(queue, replayed, table.queueName());
    System.out.printf(
        Locale.ROOT,
        "SQS FIFO: %d delivered messages published twice more, confirmed; %d arrived%n",
        again.size(),
        replayed.messages());
    assertThat(again).hasSize(200);
    assertThat(replayed.messages()).as("replayed messages delivered").isZero();
  }

  /** Receives until a long poll of 2 s comes back empty (what a worker would still get). */
  private static void drainInto(String queue, Tally tally, String queueName) {
    List<Message> got;
    do {
      got = sqs.receiveAndDelete(queue, 2);
      got.forEach(m -> record(tally, queueName, m));
    } while (!got.isEmpty());
  }
}
