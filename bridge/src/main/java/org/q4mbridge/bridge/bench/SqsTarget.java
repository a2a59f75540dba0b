package org.q4mbridge.bridge.bench;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Standard queues {@code q4m-bench-<scenario>} on an SQS-compatible endpoint (ElasticMQ), with
 * static placeholder credentials: meant for a local server, never for AWS (a bench run would cost
 * money and leave queues behind on failure).
 */
final class SqsTarget implements SinkTarget {
  private static final Logger LOG = LoggerFactory.getLogger(SqsTarget.class);
  private static final String KEY = "q4m-bench";

  private final String endpoint;
  private final String region;
  private final String prefix;
  private final SqsClient client;

  SqsTarget(String endpoint, String region, String prefix) {
    this.endpoint = endpoint;
    this.region = region;
    this.prefix = prefix;
    this.client =
        SqsClient.builder()
            .region(Region.of(region))
            .endpointOverride(URI.create(endpoint))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, KEY)))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
  }

  @Override
  public SinkKind kind() {
    return SinkKind.SQS;
  }

  @Override
  public String sinkYaml() {
    return "{ type: sqs, region: "
        + SinkTarget.quote(region)
        + ", endpoint: "
        + SinkTarget.quote(endpoint)
        + ", credentials: { accessKeyId: "
        + KEY
        + ", secretAccessKey: "
        + KEY
        + " } }";
  }

  @Override
  public String destination(String scenario) {
    return prefix + "-" + scenario;
  }

  @Override
  public void prepare(String destination) {
    cleanup(destination);
    client.createQueue(b -> b.queueName(destination));
  }

  @Override
  public void cleanup(String destination) {
    try {
      String url = client.getQueueUrl(b -> b.queueName(destination)).queueUrl();
      client.deleteQueue(b -> b.queueUrl(url));
    } catch (RuntimeException e) {
      LOG.debug("queue {} not deleted: {}", destination, e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "SQS-compatible server at " + endpoint;
  }

  @Override
  public void close() {
    client.close();
  }
}
