package org.q4mbridge.bridge.e2e;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The RabbitMQ the integration tests share (amqp://guest:guest@127.0.0.1:5672; {@code
 * Q4M_TEST_RABBIT_URI} overrides), seen by the test directly — never through the proxy the bridge
 * may be given. Each instance owns an exchange and queues named after it, all deleted on close
 * (queues are exclusive to the admin connection, so even a killed run leaves none behind). The
 * shared broker is never stopped.
 */
final class SharedRabbit implements AutoCloseable {
  static final String URI_TEXT =
      System.getenv().getOrDefault("Q4M_TEST_RABBIT_URI", "amqp://guest:guest@127.0.0.1:5672/%2F");

  private final URI uri = URI.create(URI_TEXT);
  private final Connection admin;
  private final Channel channel;
  private final String exchange;

  SharedRabbit(String prefix) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(URI_TEXT);
    f.setAutomaticRecoveryEnabled(false);
    admin = f.newConnection("q4m-bridge e2e admin " + prefix);
    channel = admin.createChannel();
    exchange = "q4m-e2e." + prefix + "." + Long.toHexString(ThreadLocalRandom.current().nextLong());
    channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, false, false, null);
  }

  int port() {
    return uri.getPort() < 0 ? 5672 : uri.getPort();
  }

  /** The shared URI pointed at {@code port} on loopback instead (a proxy's). */
  String uriVia(int port) {
    return uri.getScheme()
        + "://"
        + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
        + "127.0.0.1:"
        + port
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** A {@code sinks:} entry for the bridge's YAML file reaching the broker at {@code port}. */
  String sinkYaml(String name, int port) {
    return "  "
        + name
        + ": { type: rabbitmq, uri: \""
        + uriVia(port)
        + "\", exchange: \""
        + exchange
        + "\" }\n";
  }

  /** Declares a queue bound to the exchange with {@code routingKey}; returns its name. */
  String boundQueue(String routingKey) throws IOException {
    String queue = exchange + ".q." + routingKey;
    channel.queueDeclare(queue, false, true, false, null);
    channel.queueBind(queue, exchange, routingKey);
    return queue;
  }

  /**
   * A worker on a channel of its own (on the admin connection, which the exclusive queues belong
   * to): basic.consume with manual acknowledgements (prefetch 500), each delivery handed to {@code
   * handler} with its properties, then acknowledged. Closing the channel stops it.
   */
  Channel consume(String queue, BiConsumer<AMQP.BasicProperties, String> handler)
      throws IOException {
    Channel ch = admin.createChannel();
    ch.basicQos(500);
    ch.basicConsume(
        queue,
        false,
        new DefaultConsumer(ch) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            handler.accept(properties, new String(body, StandardCharsets.UTF_8));
            ch.basicAck(envelope.getDeliveryTag(), false);
          }
        });
    return ch;
  }

  @Override
  public void close() throws Exception {
    if (admin.isOpen()) {
      channel.exchangeDelete(exchange);
      admin.close();
    }
  }
}
