package org.q4mbridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The small notations of the file: durations, byte sizes, and how secrets are shown. */
class NotationsTest {

  @ParameterizedTest
  @CsvSource({"200ms,200", "30s,30000", "5m,300000", "24h,86400000", "7d,604800000", "0s,0"})
  void durationsReadAWholeNumberAndAUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis))))
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"1500ms,1500ms", "60s,1m", "90m,90m", "1440m,24h", "2880m,2d", "0ms,0s"})
  void durationsAreFormattedInTheLargestExactUnit(String text, String formatted) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(formatted);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"30", "30 seconds", "1.5s", "-5s", "PT30S", "s", "", "30S", "999999999999999d"})
  void durationsRejectAnythingElseWithTheExpectedForm(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @CsvSource({"262144,262144", "256KiB,262144", "1MiB,1048576", "2GiB,2147483648", "512B,512"})
  void byteSizesReadPlainNumbersAndBinaryUnits(String text, long bytes) {
    assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    assertThat(ByteSizes.parse(ByteSizes.format(bytes))).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1MB", "1 M", "-1", "1.5MiB", "lots", "999999999999GiB"})
  void byteSizesRejectDecimalUnitsAndGarbage(String text) {
    assertThatThrownBy(() -> ByteSizes.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "amqp://guest:guest@127.0.0.1:5672/|amqp://****@127.0.0.1:5672/",
        "redis://:p@ss@127.0.0.1:6379/0|redis://****@127.0.0.1:6379/0",
        "redis://127.0.0.1:6379/0|redis://127.0.0.1:6379/0",
        "amqps://user@host/vhost?x=a@b|amqps://****@host/vhost?x=a@b"
      })
  void uriSecretsShowEverythingButTheUserInfo(String uri, String shown) {
    Secret s = Secret.uri(uri, false);
    assertThat(s.redacted()).isEqualTo(shown);
    assertThat(s.toString()).isEqualTo(shown);
    assertThat(s.reveal()).isEqualTo(uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://127.0.0.1:6379/0", "hunter2"})
  void secretsFromReferencesAndPasswordsAreMaskedWhole(String value) {
    assertThat(Secret.uri(value, true).toString()).isEqualTo("****");
    assertThat(Secret.of(value).toString()).isEqualTo("****");
  }
}
