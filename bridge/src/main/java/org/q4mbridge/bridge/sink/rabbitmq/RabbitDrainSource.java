package org.q4mbridge.bridge.sink.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.q4mbridge.bridge.sink.DrainSource;
import org.q4mbridge.bridge.sink.SinkException;

/**
 * Drain-back from a RabbitMQ queue: {@code basic.get} without auto-ack, {@code basic.ack} once the
 * job is back in the table. Messages taken but not acknowledged (a crash) are requeued by the
 * broker when the channel closes, and the table side deduplicates them on the {@code message-id}.
 * Messages published after the drain started are not chased: it stops at the queue's depth at
 * start.
 *
 * <p>Not thread-safe; one drain-back at a time.
 */
public final class RabbitDrainSource implements DrainSource {
  private final Connection connection;
  private final Channel channel;
  private final String queue;
  private long remaining;

  public RabbitDrainSource(String uri, String queue) throws SinkException {
    ConnectionFactory f = new ConnectionFactory();
    try {
      f.setUri(uri);
      this.connection = f.newConnection("q4m-bridge drain-back");
      this.channel = connection.createChannel();
      this.remaining = channel.queueDeclarePassive(queue).getMessageCount();
    } catch (IOException e) {
      throw new SinkException(
          "queue '"
              + queue
              + "' cannot be read for drain-back (does it exist? see --rabbit-queue): "
              + e.getMessage(),
          e);
    } catch (java.net.URISyntaxException
        | java.security.GeneralSecurityException
        | TimeoutException
        | RuntimeException e) {
      throw new SinkException("cannot connect to RabbitMQ for drain-back: " + e.getMessage(), e);
    }
    this.queue = queue;
  }

  @Override
  public List<Drained> take(int max) throws SinkException {
    List<Drained> out = new ArrayList<>();
    try {
      while (out.size() < max && remaining > 0) {
        GetResponse r = channel.basicGet(queue, false);
        if (r == null) {
          remaining = 0;
          break;
        }
        remaining--;
        String body = new String(r.getBody(), StandardCharsets.UTF_8);
        Map<String, String> fields = DrainSource.envelopeFields(body);
        Map<String, Object> headers = r.getProps().getHeaders();
        if (headers != null) {
          headers.forEach(
              (k, v) -> {
                if (!fields.containsKey(k) && v != null) {
                  fields.put(k, v.toString());
                }
              });
        }
        out.add(
            new Drained(
                Long.toString(r.getEnvelope().getDeliveryTag()),
                r.getProps().getMessageId(),
                fields,
                body));
      }
      return out;
    } catch (IOException e) {
      throw new SinkException("drain-back read from queue '" + queue + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void done(List<Drained> messages) throws SinkException {
    try {
      for (Drained d : messages) {
        channel.basicAck(Long.parseLong(d.brokerId()), false);
      }
    } catch (IOException e) {
      throw new SinkException("drain-back ack on queue '" + queue + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close(5_000);
    } catch (IOException | RuntimeException ignored) {
      // unacknowledged messages are requeued by the broker
    }
  }
}
