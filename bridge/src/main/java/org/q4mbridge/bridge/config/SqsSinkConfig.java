package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An Amazon SQS (or SQS-compatible) sink ({@code type: sqs}). A queue's destination is an SQS queue
 * name; a name ending in {@code .fifo} is a FIFO queue (AWS's own rule), which gets the message key
 * as {@code MessageDeduplicationId} and the mapping's group id as {@code MessageGroupId}.
 *
 * @param name the key under {@code sinks:}
 * @param region AWS region ({@code ap-northeast-1}); any value for an SQS-compatible server
 * @param endpoint endpoint override ({@code http://127.0.0.1:9324} for ElasticMQ); empty = AWS
 * @param queueUrlPrefix when set, a destination's queue URL is this prefix plus its name (no {@code
 *     GetQueueUrl} call, so no {@code sqs:GetQueueUrl} permission needed); always ends with {@code
 *     /}; empty = resolve each name with {@code GetQueueUrl} at start
 * @param credentials where the AWS credentials come from
 * @param publishTimeout longest wait for one {@code SendMessageBatch} (default 10s)
 * @param maxMessageBytes largest body (default 262144, SQS's classic limit; at most 1MiB)
 */
public record SqsSinkConfig(
    String name,
    String region,
    Optional<String> endpoint,
    Optional<String> queueUrlPrefix,
    Credentials credentials,
    Duration publishTimeout,
    long maxMessageBytes)
    implements SinkConfig {

  /** The {@code type:} tag. */
  public static final String TYPE = "sqs";

  public SqsSinkConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(queueUrlPrefix, "queueUrlPrefix");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** True when {@code queueName} names a FIFO queue (ends with {@code .fifo}). */
  public static boolean isFifo(String queueName) {
    return queueName.endsWith(".fifo");
  }

  /** Where the AWS credentials come from ({@code credentials:}). */
  public sealed interface Credentials {}

  /**
   * The SDK's default provider chain (environment, profile, container or instance role): {@code
   * credentials: default}, or the key left out.
   */
  public record DefaultChain() implements Credentials {}

  /**
   * Static keys ({@code credentials: {accessKeyId, secretAccessKey, sessionToken}}), normally from
   * {@code ${env:…}} or {@code ${file:…}}.
   */
  public record StaticKeys(
      Secret accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken)
      implements Credentials {
    public StaticKeys {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      Objects.requireNonNull(sessionToken, "sessionToken");
    }
  }
}
