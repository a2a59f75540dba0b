package org.q4mbridge.compare.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchWriterTest {
  private static WriterOptions options(int capacity, int maxBatch, int attempts) {
    return new WriterOptions(
        capacity, maxBatch, Duration.ofMillis(20), Duration.ofSeconds(5), attempts);
  }

  @Test
  void rowsAreWrittenInBatchesNoLargerThanMaxBatch() {
    List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    try (BatchWriter<Integer> w =
        new BatchWriter<>("t", b -> batches.add(List.copyOf(b)), options(1000, 7, 3))) {
      for (int i = 0; i < 100; i++) {
        assertThat(w.offer(i)).isTrue();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> w.stats().written() == 100);
    }
    assertThat(batches).allSatisfy(b -> assertThat(b.size()).isBetween(1, 7));
    assertThat(batches.stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    BatchWriter<Integer> w =
        new BatchWriter<>(
            "t",
            b -> {
              entered.countDown();
              release.await();
            },
            options(10, 1, 3));
    try {
      w.offer(-1);
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 0; i < 50; i++) {
        if (w.offer(i)) {
          accepted++;
        }
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(accepted).isEqualTo(10);
      assertThat(w.stats().dropped()).isEqualTo(40);
    } finally {
      release.countDown();
      w.close();
    }
    assertThat(w.stats().written()).isEqualTo(11);
  }

  @Test
  void closeWritesEverythingQueued() {
    AtomicInteger written = new AtomicInteger();
    BatchWriter<Integer> w =
        new BatchWriter<>("t", b -> written.addAndGet(b.size()), options(10_000, 100, 3));
    for (int i = 0; i < 5000; i++) {
      w.offer(i);
    }
    w.close();
    assertThat(written.get()).isEqualTo(5000);
    assertThat(w.stats()).isEqualTo(new WriterStats(5000, 5000, 0, 0));
  }

  @Test
  void aBatchThatKeepsFailingIsRetriedThenGivenUpAndCounted() {
    AtomicInteger calls = new AtomicInteger();
    try (BatchWriter<Integer> w =
        new BatchWriter<>(
            "t",
            b -> {
              calls.incrementAndGet();
              throw new SQLException("server gone");
            },
            options(100, 10, 2))) {
      w.offer(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> w.stats().failed() == 1);
      assertThat(calls.get()).isEqualTo(2);
    }
  }

  @Test
  void aWriteThatRecoversLosesNothing() {
    AtomicInteger calls = new AtomicInteger();
    List<Integer> rows = new CopyOnWriteArrayList<>();
    try (BatchWriter<Integer> w =
        new BatchWriter<>(
            "t",
            b -> {
              if (calls.incrementAndGet() == 1) {
                throw new SQLException("deadlock");
              }
              rows.addAll(b);
            },
            options(100, 10, 5))) {
      w.offer(1);
      w.offer(2);
      await().atMost(Duration.ofSeconds(5)).until(() -> w.stats().written() == 2);
    }
    assertThat(rows).containsExactly(1, 2);
  }

  @Test
  void rowsOfferedAfterCloseAreDroppedAndCloseIsIdempotent() {
    BatchWriter<Integer> w = new BatchWriter<>("t", b -> {}, options(10, 10, 1));
    w.close();
    assertThat(w.offer(1)).isFalse();
    w.close();
    assertThat(w.stats().dropped()).isEqualTo(1);
  }
}
