package org.q4mbridge.bridge;

import java.time.Duration;
import org.q4mbridge.bridge.cli.CliException;
import org.q4mbridge.bridge.cli.ExitCode;
import org.q4mbridge.bridge.config.RabbitSinkConfig;
import org.q4mbridge.bridge.config.RedisSinkConfig;
import org.q4mbridge.bridge.config.SinkConfig;
import org.q4mbridge.bridge.config.SqsSinkConfig;
import org.q4mbridge.bridge.sink.Sink;

/** Sink construction for the broker types beyond Redis (kept apart so each is one small method). */
final class Sinks {
  private Sinks() {}

  static Sink other(SinkConfig c) {
    if (c instanceof RabbitSinkConfig r) {
      // exchangeType matters only with declare: true; the sink declares a durable topic exchange.
      return new org.q4mbridge.bridge.sink.rabbitmq.RabbitMqSink(
          new org.q4mbridge.bridge.sink.rabbitmq.RabbitMqSinkOptions(
              r.name(),
              r.uri().reveal(),
              r.exchange(),
              r.declare(),
              r.mandatory(),
              r.publishTimeout(),
              r.maxMessageBytes(),
              null,
              org.q4mbridge.bridge.sink.rabbitmq.RabbitMqSinkOptions.DEFAULT_RECOVERY_INTERVAL));
    }
    if (c instanceof SqsSinkConfig q) {
      String key = null;
      String secret = null;
      String token = null;
      if (q.credentials() instanceof SqsSinkConfig.StaticKeys k) {
        key = k.accessKeyId().reveal();
        secret = k.secretAccessKey().reveal();
        token = k.sessionToken().map(t -> t.reveal()).orElse(null);
      }
      return new org.q4mbridge.bridge.sink.sqs.SqsSink(
          new org.q4mbridge.bridge.sink.sqs.SqsSinkOptions(
              q.name(),
              q.region(),
              q.endpoint().map(java.net.URI::create).orElse(null),
              q.queueUrlPrefix().orElse(null),
              key,
              secret,
              token,
              q.publishTimeout(),
              q.maxMessageBytes(),
              org.q4mbridge.bridge.sink.sqs.SqsSinkOptions.DEFAULT_MAX_CONCURRENCY));
    }
    throw new CliException(
        ExitCode.CONFIG,
        "sinks." + c.name() + ": type '" + c.type() + "' is not available in this build yet");
  }

  /** The shadow reader of a sink beyond Redis, or null when its broker has none. */
  static org.q4mbridge.bridge.sink.ShadowReader shadowReader(
      Sink sink, java.util.Set<String> destinations, String group) {
    // SQS: a queue has no fan-out without SNS; a verify copy would double every publish.
    // RabbitMQ: not yet (a verify queue bound beside the workers' queue is the plan).
    return null;
  }

  static Duration publishTimeout(SinkConfig c) {
    if (c instanceof RedisSinkConfig r) {
      return r.publishTimeout();
    }
    if (c instanceof SqsSinkConfig s) {
      return s.publishTimeout();
    }
    if (c instanceof RabbitSinkConfig r) {
      return r.publishTimeout();
    }
    return Duration.ofSeconds(5);
  }
}
