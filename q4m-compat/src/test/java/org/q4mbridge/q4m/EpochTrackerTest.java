package org.q4mbridge.q4m;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochTrackerTest {
  private final TableRef q = new TableRef("app", "jobs");

  @Test
  void aRowIdSeenAgainAfterItWasRemovedStartsANewEpoch() throws Exception {
    EpochTracker t = EpochTracker.open(q, EpochTracker.Store.inMemory());
    assertThat(t.epochFor(1)).isZero();
    assertThat(t.epochFor(2)).isZero();
    t.removed(List.of(1L, 2L), 0);
    assertThat(t.epochFor(3)).as("a new id").isZero();
    assertThat(t.epochFor(1)).as("an id removed before: ids restarted").isEqualTo(1);
    assertThat(t.epochFor(2)).as("the new epoch starts with a clean slate").isEqualTo(1);
  }

  @Test
  void releasedRowsKeepTheirEpochWhenClaimedAgain() throws Exception {
    EpochTracker t = EpochTracker.open(q, EpochTracker.Store.inMemory());
    t.removed(List.of(2L, 3L), 0);
    assertThat(t.epochFor(1)).as("row 1 was released, not removed").isZero();
    assertThat(t.epochFor(1)).isZero();
  }

  @Test
  void removalsReportedForAnOlderEpochAreIgnored() throws Exception {
    EpochTracker t = EpochTracker.open(q, EpochTracker.Store.inMemory());
    t.removed(List.of(5L), 0);
    t.epochFor(5); // bump to 1
    t.removed(List.of(7L), 0); // a late settle of a claim made in epoch 0
    assertThat(t.epochFor(7)).isEqualTo(1);
  }

  @Test
  void aRestartedProcessDetectsResetIdsFromTheStoredHighWaterMark() throws Exception {
    EpochTracker.Store store = EpochTracker.Store.inMemory();
    EpochTracker first = EpochTracker.open(q, store);
    first.removed(List.of(1L, 2L, 3L, 4L, 5L), 0);
    first.save();

    EpochTracker second = EpochTracker.open(q, store);
    second.checkRestart(6);
    assertThat(second.epoch()).as("next id 6 > 5: same epoch").isZero();
    second.checkRestart(2);
    assertThat(second.epoch()).as("next id 2 <= 5: ids restarted").isEqualTo(1);
    assertThat(EpochTracker.open(q, store).epoch()).as("the bump is stored").isEqualTo(1);
  }

  @Test
  void theRegistryHandsOutOneTrackerPerQueue() {
    var registry = EpochTracker.registry(EpochTracker.Store.inMemory());
    assertThat(registry.apply(q)).isSameAs(registry.apply(new TableRef("APP", "JOBS")));
    assertThat(registry.apply(q)).isNotSameAs(registry.apply(new TableRef("app", "other")));
  }
}
