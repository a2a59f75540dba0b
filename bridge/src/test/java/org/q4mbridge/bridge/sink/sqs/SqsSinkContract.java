package org.q4mbridge.bridge.sink.sqs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkContract;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The broker-neutral sink contract on a real SQS-compatible server: an ElasticMQ the class starts
 * on a free loopback port (shared by its tests) plus a throwaway one behind a pausable relay for
 * the outage tests. {@link SqsSinkIT} runs it on standard queues, {@link SqsFifoSinkIT} on FIFO
 * queues; each adds the SQS-specific tests.
 */
abstract class SqsSinkContract extends SinkContract {
  static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

  protected ElasticMq elasticMq;
  private ThrowawayElasticMq throwaway;

  /** Whether this class's destinations are FIFO queues. */
  protected abstract boolean fifo();

  @BeforeAll
  void startServers() {
    elasticMq = ElasticMq.launch();
    throwaway = ThrowawayElasticMq.launch(fifo());
  }

  @AfterAll
  void stopServers() {
    if (throwaway != null) {
      throwaway.close();
    }
    if (elasticMq != null) {
      elasticMq.close();
    }
  }

  @Override
  protected Sink newSink(long maxMessageBytes) {
    return new SqsSink(elasticMq.options("sqs-test", PUBLISH_TIMEOUT, maxMessageBytes));
  }

  @Override
  protected String newDestination() {
    return elasticMq.createQueue(fifo());
  }

  @Override
  protected List<Received> readBack(String destination) {
    return received(elasticMq.drain(destination));
  }

  @Override
  protected void deleteDestination(String destination) {
    elasticMq.deleteQueue(destination);
  }

  /** FIFO queues drop a second copy with the same deduplication id; standard queues do not. */
  @Override
  protected boolean deduplicatesRedelivery() {
    return fifo();
  }

  @Override
  protected boolean keepsOrder() {
    return fifo();
  }

  @Override
  protected Optional<ExpendableBroker> expendableBroker() {
    return Optional.of(throwaway);
  }

  /** The class's own server for outage tests; the caller resumes it if it pauses it. */
  protected ThrowawayElasticMq throwaway() {
    return throwaway;
  }

  /** A sink on the shared server with the default size limit. */
  protected SqsSink startedSqsSink() throws Exception {
    return (SqsSink)
        started(
            new SqsSink(
                elasticMq.options(
                    "sqs-test", PUBLISH_TIMEOUT, SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES)));
  }

  /** What a consumer sees: the key attribute, the body and the other String attributes. */
  static List<Received> received(List<Message> messages) {
    return messages.stream()
        .map(
            m -> {
              Map<String, String> fields = new LinkedHashMap<>();
              String key = null;
              for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
                if (EntryEncoder.KEY_ATTRIBUTE.equals(a.getKey())) {
                  key = a.getValue().stringValue();
                } else {
                  fields.put(a.getKey(), a.getValue().stringValue());
                }
              }
              return new Received(key, m.body(), fields);
            })
        .toList();
  }
}
