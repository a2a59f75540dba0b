package org.q4mbridge.bridge.pump;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClaimSizerTest {

  @Test
  void smallRowsGetTheWholeBatchAfterAFirstCautiousClaim() {
    ClaimSizer sizer = new ClaimSizer(1000, 4L << 20);
    assertThat(sizer.next()).isEqualTo(ClaimSizer.FIRST_CLAIM);

    sizer.observed(32, 32 * 300);

    assertThat(sizer.next()).isEqualTo(1000);
  }

  @Test
  void largeRowsShrinkTheNextClaimAtOnceSoItStaysWithinTheBudget() {
    ClaimSizer sizer = new ClaimSizer(1000, 4L << 20);
    sizer.observed(1000, 1000 * 300);

    sizer.observed(10, 10 * (256L << 10)); // a claim of 256 KiB rows

    assertThat(sizer.next()).isEqualTo(16); // 4 MiB / 256 KiB
  }

  @Test
  void afterLargeRowsTheClaimGrowsBackSlowly() {
    ClaimSizer sizer = new ClaimSizer(1000, 4L << 20);
    sizer.observed(16, 16 * (256L << 10));

    sizer.observed(1000, 1000 * 300);
    int afterOneSmallClaim = sizer.next();
    for (int i = 0; i < 100; i++) {
      sizer.observed(1000, 1000 * 300);
    }

    assertThat(afterOneSmallClaim).isLessThan(20);
    assertThat(sizer.next()).isEqualTo(1000);
  }

  @Test
  void itSaysWhenTheBudgetStartsAndStopsHoldingClaimsBelowTheBatchSize() {
    ClaimSizer sizer = new ClaimSizer(1000, 4L << 20);

    assertThat(sizer.observed(32, 32 * 300)).as("small rows: nothing to say").isFalse();
    assertThat(sizer.observed(10, 10 * (256L << 10))).as("large rows: now limited").isTrue();
    assertThat(sizer.limited()).isTrue();
    assertThat(sizer.rowBytes()).isEqualTo(256L << 10);
    assertThat(sizer.observed(10, 10 * (256L << 10))).as("still limited: said already").isFalse();
    boolean said = false;
    for (int i = 0; i < 100 && !said; i++) {
      said = sizer.observed(1000, 1000 * 300);
    }
    assertThat(said).as("back to the full batch size, once").isTrue();
    assertThat(sizer.limited()).isFalse();
    assertThat(sizer.next()).isEqualTo(1000);
  }

  @Test
  void aRowLargerThanTheBudgetIsStillClaimedOneAtATime() {
    ClaimSizer sizer = new ClaimSizer(1000, 1L << 20);
    sizer.observed(1, 8L << 20);

    assertThat(sizer.next()).isEqualTo(1);
  }

  @Test
  void withoutABudgetEveryClaimAsksForTheBatchSize() {
    assertThat(new ClaimSizer(200, 0).next()).isEqualTo(200);
    assertThat(new ClaimSizer(1, 4L << 20).next()).isEqualTo(1);
  }
}
