package org.q4mbridge.bridge.sink.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.Verdict;

/** How broker answers (acks, nacks, returns, a lost channel) become per-message verdicts. */
class ConfirmTrackerTest {
  private final ConfirmTracker tracker = new ConfirmTracker(7);

  /** A batch of {@code n} messages tracked under sequence numbers {@code first..first+n-1}. */
  private PendingBatch tracked(int n, long first) {
    PendingBatch batch = new PendingBatch(n, Runnable::run);
    batch.tracker = tracker;
    for (int i = 0; i < n; i++) {
      assertThat(tracker.track(first + i, new ConfirmTracker.Pending(batch, i, "k" + i))).isTrue();
    }
    return batch;
  }

  @Test
  void aMultipleAckConfirmsEveryPublishUpToTheTagAndNoneAfterIt() {
    PendingBatch batch = tracked(5, 1);

    tracker.ack(3, true);

    assertThat(batch.answer()).isNotDone();
    assertThat(tracker.outstanding()).isEqualTo(2);
    tracker.ack(4, false);
    tracker.ack(5, false);
    assertThat(batch.answer().join()).containsOnly(Verdict.CONFIRMED).hasSize(5);
  }

  @Test
  void aNackIsARetriableRejectionOfThatMessageOnly() {
    PendingBatch batch = tracked(3, 10);

    tracker.ack(10, false);
    tracker.nack(11, false);
    tracker.ack(12, false);

    assertThat(batch.answer().join())
        .containsExactly(
            Verdict.CONFIRMED,
            Verdict.rejected(ConfirmTracker.NACK_REASON, true),
            Verdict.CONFIRMED);
  }

  @Test
  void aMultipleNackRejectsEveryOutstandingPublishUpToTheTag() {
    PendingBatch batch = tracked(3, 1);

    tracker.nack(2, true);
    tracker.ack(3, false);

    assertThat(batch.answer().join())
        .containsExactly(
            Verdict.rejected(ConfirmTracker.NACK_REASON, true),
            Verdict.rejected(ConfirmTracker.NACK_REASON, true),
            Verdict.CONFIRMED);
  }

  @Test
  void aReturnBeforeTheAckRejectsTheMessageForGoodAndTheAckChangesNothing() {
    PendingBatch batch = tracked(3, 1);

    tracker.returned(tracker.publishId(2), "k1", 312, "NO_ROUTE", "jobs", "x");
    tracker.ack(3, true);

    assertThat(batch.answer().join())
        .containsExactly(
            Verdict.CONFIRMED,
            Verdict.rejected(
                "unroutable: exchange 'jobs' has no queue bound for routing key 'x' (312 NO_ROUTE)",
                false),
            Verdict.CONFIRMED);
  }

  @Test
  void aReturnOfAnotherIncarnationOrAnotherKeyIsIgnored() {
    PendingBatch batch = tracked(1, 1);

    tracker.returned("6.1", "k0", 312, "NO_ROUTE", "jobs", "x");
    tracker.returned(tracker.publishId(1), "some other key", 312, "NO_ROUTE", "jobs", "x");
    tracker.returned(null, "k0", 312, "NO_ROUTE", "jobs", "x");
    tracker.ack(1, false);

    assertThat(batch.answer().join()).containsExactly(Verdict.CONFIRMED);
  }

  @Test
  void closingAnswersEverythingOutstandingUnknownAndRefusesNewPublishes() {
    PendingBatch batch = tracked(3, 1);
    tracker.ack(1, false);

    tracker.close("connection lost: 320 CONNECTION_FORCED");

    assertThat(batch.answer().join())
        .containsExactly(
            Verdict.CONFIRMED,
            Verdict.unknown("connection lost: 320 CONNECTION_FORCED"),
            Verdict.unknown("connection lost: 320 CONNECTION_FORCED"));
    PendingBatch late = new PendingBatch(1, Runnable::run);
    assertThat(tracker.track(4, new ConfirmTracker.Pending(late, 0, "k"))).isFalse();
    assertThat(late.answer().join())
        .containsExactly(Verdict.unknown("connection lost: 320 CONNECTION_FORCED"));
  }

  @Test
  void anAckAfterTheBatchTimedOutCannotTurnUnknownIntoConfirmed() {
    PendingBatch batch = tracked(2, 1);
    tracker.ack(1, false);

    batch.settleOpen(Verdict.unknown("no confirm within PT1S"));
    tracker.forget(batch);
    tracker.ack(2, false);

    assertThat(batch.answer().join())
        .containsExactly(Verdict.CONFIRMED, Verdict.unknown("no confirm within PT1S"));
    assertThat(tracker.outstanding()).isZero();
  }

  @Test
  void theStageCompletesOnTheCallbackExecutorWhenTheBrokerAnswersLast() {
    List<Runnable> handedOver = new java.util.ArrayList<>();
    PendingBatch batch = new PendingBatch(1, handedOver::add);
    tracker.track(1, new ConfirmTracker.Pending(batch, 0, "k0"));

    tracker.ack(1, false);

    assertThat(batch.answer()).isNotDone();
    handedOver.forEach(Runnable::run);
    assertThat(batch.answer().join()).containsExactly(Verdict.CONFIRMED);
  }

  @Test
  void theDefaultExchangeIsNamedAsSuchInTheUnroutableReason() {
    assertThat(ConfirmTracker.unroutable(312, "NO_ROUTE", "", "jobs"))
        .isEqualTo("unroutable: the default exchange has no queue named 'jobs' (312 NO_ROUTE)");
  }
}
