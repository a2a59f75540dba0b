package org.q4mbridge.bridge.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link Sink} promises the pump, checked against a real broker: one subclass per broker
 * (Redis Streams, SQS, RabbitMQ), each supplying the hooks below. The tests talk to the broker only
 * through the hooks, so they stay broker-neutral; broker-specific behaviour (trimming, routing,
 * FIFO groups) belongs in the subclass as extra tests.
 *
 * <p>Hooks a subclass must supply:
 *
 * <ul>
 *   <li>{@link #newSink(long)}: a sink on the shared test broker, not yet started.
 *   <li>{@link #newDestination()}: a destination no other test uses (random suffix).
 *   <li>{@link #readBack(String)}: what a consumer of the destination sees, in arrival order.
 *   <li>{@link #deleteDestination(String)}: remove it again; called after each test.
 *   <li>{@link #deduplicatesRedelivery()}: whether the broker drops a second copy of a message key.
 * </ul>
 *
 * and may supply {@link #expendableBroker()}, a private broker the outage tests stop, restart and
 * pause (never the shared one: other builds use it; without it those tests are skipped), override
 * {@link #keepsOrder()} for a destination without ordering (an SQS standard queue), {@link
 * #message} for a different mapping and {@link #assertArrivedIntact} when the broker carries a
 * message differently.
 *
 * <p>One instance serves all tests of a class ({@code PER_CLASS}), so a subclass may connect its
 * admin client and start its expendable broker in non-static {@code @BeforeAll} methods. Sinks made
 * through {@link #startedSink}/{@link #started} are closed and destinations made through {@link
 * #destination()} deleted after each test. Every wait is bounded; nothing sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SinkContract {

  /** How long a verdict may take when the broker is up; generous for a loaded CI machine. */
  protected static final Duration VERDICT_BOUND = Duration.ofSeconds(30);

  /**
   * What a consumer of a destination sees for one message.
   *
   * @param key the message key as the broker carries it (stream field, attribute, message-id)
   * @param body the body, or null when the broker carries fields instead (Redis Streams)
   * @param fields the other named values carried with the message (entry fields, attributes,
   *     headers), without the key; empty when there are none
   */
  public record Received(String key, String body, Map<String, String> fields) {}

  /**
   * A broker only this test class uses, which the outage tests may stop, start and pause. Data need
   * not survive a restart.
   */
  public interface ExpendableBroker {
    /** A sink on this broker, not yet started, answering within {@code publishTimeout}. */
    Sink newSink(Duration publishTimeout);

    /** A destination no other test uses. */
    String newDestination();

    /** What a consumer of {@code destination} sees, in arrival order. */
    List<Received> readBack(String destination);

    /** Stops the broker so that connections break and new ones are refused; returns when down. */
    void stop();

    /** Starts it again (idempotent); returns when it accepts connections. */
    void start();

    /** Whether {@link #pause()} is supported: the broker keeps connections but stops answering. */
    default boolean canPause() {
      return false;
    }

    /** Freezes the broker: bytes are accepted by the kernel, nothing is answered. */
    default void pause() {
      throw new UnsupportedOperationException();
    }

    /** Lets a paused broker process what it received meanwhile. */
    default void resume() {
      throw new UnsupportedOperationException();
    }
  }

  /** A sink on the shared broker, not yet started, that rejects entries above the given size. */
  protected abstract Sink newSink(long maxMessageBytes);

  /** A fresh destination on the shared broker, unique to the calling test. */
  protected abstract String newDestination();

  /** What arrived at {@code destination} on the shared broker, in arrival order. */
  protected abstract List<Received> readBack(String destination);

  /** Deletes a destination created by {@link #newDestination()}, and any dedup state for it. */
  protected abstract void deleteDestination(String destination);

  /** True when a second publish of the same message key leaves no second copy at the consumer. */
  protected abstract boolean deduplicatesRedelivery();

  /** Whether a destination delivers in publish order (false for an SQS standard queue). */
  protected boolean keepsOrder() {
    return true;
  }

  /** The private broker for outage tests; empty (the default) skips them. */
  protected Optional<ExpendableBroker> expendableBroker() {
    return Optional.empty();
  }

  /**
   * The message the tests publish as number {@code n}: a key stable for ({@code destination},
   * {@code n}), a JSON body, fields {@code type} and {@code payload} and an attribute {@code type},
   * as the default mapping produces them.
   */
  protected OutboundMessage message(String destination, int n, String payload) {
    String key = "shop.jobs:7:" + n;
    String body = "{\"type\":\"mail\",\"payload\":\"" + payload + "\"}";
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("type", "mail");
    fields.put("payload", payload);
    return new OutboundMessage(key, destination, body, fields, Map.of("type", "mail"), null, 0);
  }

  /** Asserts that what arrived is what was sent; override when the broker maps differently. */
  protected void assertArrivedIntact(OutboundMessage sent, Received got) {
    assertThat(got.key()).as("message key").isEqualTo(sent.key());
    if (got.body() != null) {
      assertThat(got.body()).as("body of %s", sent.key()).isEqualTo(sent.body());
    } else {
      assertThat(got.fields())
          .as("fields of %s", sent.key())
          .containsExactlyEntriesOf(sent.fields());
    }
  }

  private final List<Sink> sinks = new ArrayList<>();
  private final List<String> destinations = new ArrayList<>();
  private ExpendableBroker usedBroker;

  /** A started sink on the shared broker, closed after the test. */
  protected final Sink startedSink(long maxMessageBytes) throws SinkException {
    return started(newSink(maxMessageBytes));
  }

  /** Starts {@code sink} and closes it after the test. */
  protected final Sink started(Sink sink) throws SinkException {
    sinks.add(sink);
    sink.start();
    return sink;
  }

  /** A destination on the shared broker, deleted after the test. */
  protected final String destination() {
    String destination = newDestination();
    destinations.add(destination);
    return destination;
  }

  @AfterEach
  void closeSinksAndDeleteDestinations() {
    sinks.forEach(Sink::close);
    sinks.clear();
    destinations.forEach(this::deleteDestination);
    destinations.clear();
    if (usedBroker != null) {
      // A failed outage test must not leave the broker down for the next one.
      usedBroker.start();
      usedBroker = null;
    }
  }

  protected final List<OutboundMessage> batch(String destination, int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(n -> message(destination, n, "job " + n))
        .toList();
  }

  /** Waits (bounded) for the verdicts of one publish. */
  protected static List<Verdict> verdicts(Sink sink, List<OutboundMessage> batch) throws Exception {
    return verdicts(sink, batch, VERDICT_BOUND);
  }

  protected static List<Verdict> verdicts(Sink sink, List<OutboundMessage> batch, Duration bound)
      throws Exception {
    List<Verdict> verdicts =
        sink.publish(batch).toCompletableFuture().get(bound.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(verdicts).as("one verdict per message").hasSameSizeAs(batch);
    return verdicts;
  }

  private static Map<String, Long> countByKey(List<Received> received) {
    return received.stream().collect(Collectors.groupingBy(Received::key, Collectors.counting()));
  }

  @Test
  void everyMessageOfAConfirmedBatchArrivesIntactWithItsKey() throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    List<OutboundMessage> batch = batch(destination, 0, 20);

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    List<Received> received = readBack(destination);
    assertThat(received).hasSameSizeAs(batch);
    Map<String, Received> byKey =
        received.stream().collect(Collectors.toMap(Received::key, Function.identity()));
    for (OutboundMessage sent : batch) {
      assertThat(byKey).containsKey(sent.key());
      assertArrivedIntact(sent, byKey.get(sent.key()));
    }
  }

  @Test
  void anOversizeMessageIsRejectedForGoodWhileTheRestOfItsBatchIsConfirmed() throws Exception {
    Sink sink = startedSink(2048);
    String destination = destination();
    List<OutboundMessage> batch = new ArrayList<>(batch(destination, 0, 5));
    OutboundMessage oversize = message(destination, 2, "x".repeat(8192));
    batch.set(2, oversize);

    List<Verdict> verdicts = verdicts(sink, batch);

    assertThat(verdicts.get(2)).isInstanceOf(Verdict.Rejected.class);
    Verdict.Rejected rejected = (Verdict.Rejected) verdicts.get(2);
    assertThat(rejected.retriable()).as("retrying cannot shrink a message").isFalse();
    assertThat(rejected.reason()).contains("exceeds").contains("2048");
    assertThat(List.of(verdicts.get(0), verdicts.get(1), verdicts.get(3), verdicts.get(4)))
        .allMatch(Verdict::confirmed);
    assertThat(readBack(destination))
        .extracting(Received::key)
        .containsExactlyInAnyOrder(
            batch.get(0).key(), batch.get(1).key(), batch.get(3).key(), batch.get(4).key());
  }

  @Test
  void aBatchOf500ArrivesInBatchOrder() throws Exception {
    assumeTrue(keepsOrder(), "the destination does not keep order");
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    List<OutboundMessage> batch = batch(destination, 0, 500);

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    assertThat(readBack(destination))
        .extracting(Received::key)
        .containsExactlyElementsOf(batch.stream().map(OutboundMessage::key).toList());
  }

  @Test
  void batchesPublishedConcurrentlyAreAllConfirmedEachInItsOwnOrder() throws Exception {
    Sink sink = startedSink(1 << 20);
    int threads = 4;
    int batchesPerThread = 5;
    int batchSize = 50;
    List<String> perThread = IntStream.range(0, threads).mapToObj(i -> destination()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (String destination : perThread) {
        results.add(
            pool.submit(
                () -> {
                  boolean allConfirmed = true;
                  for (int b = 0; b < batchesPerThread; b++) {
                    List<OutboundMessage> batch = batch(destination, b * batchSize, batchSize);
                    allConfirmed &= verdicts(sink, batch).stream().allMatch(Verdict::confirmed);
                  }
                  return allConfirmed;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(VERDICT_BOUND.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    for (String destination : perThread) {
      List<String> sent =
          batch(destination, 0, batchesPerThread * batchSize).stream()
              .map(OutboundMessage::key)
              .toList();
      List<String> arrived = readBack(destination).stream().map(Received::key).toList();
      if (keepsOrder()) {
        assertThat(arrived).containsExactlyElementsOf(sent);
      } else {
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(sent);
      }
    }
  }

  @Test
  void publishingTheSameBatchAgainLeavesEachKeyOnceWhereTheBrokerDeduplicates() throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    List<OutboundMessage> batch = batch(destination, 0, 10);

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(verdicts(sink, batch))
        .as("a redelivery is confirmed too")
        .allMatch(Verdict::confirmed);

    Map<String, Long> copies = countByKey(readBack(destination));
    assertThat(copies.keySet())
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboundMessage::key).toList());
    if (deduplicatesRedelivery()) {
      assertThat(copies.values()).as("copies per key").containsOnly(1L);
    }
  }

  @Test
  void aBatchLeftUnansweredIsUnknownAndResendingItLeavesNoDuplicate() throws Exception {
    ExpendableBroker broker = expendableBrokerThatCanPause();
    Duration timeout = Duration.ofSeconds(1);
    Sink sink = started(broker.newSink(timeout));
    String destination = broker.newDestination();
    List<OutboundMessage> batch = batch(destination, 0, 10);

    List<Verdict> unanswered;
    broker.pause();
    try {
      unanswered = verdicts(sink, batch, timeout.multipliedBy(3).plusSeconds(5));
    } finally {
      broker.resume();
    }
    assertThat(unanswered).allMatch(v -> v instanceof Verdict.Unknown);

    // The broker may well have taken the first copies; that is what the key is for.
    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    Map<String, Long> copies = countByKey(broker.readBack(destination));
    assertThat(copies.keySet())
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboundMessage::key).toList());
    if (deduplicatesRedelivery()) {
      assertThat(copies.values()).as("copies per key").containsOnly(1L);
    }
  }

  @Test
  void whileTheBrokerIsDownTheSinkIsUnhealthyAndAnswersUnknownAtOnce() throws Exception {
    ExpendableBroker broker = expendableBrokerOrSkip();
    // A long timeout, so that answering in time proves the sink did not wait for it.
    Duration timeout = Duration.ofSeconds(30);
    Sink sink = started(broker.newSink(timeout));
    String destination = broker.newDestination();
    await().atMost(VERDICT_BOUND).until(sink::healthy);

    broker.stop();
    await().atMost(Duration.ofSeconds(15)).until(() -> !sink.healthy());

    long startNanos = System.nanoTime();
    List<Verdict> verdicts = verdicts(sink, batch(destination, 0, 5), Duration.ofSeconds(5));
    Duration answeredIn = Duration.ofNanos(System.nanoTime() - startNanos);

    assertThat(verdicts).allMatch(v -> v instanceof Verdict.Unknown);
    assertThat(answeredIn).isLessThan(timeout);
    assertThat(sink.healthy()).isFalse();
  }

  @Test
  void afterAnOutageTheSinkBecomesHealthyAgainAndConfirms() throws Exception {
    ExpendableBroker broker = expendableBrokerOrSkip();
    Sink sink = started(broker.newSink(Duration.ofSeconds(5)));
    await().atMost(VERDICT_BOUND).until(sink::healthy);
    broker.stop();
    await().atMost(Duration.ofSeconds(15)).until(() -> !sink.healthy());

    broker.start();
    await().atMost(VERDICT_BOUND).until(sink::healthy);

    String destination = broker.newDestination();
    List<OutboundMessage> batch = batch(destination, 0, 5);
    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(broker.readBack(destination))
        .extracting(Received::key)
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboundMessage::key).toList());
  }

  @Test
  void closeIsIdempotentAndAClosedSinkAnswersUnknown() throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    sink.close();
    sink.close();

    CompletableFuture<List<Verdict>> answer =
        sink.publish(batch(destination, 0, 3)).toCompletableFuture();

    assertThat(answer).isCompleted();
    assertThat(answer.join()).hasSize(3).allMatch(v -> v instanceof Verdict.Unknown);
    assertThat(sink.healthy()).isFalse();
  }

  private ExpendableBroker expendableBrokerOrSkip() {
    Optional<ExpendableBroker> broker = expendableBroker();
    assumeTrue(broker.isPresent(), "no expendable broker for outage tests");
    usedBroker = broker.get();
    return usedBroker;
  }

  private ExpendableBroker expendableBrokerThatCanPause() {
    ExpendableBroker broker = expendableBrokerOrSkip();
    assumeTrue(broker.canPause(), "the expendable broker cannot be paused");
    return broker;
  }
}
