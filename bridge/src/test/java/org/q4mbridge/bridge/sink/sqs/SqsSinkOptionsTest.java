package org.q4mbridge.bridge.sink.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options are validated once, with a message naming the sink and the setting, never clamped. */
class SqsSinkOptionsTest {
  private static final URI LOCAL = URI.create("http://127.0.0.1:9324");
  private static final Duration T = Duration.ofSeconds(5);

  private static SqsSinkOptions options(
      String region, URI endpoint, String id, String secret, Duration timeout, long bytes, int n) {
    return new SqsSinkOptions(
        "sqs-main", region, endpoint, null, id, secret, null, timeout, bytes, n);
  }

  @Test
  void defaultsAreTheClassicSqsLimitsAndTheDefaultCredentialsChain() {
    SqsSinkOptions o = SqsSinkOptions.of("sqs-main", "eu-west-1", null, null, null);

    assertThat(o.maxMessageBytes()).isEqualTo(262_144);
    assertThat(o.publishTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.maxConcurrency()).isEqualTo(8);
    assertThat(o.defaultCredentials()).isTrue();
    assertThat(o.queueUrlPrefix()).isNull();
    assertThat(o.withPublishTimeout(Duration.ofSeconds(3)).publishTimeout())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(o.withMaxMessageBytes(1_048_576).maxMessageBytes()).isEqualTo(1_048_576);
    assertThat(o.withQueueUrlPrefix("https://sqs.example/123/").queueUrlPrefix())
        .isEqualTo("https://sqs.example/123/");
  }

  @Test
  void badValuesAreRejectedWithTheSinkAndTheSettingNamed() {
    assertThatThrownBy(() -> options(" ", LOCAL, null, null, T, 1000, 4))
        .hasMessage(
            "sqs sink 'sqs-main': region is required (e.g. eu-west-1; also with an endpoint"
                + " override)");
    assertThatThrownBy(() -> options("eu west", LOCAL, null, null, T, 1000, 4))
        .hasMessageContaining("region 'eu west' is not a region name");
    assertThatThrownBy(() -> options("eu-west-1", URI.create("ftp://x"), null, null, T, 1000, 4))
        .hasMessageContaining("endpoint 'ftp://x' must be an http or https URL");
    assertThatThrownBy(
            () -> options("eu-west-1", URI.create("http://u:p@h:1"), null, null, T, 1000, 4))
        .hasMessageContaining("endpoint must not carry credentials");
    assertThatThrownBy(() -> options("eu-west-1", LOCAL, "id", null, T, 1000, 4))
        .hasMessageContaining("set both accessKeyId and secretAccessKey, or neither");
    assertThatThrownBy(() -> options("eu-west-1", LOCAL, "", "s", T, 1000, 4))
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> options("eu-west-1", LOCAL, null, null, Duration.ZERO, 1000, 4))
        .hasMessageContaining("publishTimeout must be > 0 and <= 10m, was PT0S");
    assertThatThrownBy(() -> options("eu-west-1", LOCAL, null, null, T, 1_048_577, 4))
        .hasMessageContaining(
            "maxMessageBytes must be between 1 and 1048576 (SQS's limit), was 1048577");
    assertThatThrownBy(() -> options("eu-west-1", LOCAL, null, null, T, 1000, 0))
        .hasMessageContaining("maxConcurrency must be between 1 and 64, was 0");
    assertThatThrownBy(
            () ->
                SqsSinkOptions.of("sqs-main", "eu-west-1", null, null, null)
                    .withQueueUrlPrefix("https://sqs.eu-west-1.amazonaws.com/1234"))
        .hasMessageContaining(
            "queueUrlPrefix 'https://sqs.eu-west-1.amazonaws.com/1234' must be an http or https"
                + " URL ending in '/'");
    assertThatThrownBy(
            () ->
                new SqsSinkOptions(
                    "sqs-main", "eu-west-1", null, null, null, null, "token", T, 1000, 4))
        .hasMessageContaining("sessionToken needs accessKeyId and secretAccessKey");
    assertThatThrownBy(() -> SqsSinkOptions.of("", "eu-west-1", null, null, null))
        .hasMessage("sqs sink: name is required");
  }

  @Test
  void theSecretAndTheSessionTokenNeverAppearInToString() {
    SqsSinkOptions o =
        new SqsSinkOptions(
            "sqs-main",
            "eu-west-1",
            LOCAL,
            null,
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI",
            "FwoGZXIvYXdzEXAMPLETOKEN",
            Duration.ofSeconds(1),
            10,
            1);

    assertThat(o.toString())
        .contains("AKIDEXAMPLE")
        .contains("****")
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("FwoGZXIvYXdzEXAMPLETOKEN");
  }
}
