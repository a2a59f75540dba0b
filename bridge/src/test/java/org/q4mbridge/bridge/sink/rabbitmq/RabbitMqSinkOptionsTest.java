package org.q4mbridge.bridge.sink.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options are checked once, every problem reported together, the password never shown. */
class RabbitMqSinkOptionsTest {
  private static final String URI = "amqp://bridge:s3cret@mq.internal:5672/jobs";

  @Test
  void defaultsAreMandatoryPublishingToAnExistingExchange() {
    RabbitMqSinkOptions o = RabbitMqSinkOptions.of("rabbit-main", URI, "jobs");

    assertThat(o.declare()).isFalse();
    assertThat(o.mandatory()).isTrue();
    assertThat(o.routingKeyOverride()).isNull();
    assertThat(o.maxMessageBytes()).isEqualTo(128L * 1024 * 1024);
  }

  @Test
  void everyProblemIsReportedAtOnceWithTheSinksName() {
    assertThatThrownBy(
            () ->
                new RabbitMqSinkOptions(
                    "rabbit-main",
                    "http://mq:5672/",
                    null,
                    false,
                    true,
                    Duration.ZERO,
                    0,
                    "r".repeat(256),
                    Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rabbitmq sink 'rabbit-main': uri must start with amqp:// or amqps://, got"
                + " http://mq:5672/; exchange must be set (\"\" is the default exchange);"
                + " publishTimeout must be positive, got PT0S; maxMessageBytes must be between 1"
                + " and 536870912 (RabbitMQ's hard limit), got 0; routingKeyOverride is longer"
                + " than 255 bytes; recoveryInterval must be positive, got PT-1S");
  }

  @Test
  void aBadUriIsReportedWithoutItsPassword() {
    assertThatThrownBy(() -> RabbitMqSinkOptions.of("r", "amqp://bridge:s3cret@/jobs", "jobs"))
        .hasMessageContaining("uri names no host")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThatThrownBy(() -> RabbitMqSinkOptions.of("r", "amqp://bridge:s3cret@h/a/b", "jobs"))
        .hasMessageContaining("one vhost (write '/' as %2F)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    assertThatThrownBy(() -> RabbitMqSinkOptions.of("r", "amqp://bridge:s3cret@h:x y/", "jobs"))
        .hasMessageContaining("uri is not a valid URI")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
  }

  @Test
  void reservedOrDefaultExchangesCannotBeDeclared() {
    assertThatThrownBy(() -> RabbitMqSinkOptions.of("r", URI, "").withDeclare(true))
        .hasMessageContaining("cannot declare the default exchange");
    assertThatThrownBy(() -> RabbitMqSinkOptions.of("r", URI, "amq.topic").withDeclare(true))
        .hasMessageContaining("names starting with 'amq.' are reserved");
  }

  @Test
  void theRedactedUriKeepsTheUserAndDropsThePassword() {
    assertThat(RabbitMqSinkOptions.of("r", URI, "jobs").redactedUri())
        .isEqualTo("amqp://bridge@mq.internal:5672/jobs");
    assertThat(RabbitMqSinkOptions.of("r", "amqp://mq:5672", "jobs").redactedUri())
        .isEqualTo("amqp://mq:5672");
    assertThat(RabbitMqSinkOptions.redact("amqp://u:pa/ss@w0rd@mq:5672/jobs"))
        .isEqualTo("amqp://u@mq:5672/jobs");
  }

  @Test
  void aUriWithoutVhostOrWithABareSlashMeansTheDefaultVhost() {
    RabbitMqSinkOptions bare = RabbitMqSinkOptions.of("r", "amqp://u:p@mq:5672/", "jobs");
    RabbitMqSinkOptions none = RabbitMqSinkOptions.of("r", "amqp://u:p@mq:5672", "jobs");
    RabbitMqSinkOptions encoded = RabbitMqSinkOptions.of("r", "amqp://u:p@mq:5672/%2F", "jobs");

    assertThat(bare.virtualHost()).isEqualTo("/");
    assertThat(none.virtualHost()).isEqualTo("/");
    assertThat(encoded.virtualHost()).isEqualTo("/");
    assertThat(bare.clientUri()).isEqualTo("amqp://u:p@mq:5672/%2F");
    assertThat(none.clientUri()).isEqualTo("amqp://u:p@mq:5672/%2F");
    assertThat(RabbitMqSinkOptions.of("r", URI, "jobs").virtualHost()).isEqualTo("jobs");
  }

  @Test
  void aJsonObjectOrArrayIsLabelledJson() {
    assertThat(RabbitMqSink.looksLikeJson(" {\"type\":\"mail\"}\n")).isTrue();
    assertThat(RabbitMqSink.looksLikeJson("[1,2]")).isTrue();
    assertThat(RabbitMqSink.looksLikeJson("plain text")).isFalse();
    assertThat(RabbitMqSink.looksLikeJson("{")).isFalse();
    assertThat(RabbitMqSink.looksLikeJson("")).isFalse();
  }
}
