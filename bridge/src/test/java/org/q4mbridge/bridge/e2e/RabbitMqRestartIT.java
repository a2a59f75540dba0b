package org.q4mbridge.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.faults.FaultReport;
import org.q4mbridge.bridge.ops.BridgeSchema;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The fault of DESIGN.md §9 "the broker restarts", with a real RabbitMQ: the bridge forwards 20,000
 * jobs to a node of the test's own ({@link ThrowawayRabbitMq}; the shared broker is never stopped),
 * which is shut down cleanly once (SIGTERM: connections closed with CONNECTION_FORCED) and crashed
 * once (SIGKILL of its Erlang VM) and started again on the same data, each while jobs flow. The
 * exchange and the queue are durable and the messages persistent, and the broker confirms a
 * persistent message to a durable queue only once it is on disk: so whatever the bridge saw
 * confirmed (and deleted from MySQL) must still be in the queue after both restarts. Publishes
 * outstanding at a restart are answered Unknown and sent again: those are the only duplicates, and
 * they carry the message-id of their first copy. The queue is drained once, at the end, after the
 * last restart — every job must be in it.
 */
@Tag(FaultReport.TAG)
class RabbitMqRestartIT {
  private static final int JOBS = 20_000;
  private static final int PER_INSERT = 100;
  private static final long INSERT_EVERY_NANOS = 100_000_000L; // 1,000 jobs/s offered
  private static final int CONSUMERS = 4;
  private static final int BATCH = 200;
  private static final int GROWTH_BEFORE_RESTART = 4_000;
  private static final String SINK = "rabbit-restart";
  private static final String ROUTING_KEY = "jobs";
  private static final String EXCHANGE = "q4m-fault.restart";
  private static final String QUEUE = "q4m-fault.restart.jobs";

  private enum Restart {
    CLEAN,
    KILL
  }

