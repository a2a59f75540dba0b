package org.q4mbridge.bridge.e2e;

import ch.qos.logback.classic.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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

/**
 * ElasticMQ (a real SQS-compatible server, DESIGN.md §8) embedded in the test JVM on a free
 * loopback port, with a client that plays the workers: ReceiveMessage with every attribute, then
 * DeleteMessage, as the README's consumer guide tells them to.
 */
final class EmbeddedSqs implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final String ACCESS_KEY_ID = "e2e-key-id";
  static final String SECRET_ACCESS_KEY = "e2e-secret";

  static {
    // Pekko and the SDK log every request at DEBUG under the default logback configuration.
    for (String noisy : List.of("org.apache.pekko", "org.elasticmq", "software.amazon")) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(noisy)).setLevel(Level.WARN);
    }
  }

  private final SQSRestServer server;
  private final int port;
  private final SqsClient client;

  private EmbeddedSqs() {
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(0).start();
    port = server.waitUntilStarted().localAddress().getPort();
    client =
        SqsClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  static EmbeddedSqs launch() {
    return new EmbeddedSqs();
  }

  int port() {
    return port;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * A {@code sinks:} entry for the bridge's YAML file reaching this server at {@code port} (its
   * own, or a proxy's).
   */
  static String sinkYaml(String name, int port) {
    return "  "
        + name
        + ": { type: sqs, region: "
        + REGION
        + ", endpoint: \"http://127.0.0.1:"
        + port
        + "\", credentials: { accessKeyId: "
        + ACCESS_KEY_ID
        + ", secretAccessKey: "
        + SECRET_ACCESS_KEY
        + " } }\n";
  }

  /** Creates a queue; a FIFO queue without content-based deduplication (the key decides). */
  void createQueue(String name) {
    boolean fifo = name.endsWith(".fifo");
    client.createQueue(
        b -> {
          b.queueName(name);
          if (fifo) {
            b.attributes(
                Map.of(
                    QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"));
          }
        });
  }

  /** Messages in the queue, visible or received and not yet deleted. */
  long backlog(String queue) {
    String url = client.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    Map<QueueAttributeName, String> a =
        client
            .getQueueAttributes(
                b ->
                    b.queueUrl(url)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /**
   * One worker round: ReceiveMessage (up to 10, every message attribute, long polling for {@code
   * waitSeconds}), then DeleteMessageBatch of what came.
   */
  List<Message> receiveAndDelete(String queue, int waitSeconds) {
    String url = client.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    List<Message> got =
        client
            .receiveMessage(
                b ->
                    b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(60)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
            .messages();
    if (!got.isEmpty()) {
      List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
      for (int i = 0; i < got.size(); i++) {
        delete.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(got.get(i).receiptHandle())
                .build());
      }
      client.deleteMessageBatch(b -> b.queueUrl(url).entries(delete));
    }
    return got;
  }

  /** Worker threads receiving and deleting until closed. */
  final class Workers implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    private Workers(String queue, int count, Consumer<Message> handler) {
      for (int i = 0; i < count; i++) {
        Thread t =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    receiveAndDelete(queue, 1).forEach(handler);
                  }
                },
                "sqs-worker-" + queue + "-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    /** Stops after the current round (a long poll ends within a second). */
    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      for (Thread t : threads) {
        t.join(10_000);
      }
    }
  }

  /** {@code count} workers on {@code queue}, each message handed to {@code handler}. */
  Workers workers(String queue, int count, Consumer<Message> handler) {
    return new Workers(queue, count, handler);
  }

  @Override
  public void close() {
    client.close();
    server.stopAndWait();
  }
}
