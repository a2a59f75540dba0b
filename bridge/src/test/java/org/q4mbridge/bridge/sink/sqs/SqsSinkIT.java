package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;

/** The sink contract and SQS-specific behaviour on standard queues (ElasticMQ). */
class SqsSinkIT extends SqsSinkContract {

  @Override
  protected boolean fifo() {
    return false;
  }

  private static List<String> keys(List<OutboundMessage> batch) {
    return batch.stream().map(OutboundMessage::key).toList();
  }

  private static OutboundMessage withAttributes(
      String queue, String key, String body, Map<String, String> attributes) {
    return new OutboundMessage(key, queue, body, Map.of(), attributes, null, 0);
  }

  @Test
  void aThousandMessagesAllArriveEachWithItsKeyAttribute() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    List<OutboundMessage> batch = batch(queue, 0, 1000);

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    List<Received> arrived = readBack(queue);
    assertThat(arrived).extracting(Received::key).containsExactlyInAnyOrderElementsOf(keys(batch));
    assertThat(arrived).allSatisfy(r -> assertThat(r.fields()).containsEntry("type", "mail"));
  }

  @Test
  void batchesBeyondTenEntriesOr256KiBPerRequestAreSplitAndEveryMessageArrivesIntact()
      throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    // 30 messages of ~60 KB: about 1.8 MB, so both the entry and the byte limit split the batch.
    List<OutboundMessage> batch =
        IntStream.range(0, 30)
            .mapToObj(n -> message(queue, n, n + ":" + "x".repeat(60_000)))
            .toList();

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    Map<String, Received> byKey =
        readBack(queue).stream().collect(Collectors.toMap(Received::key, Function.identity()));
    assertThat(byKey).hasSize(30);
    for (OutboundMessage sent : batch) {
      assertThat(byKey.get(sent.key()).body()).isEqualTo(sent.body());
    }
  }

  @Test
  void aMessageOfExactlyTheLimitIsSentAndOneByteMoreIsRejectedForGood() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    long limit = SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES;
    String key = "shop.jobs:7:1";
    long attributes =
        EntryEncoder.attributeBytes(EntryEncoder.KEY_ATTRIBUTE, key)
            + EntryEncoder.attributeBytes("type", "mail");
    String fits = "y".repeat((int) (limit - attributes));
    OutboundMessage atLimit = withAttributes(queue, key, fits, Map.of("type", "mail"));
    OutboundMessage over =
        withAttributes(queue, "shop.jobs:7:2", fits + "y", Map.of("type", "mail"));

    List<Verdict> verdicts = verdicts(sink, List.of(atLimit, over));

    assertThat(verdicts.get(0)).isEqualTo(Verdict.CONFIRMED);
    assertThat(verdicts.get(1))
        .isEqualTo(
            Verdict.rejected(
                "oversize: message of "
                    + (limit + 1)
                    + " bytes (body and attributes) exceeds the limit of "
                    + limit
                    + " bytes",
                false));
    assertThat(readBack(queue)).extracting(Received::key).containsExactly(key);
  }

  @Test
  void theKeyAndNineMoreAttributesArriveAsStringAttributesAndTheRestAreDropped() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 1; i <= 12; i++) {
      attributes.put(String.format("a%02d", i), "v" + i);
    }
    attributes.put("empty", "");

    List<Verdict> verdicts =
        verdicts(sink, List.of(withAttributes(queue, "shop.jobs:7:1", "{}", attributes)));

    assertThat(verdicts).containsExactly(Verdict.CONFIRMED);
    Received got = readBack(queue).get(0);
    assertThat(got.key()).isEqualTo("shop.jobs:7:1");
    assertThat(got.fields())
        .containsOnlyKeys("a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09")
        .containsEntry("a09", "v9");
  }

  @Test
  void messagesSqsCouldNeverTakeAreRejectedForGoodAndTheRestOfTheBatchArrives() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    List<OutboundMessage> batch = new ArrayList<>(batch(queue, 0, 4));
    batch.set(1, withAttributes(queue, "shop.jobs:7:1", "", Map.of()));
    batch.set(2, withAttributes(queue, "shop.jobs:7:2", "{}", Map.of("bad name", "v")));
    batch.add(withAttributes("not a queue!", "shop.jobs:7:4", "{}", Map.of()));

    List<Verdict> verdicts = verdicts(sink, batch);

    assertThat(verdicts.get(0)).isEqualTo(Verdict.CONFIRMED);
    assertThat(verdicts.get(3)).isEqualTo(Verdict.CONFIRMED);
    for (int i : new int[] {1, 2, 4}) {
      assertThat(verdicts.get(i)).isInstanceOf(Verdict.Rejected.class);
      assertThat(((Verdict.Rejected) verdicts.get(i)).retriable()).isFalse();
    }
    assertThat(((Verdict.Rejected) verdicts.get(1)).reason()).startsWith("empty body");
    assertThat(((Verdict.Rejected) verdicts.get(2)).reason())
        .startsWith("attribute name 'bad name' is not allowed by SQS");
    assertThat(readBack(queue))
        .extracting(Received::key)
        .containsExactlyInAnyOrder(batch.get(0).key(), batch.get(3).key());
  }

  @Test
  void aBodySqsRefusesIsRejectedForGoodWithSqsReasonAndTheOthersArrive() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();
    List<OutboundMessage> batch = new ArrayList<>(batch(queue, 0, 5));
    // U+0001 is outside the characters SQS allows in a message body.
    batch.set(3, withAttributes(queue, "shop.jobs:7:3", "bad \u0001 body", Map.of()));

    List<Verdict> verdicts = verdicts(sink, batch);

    assertThat(verdicts.get(3)).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) verdicts.get(3)).retriable()).isFalse();
    assertThat(((Verdict.Rejected) verdicts.get(3)).reason()).contains("InvalidMessageContents");
    assertThat(List.of(verdicts.get(0), verdicts.get(1), verdicts.get(2), verdicts.get(4)))
        .allMatch(Verdict::confirmed);
    assertThat(readBack(queue)).hasSize(4);
  }

  @Test
  void oneBatchForSeveralQueuesReachesEachQueue() throws Exception {
    SqsSink sink = startedSqsSink();
    String first = destination();
    String second = destination();
    List<OutboundMessage> batch = new ArrayList<>();
    for (int n = 0; n < 25; n++) {
      batch.add(message(n % 2 == 0 ? first : second, n, "job " + n));
    }

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);

    assertThat(readBack(first))
        .extracting(Received::key)
        .containsExactlyInAnyOrderElementsOf(
            keys(batch.stream().filter(m -> m.destination().equals(first)).toList()));
    assertThat(readBack(second)).hasSize(12);
  }

  @Test
  void publishingToAQueueThatDoesNotExistIsARetriableRejectionNamingQueueAndEndpoint()
      throws Exception {
    SqsSink sink = startedSqsSink();

    List<Verdict> verdicts = verdicts(sink, batch("no-such-queue", 0, 3));

    assertThat(verdicts)
        .containsOnly(
            Verdict.rejected(
                "queue 'no-such-queue' does not exist at " + elasticMq.endpoint(), true));
    assertThat(sink.healthy()).as("SQS answered, so the sink is healthy").isTrue();
  }

  @Test
  void probePassesForExistingQueuesAndNamesAMissingOneInOneLine() throws Exception {
    SqsSink sink = startedSqsSink();
    String queue = destination();

    sink.probe(List.of(queue, queue));

    assertThatThrownBy(() -> sink.probe(List.of(queue, "jobs")))
        .isInstanceOf(SinkException.class)
        .hasMessage(
            "sqs-test: queue 'jobs' does not exist at "
                + elasticMq.endpoint()
                + " (create it, or check region/endpoint)");
    assertThatThrownBy(() -> sink.probe(List.of("jobs queue")))
        .isInstanceOf(SinkException.class)
        .hasMessageStartingWith("sqs-test: 'jobs queue' is not an SQS queue name");
  }

  @Test
  void withAQueueUrlPrefixMessagesArriveAndProbeStillNamesAMissingQueue() throws Exception {
    String queue = destination();
    String url = elasticMq.url(queue);
    String prefix = url.substring(0, url.lastIndexOf('/') + 1);
    SqsSink sink =
        (SqsSink)
            started(
                new SqsSink(
                    elasticMq
                        .options(
                            "sqs-test", PUBLISH_TIMEOUT, SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES)
                        .withQueueUrlPrefix(prefix)));

    sink.probe(List.of(queue));
    assertThatThrownBy(() -> sink.probe(List.of("jobs")))
        .hasMessage(
            "sqs-test: queue 'jobs' does not exist at "
                + elasticMq.endpoint()
                + " (create it, or check region/endpoint)");
    List<OutboundMessage> batch = batch(queue, 0, 15);
    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(readBack(queue))
        .extracting(Received::key)
        .containsExactlyInAnyOrderElementsOf(keys(batch));
  }

  @Test
  void startWhereNothingListensFailsInOneLineWithoutTheSecret() throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:" + freePort());
    SqsSink sink =
        new SqsSink(
            ElasticMq.options(
                "sqs-nowhere",
                nowhere,
                Duration.ofSeconds(5),
                SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES));
    try {
      assertThatThrownBy(sink::start)
          .isInstanceOf(SinkException.class)
          .hasMessageStartingWith("sqs-nowhere: cannot reach SQS at " + nowhere + ": ")
          .hasMessageContaining("Connection refused")
          .hasMessageNotContaining(ElasticMq.SECRET_ACCESS_KEY)
          .hasMessageNotContaining("\n");
      assertThat(sink.healthy()).isFalse();
      assertThat(sink.options().toString()).doesNotContain(ElasticMq.SECRET_ACCESS_KEY);
    } finally {
      sink.close();
    }
  }

  @Test
  void startIsIdempotentAndASinkNeverStartedAnswersUnknown() throws Exception {
    SqsSink notStarted =
        new SqsSink(
            elasticMq.options(
                "sqs-idle", PUBLISH_TIMEOUT, SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES));
    assertThat(notStarted.publish(batch("q", 0, 2)).toCompletableFuture().join())
        .containsOnly(Verdict.unknown("sink not started"));
    notStarted.close();
    assertThatThrownBy(notStarted::start).hasMessage("sqs-idle: the sink is closed");

    SqsSink sink = startedSqsSink();
    sink.start();
    String queue = destination();
    assertThat(verdicts(sink, batch(queue, 0, 2))).allMatch(Verdict::confirmed);
  }

  @Test
  void closeWhileSqsHangsAnswersTheOpenPublishUnknownWithinTheCloseBound() throws Exception {
    ThrowawayElasticMq broker = throwaway();
    SqsSink sink = (SqsSink) started(broker.newSink(Duration.ofSeconds(60)));
    String queue = broker.newDestination();
    broker.pause();
    try {
      CompletableFuture<List<Verdict>> open =
          sink.publish(batch(queue, 0, 3)).toCompletableFuture();

      sink.close();

      assertThat(open.get(10, TimeUnit.SECONDS)).allMatch(v -> v instanceof Verdict.Unknown);
    } finally {
      broker.resume();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
