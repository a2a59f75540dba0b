package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransportReconcilerTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final TransportReconciler R = new TransportReconciler(Duration.ofSeconds(5));

  private static ForwardedMessage fwd(String digest, long at, boolean confirmed) {
    return new ForwardedMessage(
        "app.jobs",
        "app.jobs:1:7",
        "ck",
        digest,
        "shadow",
        "redis-main",
        T0.plusSeconds(at),
        confirmed ? T0.plusSeconds(at) : null);
  }

  private static TransportObservation seen(String digest, long at) {
    return new TransportObservation(
        "app.jobs", "redis-main", "jobs.shadow", "app.jobs:1:7", "ck", digest, T0.plusSeconds(at));
  }

  private static TransportFinding classify(List<ForwardedMessage> f, List<TransportObservation> o) {
    return R.classify("redis-main", "app.jobs:1:7", f, o);
  }

  @Test
  void aMessageSeenOnceIntactAndOnTimeIsDelivered() {
    TransportFinding f = classify(List.of(fwd("d", 0, true)), List.of(seen("d", 2)));
    assertThat(f.category()).isEqualTo(TransportCategory.DELIVERED);
    assertThat(f.latency()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aConfirmedMessageNeverSeenIsMissing() {
    assertThat(classify(List.of(fwd("d", 0, true)), List.of()).category())
        .isEqualTo(TransportCategory.MISSING);
  }

  @Test
  void anUnconfirmedMessageNeverSeenIsNotALoss() {
    assertThat(classify(List.of(fwd("d", 0, false)), List.of()).category())
        .isEqualTo(TransportCategory.UNCONFIRMED);
  }

  @Test
  void aMessageSeenTwiceIsDuplicated() {
    TransportFinding f = classify(List.of(fwd("d", 0, true)), List.of(seen("d", 1), seen("d", 2)));
    assertThat(f.category()).isEqualTo(TransportCategory.DUPLICATED);
    assertThat(f.observed()).isEqualTo(2);
  }

  @Test
  void aResendIsNotADuplicateWhenTheBrokerDeliveredOnce() {
    assertThat(
            classify(List.of(fwd("d", 0, false), fwd("d", 3, true)), List.of(seen("d", 4)))
                .category())
        .isEqualTo(TransportCategory.DELIVERED);
  }

  @Test
  void aDifferentBodyDigestIsPayloadDiffers() {
    TransportFinding f = classify(List.of(fwd("d1", 0, true)), List.of(seen("d2", 1)));
    assertThat(f.category()).isEqualTo(TransportCategory.PAYLOAD_DIFFERS);
    assertThat(f.forwardedDigest()).isEqualTo("d1");
    assertThat(f.observedDigest()).isEqualTo("d2");
  }

  @Test
  void aDeliveryAfterTheSlaIsLate() {
    assertThat(classify(List.of(fwd("d", 0, true)), List.of(seen("d", 6))).category())
        .isEqualTo(TransportCategory.LATE);
  }

  @Test
  void aDeliveryWithoutALedgerRowIsUnexpected() {
    TransportFinding f = classify(List.of(), List.of(seen("d", 6)));
    assertThat(f.category()).isEqualTo(TransportCategory.UNEXPECTED);
    assertThat(f.firstSeen()).isEqualTo(T0.plusSeconds(6));
  }
}
