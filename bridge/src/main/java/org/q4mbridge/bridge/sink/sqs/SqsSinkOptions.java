package org.q4mbridge.bridge.sink.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Immutable settings of one {@link SqsSink}, validated once here: a bad value is rejected with a
 * message naming the sink and the setting, never clamped.
 *
 * @param name the sink's name from the configuration (e.g. {@code sqs-main}); used in logs, thread
 *     names and every error line
 * @param region the AWS region (e.g. {@code eu-west-1}); also needed with an endpoint override,
 *     because requests are signed for a region
 * @param endpoint endpoint override for SQS-compatible servers (ElasticMQ, LocalStack), or {@code
 *     null} for the region's AWS endpoint
 * @param queueUrlPrefix when set, a queue's URL is this prefix plus its name and {@code
 *     GetQueueUrl} is never called (no {@code sqs:GetQueueUrl} permission needed; {@link
 *     SqsSink#probe} then checks a queue with {@code GetQueueAttributes}); must end with {@code /};
 *     {@code null} resolves each name with {@code GetQueueUrl}
 * @param accessKeyId static credentials, or {@code null} together with {@code secretAccessKey} to
 *     use the AWS default credentials chain (environment, system properties, profile files, web
 *     identity, container and instance roles)
 * @param secretAccessKey see {@code accessKeyId}; never printed ({@link #toString()} masks it)
 * @param sessionToken the session token of temporary static credentials, or {@code null}; only with
 *     {@code accessKeyId}; never printed
 * @param publishTimeout the longest a {@link SqsSink#publish} waits for SQS before answering {@code
 *     Unknown} for what is still unanswered; also bounds each SQS call, the reachability checks and
 *     {@link SqsSink#close()}
 * @param maxMessageBytes the largest message the sink sends, body plus message attributes as SQS
 *     counts them (name, type and value in UTF-8); larger messages are rejected before sending.
 *     SQS's classic limit is 262,144 bytes ({@link #DEFAULT_MAX_MESSAGE_BYTES}); AWS accepts up to
 *     1,048,576 ({@link #MAX_MESSAGE_BYTES}) today, compatible servers often less
 * @param maxConcurrency how many SQS requests the sink has in flight at most (one thread each)
 */
public record SqsSinkOptions(
    String name,
    String region,
    URI endpoint,
    String queueUrlPrefix,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Duration publishTimeout,
    long maxMessageBytes,
    int maxConcurrency) {

  /** SQS's classic per-message and per-batch limit; ElasticMQ enforces it too. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 262_144;

  /** The largest message AWS SQS accepts. */
  public static final long MAX_MESSAGE_BYTES = 1_048_576;

  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  static final int MAX_CONCURRENCY_LIMIT = 64;
  private static final Duration MAX_PUBLISH_TIMEOUT = Duration.ofMinutes(10);
  // AWS regions are lower case; SQS-compatible servers take any name, so only the shape is checked.
  private static final Pattern REGION = Pattern.compile("[A-Za-z0-9-]{1,64}");

  public SqsSinkOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("sqs sink: name is required");
    }
    String where = "sqs sink '" + name + "': ";
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException(
          where + "region is required (e.g. eu-west-1; also with an endpoint override)");
    }
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          where + "region '" + region + "' is not a region name (e.g. eu-west-1)");
    }
    if (endpoint != null) {
      String scheme = endpoint.getScheme();
      if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            where
                + "endpoint '"
                + endpoint
                + "' must be an http or https URL with a host (e.g. http://127.0.0.1:9324)");
      }
      if (endpoint.getUserInfo() != null) {
        throw new IllegalArgumentException(
            where + "endpoint must not carry credentials; use accessKeyId and secretAccessKey");
      }
    }
    if (queueUrlPrefix != null) {
      URI prefix;
      try {
        prefix = URI.create(queueUrlPrefix);
      } catch (IllegalArgumentException e) {
        prefix = null;
      }
      if (prefix == null
          || !("http".equalsIgnoreCase(prefix.getScheme())
              || "https".equalsIgnoreCase(prefix.getScheme()))
          || prefix.getHost() == null
          || !queueUrlPrefix.endsWith("/")) {
        throw new IllegalArgumentException(
            where
                + "queueUrlPrefix '"
                + queueUrlPrefix
                + "' must be an http or https URL ending in '/' (e.g."
                + " https://sqs.eu-west-1.amazonaws.com/123456789012/)");
      }
    }
    boolean hasId = accessKeyId != null;
    boolean hasSecret = secretAccessKey != null;
    if (hasId != hasSecret) {
      throw new IllegalArgumentException(
          where
              + "set both accessKeyId and secretAccessKey, or neither to use the default"
              + " credentials chain");
    }
    if (hasId && (accessKeyId.isBlank() || secretAccessKey.isBlank())) {
      throw new IllegalArgumentException(
          where + "accessKeyId and secretAccessKey must not be blank when set");
    }
    if (sessionToken != null && (!hasId || sessionToken.isBlank())) {
      throw new IllegalArgumentException(
          where + "sessionToken needs accessKeyId and secretAccessKey and must not be blank");
    }
    if (publishTimeout == null
        || publishTimeout.isNegative()
        || publishTimeout.isZero()
        || publishTimeout.compareTo(MAX_PUBLISH_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          where + "publishTimeout must be > 0 and <= 10m, was " + publishTimeout);
    }
    if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          where
              + "maxMessageBytes must be between 1 and "
              + MAX_MESSAGE_BYTES
              + " (SQS's limit), was "
              + maxMessageBytes);
    }
    if (maxConcurrency < 1 || maxConcurrency > MAX_CONCURRENCY_LIMIT) {
      throw new IllegalArgumentException(
          where
              + "maxConcurrency must be between 1 and "
              + MAX_CONCURRENCY_LIMIT
              + ", was "
              + maxConcurrency);
    }
  }

  /**
   * Options with the defaults for timeout, size and concurrency, resolving queue URLs with {@code
   * GetQueueUrl} and without a session token.
   *
   * @param endpoint {@code null} for AWS
   * @param accessKeyId {@code null} (with {@code secretAccessKey}) for the default credentials
   *     chain
   */
  public static SqsSinkOptions of(
      String name, String region, URI endpoint, String accessKeyId, String secretAccessKey) {
    return new SqsSinkOptions(
        name,
        region,
        endpoint,
        null,
        accessKeyId,
        secretAccessKey,
        null,
        DEFAULT_PUBLISH_TIMEOUT,
        DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_MAX_CONCURRENCY);
  }

  /** The same options with another publish timeout. */
  public SqsSinkOptions withPublishTimeout(Duration timeout) {
    return new SqsSinkOptions(
        name,
        region,
        endpoint,
        queueUrlPrefix,
        accessKeyId,
        secretAccessKey,
        sessionToken,
        timeout,
        maxMessageBytes,
        maxConcurrency);
  }

  /** The same options with another message size limit. */
  public SqsSinkOptions withMaxMessageBytes(long bytes) {
    return new SqsSinkOptions(
        name,
        region,
        endpoint,
        queueUrlPrefix,
        accessKeyId,
        secretAccessKey,
        sessionToken,
        publishTimeout,
        bytes,
        maxConcurrency);
  }

  /** The same options with queue URLs built from {@code prefix} (ending in {@code /}). */
  public SqsSinkOptions withQueueUrlPrefix(String prefix) {
    return new SqsSinkOptions(
        name,
        region,
        endpoint,
        prefix,
        accessKeyId,
        secretAccessKey,
        sessionToken,
        publishTimeout,
        maxMessageBytes,
        maxConcurrency);
  }

  /** True when the default credentials chain is used. */
  public boolean defaultCredentials() {
    return accessKeyId == null;
  }

  /** Where requests go, for error lines: the endpoint override or the region. */
  String where() {
    return endpoint != null ? endpoint.toString() : "region " + region;
  }

  /** Masks the secret and the session token so options can be logged. */
  @Override
  public String toString() {
    return "SqsSinkOptions[name="
        + name
        + ", region="
        + region
        + ", endpoint="
        + endpoint
        + ", queueUrlPrefix="
        + queueUrlPrefix
        + ", accessKeyId="
        + accessKeyId
        + ", secretAccessKey="
        + (secretAccessKey == null ? "null" : "****")
        + ", sessionToken="
        + (sessionToken == null ? "null" : "****")
        + ", publishTimeout="
        + publishTimeout
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", maxConcurrency="
        + maxConcurrency
        + "]";
  }
}
