package org.q4mbridge.bridge.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A RabbitMQ sink ({@code type: rabbitmq}): persistent messages on a confirm-mode channel,
 * published to one exchange with the queue's destination (or a column) as routing key.
 *
 * @param name the key under {@code sinks:}
 * @param uri {@code amqp://} or {@code amqps://} URI with vhost; may embed credentials
 * @param exchange the exchange; {@code ""} is the default exchange (routing key = queue name)
 * @param exchangeType the type used when {@code declare} is true (default direct)
 * @param declare true: declare the exchange (durable) at start; false (default): only check that it
 *     exists (passive declare), because topology usually belongs to the workers' deployment
 * @param mandatory publish with {@code mandatory}, so an unroutable message is returned and
 *     rejected instead of silently dropped (default true)
 * @param publishTimeout longest wait for the confirms of one batch (default 10s)
 * @param maxMessageBytes largest body (default 1MiB; at most 128MiB, RabbitMQ's own ceiling)
 */
public record RabbitSinkConfig(
    String name,
    Secret uri,
    String exchange,
    ExchangeType exchangeType,
    boolean declare,
    boolean mandatory,
    Duration publishTimeout,
    long maxMessageBytes)
    implements SinkConfig {

  /** The {@code type:} tag. */
  public static final String TYPE = "rabbitmq";

  public RabbitSinkConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(exchangeType, "exchangeType");
    Objects.requireNonNull(publishTimeout, "publishTimeout");
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** AMQP exchange types, as {@code exchangeDeclare} takes them. */
  public enum ExchangeType {
    DIRECT,
    TOPIC,
    FANOUT,
    HEADERS;

    /** The AMQP name ({@code direct}). */
    public String amqpName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
