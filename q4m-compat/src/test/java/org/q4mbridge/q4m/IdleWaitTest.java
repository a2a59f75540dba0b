package org.q4mbridge.q4m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleWaitTest {

  @Test
  void wakeupEndsALongPauseAtOnce() throws Exception {
    IdleWait w = new IdleWait(Duration.ofMinutes(10), Duration.ofMinutes(10));
    CompletableFuture<Boolean> paused =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return w.pause(Duration.ofMinutes(10).toNanos());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    w.wakeup();
    assertThat(paused.get(30, TimeUnit.SECONDS)).as("woken, not timed out").isFalse();
  }

  @Test
  void aWakeupBeforeThePauseIsNotLost() throws Exception {
    IdleWait w = new IdleWait(Duration.ofMinutes(10), Duration.ofMinutes(10));
    w.wakeup();
    assertThat(w.pause(Duration.ofMinutes(10).toNanos())).isFalse();
    assertThat(w.takeWakeup()).as("consumed by the pause").isFalse();
  }

  @Test
  void aPauseEndsAtItsLimit() throws Exception {
    IdleWait w = new IdleWait(Duration.ofMillis(1), Duration.ofMillis(2));
    assertThat(w.pause(0)).isTrue();
  }

  @Test
  void nonsensicalIntervalsAreRejected() {
    assertThatThrownBy(() -> new IdleWait(Duration.ofMillis(10), Duration.ofMillis(5)))
        .hasMessageContaining("0 < min <= max");
  }
}
