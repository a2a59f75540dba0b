package org.q4mbridge.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final Duration WINDOW = Duration.ofSeconds(30);

  @Test
  void readyWhileRowsWereConfirmedWithinTheWindowWhateverTheBacklog() {
    assertThat(Readiness.notReadyReason(5000L, null, Duration.ofSeconds(29), WINDOW, List.of()))
        .isNull();
  }

  @Test
  void readyWithoutBacklogEvenWhenNothingWasConfirmedForLong() {
    assertThat(Readiness.notReadyReason(0L, null, Duration.ofHours(5), WINDOW, List.of())).isNull();
  }

  @Test
  void notReadyWithBacklogAndNoProgressNamingTheUnhealthySink() {
    assertThat(
            Readiness.notReadyReason(
                120L, null, Duration.ofSeconds(45), WINDOW, List.of("redis-main")))
        .isEqualTo(
            "120 row(s) waiting and nothing confirmed for 45 s; required sink(s) unhealthy:"
                + " redis-main");
  }

  @Test
  void notReadyWhenTheBacklogCannotBeMeasuredAndNothingMoves() {
    assertThat(
            Readiness.notReadyReason(
                null, "Communications link failure", Duration.ofSeconds(31), WINDOW, List.of()))
        .isEqualTo("backlog unknown (Communications link failure) and nothing confirmed for 31 s");
  }
}
