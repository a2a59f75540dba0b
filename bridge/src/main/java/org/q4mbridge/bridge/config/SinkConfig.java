package org.q4mbridge.bridge.config;

import java.time.Duration;

/**
 * One broker connection under {@code sinks:}, tagged by {@code type:}. Each alternative carries the
 * settings its client needs; what they share is here.
 */
public sealed interface SinkConfig permits RedisSinkConfig, SqsSinkConfig, RabbitSinkConfig {

  /** The key under {@code sinks:}, as queues refer to it ({@code redis-main}). */
  String name();

  /** The {@code type:} tag ({@code redis-streams}, {@code sqs}, {@code rabbitmq}). */
  String type();

  /** Longest wait for the broker's answer to one batch; after it the verdict is unknown. */
  Duration publishTimeout();

  /** Largest message body sent; larger ones are rejected (not retriable) before sending. */
  long maxMessageBytes();
}
