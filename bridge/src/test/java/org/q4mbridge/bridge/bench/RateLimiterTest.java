package org.q4mbridge.bridge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long MS = 1_000_000;

  /** A clock that only moves when the limiter pauses or the test says so. */
  private static final class FakeTime {
    long now = 5_000 * MS;
    final List<Long> pauses = new ArrayList<>();

    RateLimiter limiter(double perSecond) {
      return new RateLimiter(
          perSecond,
          () -> now,
          nanos -> {
            pauses.add(nanos);
            now += nanos;
          });
    }
  }

  @Test
  void firstPermitIsImmediateAndLaterOnesFollowTheSchedule() throws Exception {
    FakeTime t = new FakeTime();
    RateLimiter limiter = t.limiter(100); // one permit every 10 ms
    long start = t.now;

    assertThat(limiter.acquire()).isZero();
    assertThat(t.now).isEqualTo(start);
    assertThat(limiter.acquire()).isZero();
    assertThat(t.now).isEqualTo(start + 10 * MS);
    assertThat(limiter.acquire()).isZero();
    assertThat(t.now).isEqualTo(start + 20 * MS);
    assertThat(t.pauses).containsExactly(10 * MS, 10 * MS);
    assertThat(limiter.issued()).isEqualTo(3);
  }

  @Test
  void aHeldUpProducerCatchesUpWithoutShiftingLaterPermits() throws Exception {
    FakeTime t = new FakeTime();
    RateLimiter limiter = t.limiter(100);
    long start = t.now;
    limiter.acquire();
    t.now += 35 * MS; // a slow INSERT

    // Permits due at 10, 20 and 30 ms are handed out at once, each reporting how late it is.
    assertThat(limiter.acquire()).isEqualTo(25 * MS);
    assertThat(limiter.acquire()).isEqualTo(15 * MS);
    assertThat(limiter.acquire()).isEqualTo(5 * MS);
    assertThat(t.pauses).isEmpty();
    // The next one keeps its place in the schedule: 40 ms after the start.
    assertThat(limiter.acquire()).isZero();
    assertThat(t.now).isEqualTo(start + 40 * MS);
  }

  @Test
  void fractionalIntervalsDoNotDriftOverManyPermits() throws Exception {
    FakeTime t = new FakeTime();
    RateLimiter limiter = t.limiter(3); // 333,333,333.33 ns apart
    long start = t.now;
    for (int i = 0; i < 3001; i++) {
      limiter.acquire();
    }
    assertThat(t.now - start).isEqualTo(1000L * 1_000_000_000L);
  }

  @Test
  void aPauseThatReturnsEarlyIsRepeatedUntilThePermitIsDue() throws Exception {
    long[] now = {0};
    List<Long> pauses = new ArrayList<>();
    RateLimiter limiter =
        new RateLimiter(
            10,
            () -> now[0],
            nanos -> {
              pauses.add(nanos);
              now[0] += Math.max(1, nanos / 2); // woke up half way
            });
    limiter.acquire();
    limiter.acquire();
    assertThat(now[0]).isGreaterThanOrEqualTo(100 * MS);
    assertThat(pauses).hasSizeGreaterThan(1);
  }

  @Test
  void rejectsARateThatIsNotPositive() {
    assertThatThrownBy(() -> RateLimiter.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimiter.of(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateLimiter.of(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
