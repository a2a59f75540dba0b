package org.q4mbridge.bridge.sink.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.phase.DrainBack;
import org.q4mbridge.bridge.sink.DrainBackFixture;

class RabbitDrainSourceIT {
  private static final String URI =
      System.getenv().getOrDefault("Q4M_TEST_RABBIT_URI", "amqp://guest:guest@127.0.0.1:5672/%2F");

  private static void publish(Channel ch, String queue, int from, int to) throws Exception {
    for (int n = from; n < to; n++) {
      ch.basicPublish(
          "",
          queue,
          new AMQP.BasicProperties.Builder()
              .messageId(DrainBackFixture.key(n))
              .contentType("application/json")
              .build(),
          DrainBackFixture.body(n).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void drainBackMovesQueuedJobsIntoTheTableOnceEvenWhenTheyComeTwice() throws Exception {
    String queue = "q4m-drain-" + UUID.randomUUID();
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(URI);
    try (Connection conn = f.newConnection("drain-back test");
        Channel ch = conn.createChannel();
        DrainBackFixture table = new DrainBackFixture("rabbitdrain")) {
      ch.queueDeclare(queue, false, false, false, null);
      try {
        publish(ch, queue, 0, 50);
        DrainBack.Result first;
        try (RabbitDrainSource source = new RabbitDrainSource(URI, queue)) {
          first = table.drain(source);
        }
        assertThat(first.moved()).isEqualTo(50);
        assertThat(table.payloads()).hasSize(50).first().isEqualTo("{\"job\":0}");
        assertThat(ch.messageCount(queue)).as("drained messages are acknowledged").isZero();

        publish(ch, queue, 0, 50); // the same jobs again (a redelivery)
        DrainBack.Result second;
        try (RabbitDrainSource source = new RabbitDrainSource(URI, queue)) {
          second = table.drain(source);
        }
        assertThat(second.moved()).isZero();
        assertThat(second.duplicates()).isEqualTo(50);
        assertThat(table.payloads()).hasSize(50);
      } finally {
        ch.queueDelete(queue);
      }
    }
  }
}