  @Test
  void restartingRabbitMqWhileJobsFlowLosesNoJobAndRepeatsKeepTheirMessageId() throws Exception {
    long began = System.nanoTime();
    Path file = null;
    try (TestDatabase db = TestDatabase.create("rabbit_restart");
        ThrowawayRabbitMq rabbit = ThrowawayRabbitMq.launch()) {
      double firstStart = (System.nanoTime() - began) / 1e9;
      new BridgeSchema(db.url(), TestDatabase.USER, TestDatabase.PASSWORD, db.name()).migrate();
      JobTable table = new JobTable(db, "jobs");
      try (Connection admin = rabbit.connect("q4m-bridge fault test admin")) {
        Channel ch = admin.createChannel();
        ch.exchangeDeclare(EXCHANGE, BuiltinExchangeType.DIRECT, true, false, null);
        ch.queueDeclare(QUEUE, true, false, false, null);
        ch.queueBind(QUEUE, EXCHANGE, ROUTING_KEY);
      }
      file =
          RunningBridge.writeConfig(
              String.join(
                  "\n",
                  "database: { url: \"" + db.url() + "\", user: " + TestDatabase.USER + " }",
                  "sinks:",
                  "  "
                      + SINK
                      + ": { type: rabbitmq, uri: \""
                      + rabbit.uri()
                      + "\", exchange: \""
                      + EXCHANGE
                      + "\" }",
                  "shutdown: { grace: 10s }",
                  "queues:",
                  "  - table: jobs",
                  "    mode: emulated",
                  "    phase: cutover",
                  "    force: true",
                  "    sinks: [" + SINK + "]",
                  "    destination: " + ROUTING_KEY,
                  "    consumers: " + CONSUMERS,
                  "    batchSize: " + BATCH,
                  "    retry: { maxAttempts: 1000, backoff: 50ms..1s }",
                  ""));
      String queue = table.queueName();
      List<String> restarts = new ArrayList<>();
      double forwarded;
      try (RunningBridge bridge = RunningBridge.start(file)) {
        long producingFrom = System.nanoTime();
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    long next = System.nanoTime();
                    for (int from = 0; from < JOBS; from += PER_INSERT) {
                      table.insert(from, PER_INSERT, PER_INSERT, JobTable.numbered(ROUTING_KEY));
                      next += INSERT_EVERY_NANOS;
                      long wait = next - System.nanoTime();
                      if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait); // pacing
                      }
                    }
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
        for (Restart kind : List.of(Restart.CLEAN, Restart.KILL)) {
          long target = bridge.acknowledged(queue) + GROWTH_BEFORE_RESTART;
          // Lands with publishes outstanding (rows claimed and not yet settled), so that the
          // restart catches messages the broker may or may not have.
          await("the acknowledged count growing to " + target + " before the " + kind)
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofMillis(5))
              .until(() -> bridge.acknowledged(queue) >= target && bridge.inFlight(queue) > 0);
          long at = bridge.acknowledged(queue);
          long inFlight = bridge.inFlight(queue);
          long heldBefore = bridge.backPressure(queue);
          long downAt = System.nanoTime();
          if (kind == Restart.CLEAN) {
            rabbit.stop();
          } else {
            rabbit.kill();
          }
          double stopped = (System.nanoTime() - downAt) / 1e9;
          // Down until the bridge has noticed (the sink reports the connection lost and the pump
          // holds back), then up again.
          await("the bridge noticing that RabbitMQ is down after the " + kind)
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(20))
              .until(() -> !bridge.healthy(SINK) && bridge.backPressure(queue) > heldBefore);
          long startAt = System.nanoTime();
          rabbit.start();
          double started = (System.nanoTime() - startAt) / 1e9;
          await("the bridge reconnecting after the " + kind)
              .atMost(Duration.ofMinutes(1))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> bridge.healthy(SINK));
          restarts.add(
              String.format(
                  Locale.ROOT,
                  "%s at %,d acked (%d in flight): %s in %.1f s, node start %.1f s, bridge"
                      + " publishing again after %.1f s",
                  kind,
                  at,
                  inFlight,
                  kind == Restart.CLEAN ? "clean stop" : "SIGKILL",
                  stopped,
                  started,
                  (System.nanoTime() - downAt) / 1e9));
        }
        producing.get(2, TimeUnit.MINUTES);
        await("all " + JOBS + " rows acknowledged and the table empty")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptionsInstanceOf(SQLException.class)
            .until(() -> bridge.acknowledged(queue) >= JOBS && table.remaining() == 0);
        forwarded = (System.nanoTime() - producingFrom) / 1e9;
        assertThat(bridge.stop()).isEqualTo(ExitCode.OK);
        System.out.printf(
            Locale.ROOT,
            "RabbitMqRestartIT: node %s first start %.1f s; %s; %,d rows acknowledged in %.1f s;"
                + " sink confirmed %,d, unknown %,d, rejected %,d; released %,d; problems %,d;"
                + " polls held back %,d%n",
            rabbit.node(),
            firstStart,
            restarts,
            bridge.acknowledged(queue),
            forwarded,
            bridge.confirmed(SINK),
            bridge.unknown(SINK),
            bridge.rejected(SINK),
            bridge.released(queue),
            bridge.problems(queue),
            bridge.backPressure(queue));
      }

      // The bridge is stopped: the queue holds all it will ever hold. Drain it.
      Tally tally = new Tally();
      AtomicInteger badProperties = new AtomicInteger();
      long inQueue;
      try (Connection worker = rabbit.connect("q4m-bridge fault test worker")) {
        Channel ch = worker.createChannel();
        inQueue = ch.queueDeclarePassive(QUEUE).getMessageCount();
        ch.basicQos(1_000);
        ch.basicConsume(
            QUEUE,
            false,
            new DefaultConsumer(ch) {
              @Override
              public void handleDelivery(
                  String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                  throws java.io.IOException {
                if (props.getMessageId() == null
                    || !props.getMessageId().startsWith(queue + ":")
                    || !Integer.valueOf(2).equals(props.getDeliveryMode())) {
                  badProperties.incrementAndGet();
                }
                tally.record(
                    Tally.numberInEnvelope(new String(body, StandardCharsets.UTF_8)),
                    props.getMessageId());
                ch.basicAck(envelope.getDeliveryTag(), false);
              }
            });
        await("all " + inQueue + " messages in " + QUEUE + " received")
            .atMost(Duration.ofMinutes(1))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> tally.messages() >= inQueue);
      }
      long deadLetters = table.deadLetters().size();
      double seconds = (System.nanoTime() - began) / 1e9;
      FaultReport.record(
          new FaultReport.Outcome(
              "RabbitMQ restarted while forwarding: one clean stop, one SIGKILL of the broker VM",
              "RabbitMqRestartIT",
              "RabbitMQ (confirms)",
              JOBS,
              tally.distinct(),
              tally.duplicates().size(),
              tally.keyMismatches().size(),
              (long) CONSUMERS * BATCH * restarts.size(),
              deadLetters,
              seconds,
              String.join("; ", restarts)
                  + "; queue drained once at the end (durable queue, persistent messages)"));
      System.out.printf(
          Locale.ROOT,
          "RabbitMqRestartIT: produced %,d, delivered %,d, lost %,d, duplicated %,d (window %,d,"
              + " other message-id %d), dead letters %d; %,d messages in the queue after the"
              + " restarts; %.1f s in all; duplicates: %s%n",
          JOBS,
          tally.distinct(),
          Math.max(0, JOBS - tally.distinct() - deadLetters),
          tally.duplicates().size(),
          CONSUMERS * BATCH * restarts.size(),
          tally.keyMismatches().size(),
          deadLetters,
          inQueue,
          seconds,
          tally.duplicates().stream().limit(10).toList());
      assertThat(restarts).hasSize(2);
      assertThat(rabbit.starts()).isEqualTo(3);
      assertThat(tally.missing(JOBS)).as("jobs lost").isEmpty();
      assertThat(tally.keyMismatches())
          .as("a job received again under another message-id")
          .isEmpty();
      assertThat(tally.duplicates().size())
          .as("duplicates (at most the in-flight window per restart)")
          .isLessThanOrEqualTo(CONSUMERS * BATCH * restarts.size());
      assertThat(badProperties.get())
          .as("messages without a message-id of this queue or not persistent")
          .isZero();
      assertThat(table.deadLetters()).as("dead letters").isEmpty();
      assertThat(table.remaining()).as("rows left in the table").isZero();
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }
}
