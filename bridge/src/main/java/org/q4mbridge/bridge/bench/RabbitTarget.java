package org.q4mbridge.bridge.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable classic queues {@code q4m-bench.<scenario>} on RabbitMQ, reached through the default
 * exchange (routing key = queue name), published with confirms, persistent and mandatory — the
 * sink's defaults.
 */
final class RabbitTarget implements SinkTarget {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitTarget.class);

  private final String uri;
  private final String prefix;
  private final Connection connection;

  RabbitTarget(String uri, String prefix) throws Exception {
    this.uri = uri;
    this.prefix = prefix;
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri);
    f.setAutomaticRecoveryEnabled(false);
    try {
      this.connection = f.newConnection("q4m-bridge bench admin");
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to RabbitMQ: " + e.getMessage(), e);
    }
  }

  @Override
  public SinkKind kind() {
    return SinkKind.RABBITMQ;
  }

  @Override
  public String sinkYaml() {
    return "{ type: rabbitmq, uri: "
        + SinkTarget.quote(uri)
        + ", exchange: \"\", declare: false, mandatory: true }";
  }

  @Override
  public String destination(String scenario) {
    return prefix + "." + scenario;
  }

  @Override
  public void prepare(String destination) throws Exception {
    try (Channel ch = connection.createChannel()) {
      ch.queueDelete(destination);
      ch.queueDeclare(destination, true, false, false, null);
    }
  }

  @Override
  public void cleanup(String destination) {
    try (Channel ch = connection.createChannel()) {
      ch.queueDelete(destination);
    } catch (Exception e) {
      LOG.warn("could not delete RabbitMQ queue {}: {}", destination, e.getMessage());
    }
  }

  @Override
  public String describe() {
    Object v = connection.getServerProperties().get("version");
    return "RabbitMQ " + (v == null ? "" : v.toString());
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (Exception ignored) {
      // closing an admin connection at the end: nothing to recover
    }
  }
}
