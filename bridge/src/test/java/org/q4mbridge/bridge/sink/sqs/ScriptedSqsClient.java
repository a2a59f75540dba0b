package org.q4mbridge.bridge.sink.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesRequest;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * An {@link SqsClient} whose {@code SendMessageBatch} answers come from a script, for the sink's
 * own logic that no real server can be made to show on demand (a whole request refused, 403, 5xx,
 * throttling). Every queue exists; every request is recorded. Thread-safe.
 */
final class ScriptedSqsClient implements SqsClient {
  private final Function<SendMessageBatchRequest, SendMessageBatchResponse> script;
  private final List<SendMessageBatchRequest> requests = new ArrayList<>();
  private final AtomicInteger queueUrlLookups = new AtomicInteger();

  ScriptedSqsClient(Function<SendMessageBatchRequest, SendMessageBatchResponse> script) {
    this.script = script;
  }

  synchronized List<SendMessageBatchRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
    synchronized (this) {
      requests.add(request);
    }
    return script.apply(request);
  }

  int queueUrlLookups() {
    return queueUrlLookups.get();
  }

  @Override
  public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
    queueUrlLookups.incrementAndGet();
    return GetQueueUrlResponse.builder()
        .queueUrl("https://sqs.example/000000000000/" + request.queueName())
        .build();
  }

  @Override
  public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
    return GetQueueAttributesResponse.builder().build();
  }

  @Override
  public ListQueuesResponse listQueues(ListQueuesRequest request) {
    return ListQueuesResponse.builder().build();
  }

  @Override
  public String serviceName() {
    return "sqs";
  }

  @Override
  public void close() {}

  /** Every entry of the request succeeds. */
  static SendMessageBatchResponse allSucceed(SendMessageBatchRequest request) {
    return SendMessageBatchResponse.builder()
        .successful(
            request.entries().stream()
                .map(
                    e -> SendMessageBatchResultEntry.builder().id(e.id()).messageId(e.id()).build())
                .toList())
        .build();
  }

  static BatchResultErrorEntry failed(SendMessageBatchRequestEntry e, boolean senderFault) {
    return BatchResultErrorEntry.builder()
        .id(e.id())
        .senderFault(senderFault)
        .code(senderFault ? "InvalidParameterValue" : "InternalError")
        .message("entry " + e.id())
        .build();
  }

  static SqsException error(int status, String code) {
    return (SqsException)
        SqsException.builder()
            .statusCode(status)
            .message(code)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage("scripted " + code).build())
            .build();
  }
}
