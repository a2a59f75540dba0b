package org.q4mbridge.bridge.sink.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.q4mbridge.bridge.sink.DrainSource;
import org.q4mbridge.bridge.sink.SinkException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Drain-back from an SQS queue: ReceiveMessage (the messages become invisible for the visibility
 * timeout), DeleteMessageBatch once the jobs are back in the table. A crash in between makes them
 * visible again later; the table side deduplicates on the {@code q4m-key} attribute. Stops when a
 * receive returns nothing.
 *
 * <p>Not thread-safe; one drain-back at a time.
 */
public final class SqsDrainSource implements DrainSource {
  private final SqsSink sink;
  private final SqsClient client;
  private final String queueUrl;

  /** Uses the sink's client and queue resolution; {@code sink} must be started. */
  public SqsDrainSource(SqsSink sink, String queue) throws SinkException {
    this.sink = sink;
    this.client = sink.client();
    this.queueUrl = sink.queueUrl(queue);
  }

  @Override
  public List<Drained> take(int max) throws SinkException {
    try {
      List<Message> got =
          client
              .receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(Math.min(10, max))
                          .waitTimeSeconds(1)
                          .visibilityTimeout(300)
                          .messageAttributeNames("All"))
              .messages();
      List<Drained> out = new ArrayList<>(got.size());
      for (Message m : got) {
        Map<String, String> fields = DrainSource.envelopeFields(m.body());
        String key = null;
        for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
          if ("q4m-key".equals(a.getKey())) {
            key = a.getValue().stringValue();
          } else if (!fields.containsKey(a.getKey())) {
            fields.put(a.getKey(), a.getValue().stringValue());
          }
        }
        out.add(new Drained(m.receiptHandle(), key, fields, m.body()));
      }
      return out;
    } catch (SdkException e) {
      throw new SinkException("drain-back receive from " + queueUrl + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void done(List<Drained> messages) throws SinkException {
    for (int i = 0; i < messages.size(); i += 10) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < Math.min(messages.size(), i + 10); j++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(j))
                .receiptHandle(messages.get(j).brokerId())
                .build());
      }
      try {
        client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      } catch (SdkException e) {
        throw new SinkException("drain-back delete on " + queueUrl + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    sink.close();
  }
}
