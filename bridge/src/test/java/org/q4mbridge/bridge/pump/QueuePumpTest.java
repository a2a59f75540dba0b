package org.q4mbridge.bridge.pump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.q4m.QueueSourceException;

class QueuePumpTest {
  private final FakeQueue queue = new FakeQueue();
  private final ScriptedSink main = new ScriptedSink("main");
  private final ScriptedSink second = new ScriptedSink("second");
  private final ScriptedSink trial = new ScriptedSink("trial");
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final List<QueuePump> pumps = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (QueuePump p : pumps) {
      p.forceStop();
      p.awaitStopped(Duration.ofSeconds(10));
    }
  }

  private QueuePump pump(
      int consumers, int batch, boolean ordered, int maxAttempts, List<Sink> req, List<Sink> best) {
    return pump(consumers, batch, 0, ordered, maxAttempts, req, best);
  }

  private QueuePump pump(
      int consumers,
      int batch,
      long maxBatchBytes,
      boolean ordered,
      int maxAttempts,
      List<Sink> req,
      List<Sink> best) {
    QueuePump p =
        new QueuePump(
            new QueuePump.Settings(
                "jobs",
                consumers,
                batch,
                ordered,
                Duration.ofMillis(50),
                Duration.ofMillis(300),
                new RetryPolicy(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(5)),
                "jobs",
                0,
                maxBatchBytes),
            queue::source,
            new RowMapper(Mapping.defaults(), ZoneId.of("UTC")),
            req,
            best,
            PumpListener.NONE,
            fatal::set);
    pumps.add(p);
    p.start();
    return p;
  }

  private static Duration bound() {
    return Duration.ofSeconds(20);
  }

  @Test
  void rowIsAckedOnlyAfterEveryRequiredSinkConfirmed() {
    second.script = m -> Verdict.unknown("broker slow");
    queue.add("email", "{\"to\":\"a@example.com\"}");
    pump(1, 10, false, 1000, List.of(main, second), List.of());
    await().atMost(bound()).until(() -> main.received.size() >= 3);
    assertThat(queue.size()).as("second sink never confirmed: row stays").isEqualTo(1);
    second.script = m -> Verdict.CONFIRMED;
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(second.received).hasSize(1);
  }

  @Test
  void largeRowsAreClaimedFewAtATimeSoAClaimStaysWithinMaxBatchBytes() {
    String large = "{\"blob\":\"" + "x".repeat(2000) + "\"}"; // ~2 KB messages
    for (int i = 0; i < 200; i++) {
      queue.add("email", large);
    }
    pump(1, 100, 8 << 10, false, 5, List.of(main), List.of());

    await().atMost(bound()).until(() -> queue.size() == 0);

    assertThat(main.received).hasSize(200);
    List<Integer> sizes = List.copyOf(queue.claimSizes);
    assertThat(sizes.get(0)).as("first claim, sizes unknown").isEqualTo(ClaimSizer.FIRST_CLAIM);
    assertThat(sizes.subList(1, sizes.size()))
        .as("then no more than 8 KiB of ~2 KB messages per claim")
        .allMatch(n -> n <= 4);
  }

  @Test
  void bestEffortSinkFailuresNeverHoldTheAck() {
    trial.neverAnswer = true;
    for (int i = 0; i < 50; i++) {
      queue.add("email", "{}");
    }
    pump(2, 10, false, 5, List.of(main), List.of(trial));
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(main.received).hasSize(50);
  }

  @Test
  void nonRetriableRejectionIsDeadLetteredAtOnceWithItsReason() {
    main.script =
        m -> m.body().contains("poison") ? Verdict.rejected("NO_ROUTE", false) : Verdict.CONFIRMED;
    queue.add("email", "{}");
    long bad = queue.add("email", "{\"poison\":1}");
    queue.add("email", "{}");
    pump(1, 10, false, 5, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(queue.deadLetters).containsOnlyKeys(bad);
    assertThat(queue.deadLetters.get(bad).reason()).isEqualTo("main rejected: NO_ROUTE");
    assertThat(queue.deadLetters.get(bad).attempts()).isEqualTo(1);
    assertThat(main.received).hasSize(2);
  }

  @Test
  void retriableFailuresAreRetriedUpToMaxAttemptsThenDeadLettered() {
    AtomicInteger tries = new AtomicInteger();
    main.script =
        m -> {
          tries.incrementAndGet();
          return Verdict.rejected("OOM command not allowed", true);
        };
    long id = queue.add("email", "{}");
    pump(1, 10, false, 3, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.deadLetters.containsKey(id));
    assertThat(tries.get()).isEqualTo(3);
    assertThat(queue.deadLetters.get(id).reason())
        .isEqualTo("gave up after 3 attempts: main rejected: OOM command not allowed");
    assertThat(queue.deadLetters.get(id).attempts()).isEqualTo(3);
  }

  @Test
  void anUnmappableRowIsDeadLetteredWhileTheRestOfTheQueueFlows() {
    queue.add("email", "{}");
    long bad = queue.add(null, null);
    FakeQueue q = queue;
    q.add("email", "{}");
    // A raw-body mapping cannot send a NULL body.
    QueuePump p =
        new QueuePump(
            new QueuePump.Settings(
                "jobs",
                1,
                10,
                false,
                Duration.ofMillis(50),
                Duration.ofMillis(300),
                RetryPolicy.defaults(),
                "jobs",
                0,
                0),
            queue::source,
            new RowMapper(
                new Mapping(
                    null,
                    null,
                    Mapping.Body.RAW,
                    "payload",
                    false,
                    List.of(),
                    null,
                    null,
                    null,
                    null),
                ZoneId.of("UTC")),
            List.of(main),
            List.of(),
            PumpListener.NONE,
            fatal::set);
    pumps.add(p);
    p.start();
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(queue.deadLetters.get(bad).reason())
        .startsWith("unmappable: column payload is NULL");
    assertThat(main.received).hasSize(2);
  }

  @Test
  void aRowLargerThanTheSinkAcceptsIsDeadLetteredAsOversize() {
    main.maxBytes = 100;
    long big = queue.add("email", "{\"blob\":\"" + "x".repeat(500) + "\"}");
    queue.add("email", "{}");
    pump(1, 10, false, 5, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(queue.deadLetters.get(big).reason())
        .startsWith("oversize: message of ")
        .endsWith("exceeds the limit of 100 bytes");
    assertThat(main.received).hasSize(1);
  }

  @Test
  void orderedQueuesReachTheBrokerInRowOrderDespiteFailures() {
    main.failTail = true;
    AtomicInteger calls = new AtomicInteger();
    main.script =
        m -> {
          // every 7th answer is a retriable failure
          return calls.incrementAndGet() % 7 == 0 ? Verdict.unknown("timeout") : Verdict.CONFIRMED;
        };
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      ids.add(queue.add("email", "{\"n\":" + i + "}"));
    }
    pump(1, 10, true, 1000, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(queue.ackOrder).containsExactlyElementsOf(ids);
    // A timeout or disconnect fails a message and everything after it in the pipeline, so the
    // broker receives every row for the first time in row order.
    List<String> firstCopies = main.received.stream().map(OutboundMessage::key).distinct().toList();
    assertThat(firstCopies)
        .containsExactlyElementsOf(ids.stream().map(id -> "app.jobs:0:" + id).toList());
  }

  @Test
  void anUnhealthySinkStopsClaimingAndTheBacklogStaysInTheQueue() {
    main.healthy = false;
    for (int i = 0; i < 20; i++) {
      queue.add("email", "{}");
    }
    QueuePump p = pump(2, 5, false, 5, List.of(main), List.of());
    await().during(Duration.ofMillis(300)).atMost(bound()).until(() -> queue.claims == 0);
    assertThat(queue.size()).isEqualTo(20);
    assertThat(p.inFlight()).isZero();
    main.healthy = true;
    await().atMost(bound()).until(() -> queue.size() == 0);
  }

  @Test
  void stopSettlesWhatIsInFlightAndLeavesNothingClaimed() throws Exception {
    main.script = m -> Verdict.unknown("slow");
    for (int i = 0; i < 30; i++) {
      queue.add("email", "{}");
    }
    QueuePump p = pump(3, 5, false, 1000, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.claims > 3);
    p.requestStop();
    assertThat(p.awaitStopped(Duration.ofSeconds(10))).isTrue();
    assertThat(queue.ownedCount()).isZero();
    assertThat(queue.size()).isEqualTo(30);
  }

  @Test
  void aMissingTableIsFatalWithItsMessage() {
    QueuePump p =
        new QueuePump(
            new QueuePump.Settings(
                "jobs",
                1,
                10,
                false,
                Duration.ofMillis(50),
                Duration.ofMillis(300),
                RetryPolicy.defaults(),
                "jobs",
                0,
                0),
            () -> {
              throw new QueueSourceException(
                  QueueSourceException.Kind.UNKNOWN_TABLE,
                  "queue table 'jobs' does not exist in database 'app'");
            },
            new RowMapper(Mapping.defaults(), ZoneId.of("UTC")),
            List.of(main),
            List.of(),
            PumpListener.NONE,
            fatal::set);
    pumps.add(p);
    p.start();
    await().atMost(bound()).until(() -> fatal.get() != null);
    assertThat(fatal.get()).hasMessageContaining("does not exist in database 'app'");
  }

  @Test
  void aSinkThatAnswersNothingNeverUsesUpAttempts() {
    main.neverAnswer = true;
    queue.add("email", "{}");
    pump(1, 10, false, 2, List.of(main), List.of());
    await().atMost(bound()).until(() -> queue.claims >= 4);
    assertThat(queue.deadLetters).as("a hanging broker must not dead-letter good rows").isEmpty();
    main.neverAnswer = false;
    await().atMost(bound()).until(() -> queue.size() == 0);
    assertThat(queue.deadLetters).isEmpty();
    assertThat(main.received).hasSize(1);
  }
}
