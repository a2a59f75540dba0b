package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * How the sink maps what SQS answers to verdicts and health, with a scripted client: answers a real
 * server cannot be made to give on demand. Behaviour that lives in the server is in {@link
 * SqsSinkIT} and {@link SqsFifoSinkIT}.
 */
class SqsSinkTest {
  private final List<SqsSink> sinks = new ArrayList<>();

  @AfterEach
  void closeSinks() {
    sinks.forEach(SqsSink::close);
  }

  private SqsSink started(ScriptedSqsClient client) throws Exception {
    return started(client, null);
  }

  private SqsSink started(ScriptedSqsClient client, String queueUrlPrefix) throws Exception {
    SqsSinkOptions options =
        new SqsSinkOptions(
            "sqs-scripted",
            "eu-west-1",
            URI.create("http://127.0.0.1:1"),
            queueUrlPrefix,
            "id",
            "secret",
            null,
            Duration.ofSeconds(10),
            SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES,
            2);
    // No background checks: health here follows the scripted answers alone.
    SqsSink sink = new SqsSink(options, (o, credentials) -> client, Duration.ofHours(1));
    sinks.add(sink);
    sink.start();
    return sink;
  }

  private static List<OutboundMessage> batch(String queue, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            n ->
                new OutboundMessage(
                    "shop.jobs:7:" + n, queue, "{\"n\":" + n + "}", Map.of(), Map.of(), null, 0))
        .toList();
  }

  private static List<Verdict> publish(SqsSink sink, List<OutboundMessage> batch) throws Exception {
    return sink.publish(batch).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void entryFailuresAreRejectedForGoodOnlyWhenTheSenderIsAtFault() throws Exception {
    ScriptedSqsClient client =
        new ScriptedSqsClient(
            request -> {
              List<SendMessageBatchRequestEntry> e = request.entries();
              return SendMessageBatchResponse.builder()
                  .successful(
                      ScriptedSqsClient.allSucceed(request.toBuilder().entries(e.get(0)).build())
                          .successful())
                  .failed(
                      ScriptedSqsClient.failed(e.get(1), true),
                      ScriptedSqsClient.failed(e.get(2), false))
                  .build(); // entry 3: SQS said nothing about it
            });
    SqsSink sink = started(client);

    List<Verdict> verdicts = publish(sink, batch("jobs", 4));

    assertThat(verdicts)
        .containsExactly(
            Verdict.CONFIRMED,
            Verdict.rejected("InvalidParameterValue: entry 1", false),
            Verdict.rejected("InternalError: entry 2", true),
            Verdict.unknown("SQS answered without a result for this entry"));
  }

  @Test
  void aWholeRequestRefusedIsRetriedEntryByEntrySoOnlyTheBadEntryIsRejected() throws Exception {
    ScriptedSqsClient client =
        new ScriptedSqsClient(
            request -> {
              boolean hasBad =
                  request.entries().stream().anyMatch(e -> e.messageBody().contains("\"n\":1}"));
              if (hasBad) {
                throw ScriptedSqsClient.error(400, "InvalidParameterValue");
              }
              return ScriptedSqsClient.allSucceed(request);
            });
    SqsSink sink = started(client);

    List<Verdict> verdicts = publish(sink, batch("jobs", 3));

    assertThat(verdicts)
        .containsExactly(
            Verdict.CONFIRMED,
            Verdict.rejected(
                "SQS refused the message: InvalidParameterValue: scripted InvalidParameterValue",
                false),
            Verdict.CONFIRMED);
    assertThat(client.requests()).extracting(r -> r.entries().size()).containsExactly(3, 1, 1, 1);
  }

  @Test
  void deniedAccessAndAMissingQueueAreRetriableRejectionsOfTheWholeRequest() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ScriptedSqsClient client =
        new ScriptedSqsClient(
            request -> {
              throw calls.getAndIncrement() == 0
                  ? ScriptedSqsClient.error(403, "AccessDenied")
                  : ScriptedSqsClient.error(400, "AWS.SimpleQueueService.NonExistentQueue");
            });
    SqsSink sink = started(client);

    assertThat(publish(sink, batch("jobs", 3)))
        .containsOnly(
            Verdict.rejected("SQS denied access: AccessDenied: scripted AccessDenied", true));
    assertThat(publish(sink, batch("jobs", 3)))
        .containsOnly(Verdict.rejected("queue 'jobs' does not exist at http://127.0.0.1:1", true));
    assertThat(client.requests()).hasSize(2);
    assertThat(sink.healthy()).as("SQS answered").isTrue();
  }

  @Test
  void throttlingAfterTheSdksRetriesIsUnknownAndLeavesTheSinkHealthy() throws Exception {
    ScriptedSqsClient client =
        new ScriptedSqsClient(
            request -> {
              throw ScriptedSqsClient.error(400, "ThrottlingException");
            });
    SqsSink sink = started(client);

    for (int i = 0; i < 3; i++) {
      assertThat(publish(sink, batch("jobs", 2)))
          .containsOnly(
              Verdict.unknown(
                  "throttled by SQS: ThrottlingException: scripted ThrottlingException"));
    }
    assertThat(sink.healthy()).isTrue();
  }

  @Test
  void twoUnansweredRequestsInARowMakeTheSinkUnhealthyUntilSqsAnswersAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Function<SendMessageBatchRequest, SendMessageBatchResponse> script =
        request ->
            switch (calls.getAndIncrement()) {
              case 0 ->
                  throw SdkClientException.create(
                      "Unable to execute HTTP request: Connection refused");
              case 1 -> throw ScriptedSqsClient.error(503, "ServiceUnavailable");
              default -> ScriptedSqsClient.allSucceed(request);
            };
    SqsSink sink = started(new ScriptedSqsClient(script));

    assertThat(publish(sink, batch("jobs", 1)))
        .containsOnly(
            Verdict.unknown(
                "SQS did not answer: Unable to execute HTTP request: Connection refused"));
    assertThat(sink.healthy()).as("one failure is not an outage").isTrue();
    assertThat(publish(sink, batch("jobs", 1))).allMatch(v -> v instanceof Verdict.Unknown);
    assertThat(sink.healthy()).isFalse();

    assertThat(publish(sink, batch("jobs", 1))).containsOnly(Verdict.CONFIRMED);
    assertThat(sink.healthy()).isTrue();
  }

  @Test
  void aFailedRequestToAFifoQueueHoldsBackTheRestOfThatQueuesBatch() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ScriptedSqsClient client =
        new ScriptedSqsClient(
            request -> {
              if (calls.getAndIncrement() == 1) {
                throw ScriptedSqsClient.error(500, "InternalError");
              }
              return ScriptedSqsClient.allSucceed(request);
            });
    SqsSink sink = started(client);

    List<Verdict> verdicts = publish(sink, batch("jobs.fifo", 25));

    assertThat(verdicts.subList(0, 10)).containsOnly(Verdict.CONFIRMED);
    assertThat(verdicts.subList(10, 20))
        .containsOnly(Verdict.unknown("SQS did not answer: InternalError: scripted InternalError"));
    assertThat(verdicts.subList(20, 25))
        .allSatisfy(
            v ->
                assertThat(((Verdict.Unknown) v).reason())
                    .startsWith("not sent: an earlier request to this FIFO queue failed"));
    assertThat(client.requests()).hasSize(2);
    assertThat(client.requests().get(0).entries())
        .allSatisfy(
            e -> {
              assertThat(e.messageGroupId()).isEqualTo("q4m");
              assertThat(e.messageDeduplicationId()).hasSize(64);
            });
  }

  @Test
  void requestsToAStandardQueueCarryAtMostTenEntriesAndNoFifoFields() throws Exception {
    ScriptedSqsClient client = new ScriptedSqsClient(ScriptedSqsClient::allSucceed);
    SqsSink sink = started(client);

    assertThat(publish(sink, batch("jobs", 45))).containsOnly(Verdict.CONFIRMED);

    assertThat(client.requests())
        .extracting(r -> r.entries().size())
        .containsExactlyInAnyOrder(10, 10, 10, 10, 5);
    assertThat(client.requests())
        .flatExtracting(SendMessageBatchRequest::entries)
        .allSatisfy(
            e -> {
              assertThat(e.messageGroupId()).isNull();
              assertThat(e.messageDeduplicationId()).isNull();
              assertThat(e.messageAttributes()).containsKey(EntryEncoder.KEY_ATTRIBUTE);
            });
  }

  @Test
  void withAQueueUrlPrefixQueueUrlsAreBuiltNotLookedUp() throws Exception {
    ScriptedSqsClient client = new ScriptedSqsClient(ScriptedSqsClient::allSucceed);
    SqsSink sink = started(client, "https://sqs.eu-west-1.amazonaws.com/123456789012/");

    sink.probe(List.of("jobs"));
    assertThat(publish(sink, batch("jobs", 3))).containsOnly(Verdict.CONFIRMED);

    assertThat(client.queueUrlLookups()).isZero();
    assertThat(client.requests())
        .extracting(SendMessageBatchRequest::queueUrl)
        .containsExactly("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs");
  }
}
