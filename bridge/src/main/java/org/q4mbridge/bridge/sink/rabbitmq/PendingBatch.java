package org.q4mbridge.bridge.sink.rabbitmq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.q4mbridge.bridge.sink.Verdict;

/**
 * The verdicts of one published batch. Each slot is settled once, by whichever thread learns the
 * answer first (the publisher, the connection's reader thread, the timeout); later answers for the
 * same slot are ignored, so a confirm arriving after the timeout cannot turn an Unknown into
 * Confirmed once the stage completed. Thread-safe.
 */
final class PendingBatch {
  private final AtomicReferenceArray<Verdict> verdicts;
  private final AtomicInteger open;
  private final CompletableFuture<List<Verdict>> answer = new CompletableFuture<>();
  private final Executor callbacks;

  /** The tracker this batch's messages were registered with, for forgetting them on timeout. */
  volatile ConfirmTracker tracker;

  /**
   * @param callbacks where the stage completes when the last verdict comes from a broker callback:
   *     the stage's dependants must not run on the connection's reader thread, which would hold up
   *     every other confirm behind them
   */
  PendingBatch(int size, Executor callbacks) {
    this.verdicts = new AtomicReferenceArray<>(size);
    this.open = new AtomicInteger(size);
    this.callbacks = callbacks;
    if (size == 0) {
      answer.complete(List.of());
    }
  }

  int size() {
    return verdicts.length();
  }

  CompletableFuture<List<Verdict>> answer() {
    return answer;
  }

  boolean isOpen(int index) {
    return verdicts.get(index) == null;
  }

  boolean done() {
    return open.get() == 0;
  }

  /** Settles one slot from the calling thread; returns false when it was settled already. */
  boolean settle(int index, Verdict verdict) {
    return settle(index, verdict, false);
  }

  /** Settles one slot from a broker callback; the stage completes on the callback executor. */
  boolean settleFromBroker(int index, Verdict verdict) {
    return settle(index, verdict, true);
  }

  /** Settles every slot still open, from the calling thread. */
  void settleOpen(Verdict verdict) {
    settleOpen(verdict, false);
  }

  /** Settles every slot still open, from a broker callback. */
  void settleOpenFromBroker(Verdict verdict) {
    settleOpen(verdict, true);
  }

  private void settleOpen(Verdict verdict, boolean async) {
    for (int i = 0; i < verdicts.length(); i++) {
      settle(i, verdict, async);
    }
  }

  private boolean settle(int index, Verdict verdict, boolean async) {
    if (!verdicts.compareAndSet(index, null, verdict)) {
      return false;
    }
    if (open.decrementAndGet() == 0) {
      List<Verdict> out = new ArrayList<>(verdicts.length());
      for (int i = 0; i < verdicts.length(); i++) {
        out.add(verdicts.get(i));
      }
      List<Verdict> result = List.copyOf(out);
      if (async) {
        try {
          callbacks.execute(() -> answer.complete(result));
        } catch (RejectedExecutionException e) {
          answer.complete(result); // the sink is closing: its executor takes no more work
        }
      } else {
        answer.complete(result);
      }
    }
    return true;
  }
}
