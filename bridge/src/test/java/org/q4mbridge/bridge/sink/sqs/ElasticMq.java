package org.q4mbridge.bridge.sink.sqs;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * An ElasticMQ server embedded in the test JVM on a free loopback port (DESIGN.md §8), with an
 * admin client that talks to it directly: create and delete queues, read back what arrived. {@link
 * #stop()} and {@link #start()} take it down and bring it back on the same port (queues do not
 * survive). Not thread-safe: one test class drives it.
 */
final class ElasticMq implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String ACCESS_KEY_ID = "test-key-id";
  static final String SECRET_ACCESS_KEY = "test-secret-do-not-print";
  private static final Duration START_BOUND = Duration.ofSeconds(30);
  private static final int MAX_RECEIVES = 10_000;

  static {
    // Pekko and the SDK log every request at DEBUG under the default logback configuration.
    for (String noisy : List.of("org.apache.pekko", "org.elasticmq", "software.amazon", "org.h2")) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
    }
  }

  private SQSRestServer server;
  private int port;
  private final SqsClient admin;

  private ElasticMq() {
    startServer(0);
    this.admin =
        SqsClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  /** Starts a server on a free port of 127.0.0.1; returns when it accepts connections. */
  static ElasticMq launch() {
    return new ElasticMq();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  /** Options for a sink on this server with static test credentials. */
  SqsSinkOptions options(String name, Duration publishTimeout, long maxMessageBytes) {
    return options(name, endpoint(), publishTimeout, maxMessageBytes);
  }

  static SqsSinkOptions options(
      String name, URI endpoint, Duration publishTimeout, long maxMessageBytes) {
    return new SqsSinkOptions(
        name,
        REGION,
        endpoint,
        null,
        ACCESS_KEY_ID,
        SECRET_ACCESS_KEY,
        null,
        publishTimeout,
        maxMessageBytes,
        SqsSinkOptions.DEFAULT_MAX_CONCURRENCY);
  }

  /** Creates a queue with a fresh name; FIFO queues without content-based deduplication. */
  String createQueue(boolean fifo) {
    String name = "t-" + UUID.randomUUID().toString().replace("-", "") + (fifo ? ".fifo" : "");
    admin.createQueue(
        b -> {
          b.queueName(name);
          if (fifo) {
            b.attributes(
                Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"));
          }
        });
    return name;
  }

  void deleteQueue(String name) {
    try {
      admin.deleteQueue(b -> b.queueUrl(url(name)));
    } catch (RuntimeException gone) {
      // Already gone, or the server was restarted meanwhile: nothing to clean up.
    }
  }

  String url(String name) {
    return admin.getQueueUrl(b -> b.queueName(name)).queueUrl();
  }

  /**
   * Everything visible in the queue, in the order a consumer receives it: receive up to 10, delete
   * them (a FIFO group stays locked while its messages are in flight), until a receive is empty.
   */
  List<Message> drain(String name) {
    String url = url(name);
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < MAX_RECEIVES; i++) {
      ReceiveMessageResponse got =
          admin.receiveMessage(
              b ->
                  b.queueUrl(url)
                      .maxNumberOfMessages(10)
                      .waitTimeSeconds(0)
                      .visibilityTimeout(60)
                      .messageAttributeNames("All")
                      .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
      if (got.messages().isEmpty()) {
        return all;
      }
      all.addAll(got.messages());
      List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
      for (int m = 0; m < got.messages().size(); m++) {
        delete.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(m))
                .receiptHandle(got.messages().get(m).receiptHandle())
                .build());
      }
      admin.deleteMessageBatch(b -> b.queueUrl(url).entries(delete));
    }
    throw new IllegalStateException("queue " + name + " did not run empty");
  }

  /** Takes the server down; returns when its port refuses connections. */
  void stop() {
    if (server != null) {
      server.stopAndWait();
      server = null;
    }
  }

  /** Brings the server back on the same port (idempotent); returns when it is bound. */
  void start() {
    if (server == null) {
      // The port was ours a moment ago; binding again can race the old socket's release.
      await()
          .atMost(START_BOUND)
          .ignoreExceptions()
          .until(
              () -> {
                startServer(port);
                return true;
              });
    }
  }

  private void startServer(int wanted) {
    SQSRestServer s = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(wanted).start();
    try {
      var binding = s.waitUntilStarted();
      port = binding.localAddress().getPort();
      server = s;
    } catch (RuntimeException e) {
      s.stopAndWait();
      throw e;
    }
  }

  @Override
  public void close() {
    admin.close();
    stop();
  }
}
