package org.q4mbridge.bridge.pump;

/**
 * How many rows one consumer's next claim asks for: {@code batchSize}, or fewer when the messages
 * it has forwarded so far say that {@code batchSize} rows would exceed {@code maxBatchBytes} of
 * message bodies. A claim's rows are all in memory at once, so this keeps a large {@code batchSize}
 * — which small rows need for throughput — from filling the heap when rows are large.
 *
 * <p>The estimate of a row's size follows a larger average at once and a smaller one slowly, so a
 * run of large rows shrinks the next claim immediately and a single small claim does not grow it
 * back. Before anything is known the claim asks for at most {@link #FIRST_CLAIM} rows. Not thread
 * safe: one per consumer.
 */
final class ClaimSizer {

  /** Rows the first claim asks for at most, before any row size is known. */
  static final int FIRST_CLAIM = 32;

  private final int batchSize;
  private final long maxBatchBytes;
  private double rowBytes;
  private boolean limited;

  /**
   * @param batchSize the most rows per claim
   * @param maxBatchBytes the most message-body bytes one claim should bring, or 0 for no limit
   */
  ClaimSizer(int batchSize, long maxBatchBytes) {
    if (batchSize < 1 || maxBatchBytes < 0) {
      throw new IllegalArgumentException("batchSize must be >= 1 and maxBatchBytes >= 0");
    }
    this.batchSize = batchSize;
    this.maxBatchBytes = maxBatchBytes;
  }

  /** Rows to ask for in the next claim: 1..batchSize. */
  int next() {
    if (maxBatchBytes == 0) {
      return batchSize;
    }
    if (rowBytes <= 0) {
      return Math.min(batchSize, FIRST_CLAIM);
    }
    double fits = Math.floor(maxBatchBytes / rowBytes);
    return (int) Math.max(1, Math.min(batchSize, fits));
  }

  /**
   * Records a claim's forwarded messages: how many, and their bodies' total size in bytes.
   *
   * @return true when this changed whether claims are held below batchSize by the budget (worth a
   *     log line: from now on fewer rows per claim, or the full batchSize again)
   */
  boolean observed(int messages, long bodyBytes) {
    if (messages < 1 || maxBatchBytes == 0) {
      return false;
    }
    double average = Math.max(1, (double) bodyBytes / messages);
    rowBytes = rowBytes <= 0 ? average : Math.max(average, 0.9 * rowBytes + 0.1 * average);
    boolean nowLimited = next() < batchSize;
    boolean changed = nowLimited != limited;
    limited = nowLimited;
    return changed;
  }

  /** Whether claims are held below batchSize by the budget. */
  boolean limited() {
    return limited;
  }

  /** The current estimate of a message body's size in bytes, 0 before any claim. */
  long rowBytes() {
    return Math.round(rowBytes);
  }
}
