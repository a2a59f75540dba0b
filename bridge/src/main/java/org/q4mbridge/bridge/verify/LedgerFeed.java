package org.q4mbridge.bridge.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.compare.CorrelationKeys;
import org.q4mbridge.compare.CorrelationKeys.KeyColumn;
import org.q4mbridge.compare.ForwardedMessage;
import org.q4mbridge.compare.jdbc.LedgerWriter;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the pumps forwarded into ledger rows, off the consumer threads: {@link #offer} only
 * queues the batch (the pump's lists, no copy); one daemon thread computes each message's
 * correlation key and body digest once and hands one {@link ForwardedMessage} per message and sink
 * to the {@link LedgerWriter}.
 *
 * <p>The correlation key is {@link CorrelationKeys}' default, the content digest of the row over
 * its columns in table order — the key legacy workers compute from the same row. Columns of a type
 * with no agreed canonical form (FLOAT, DOUBLE, BIT, YEAR, spatial) are left out, as the module
 * README says to; a row whose key cannot be computed at all gets an empty key (logged once per
 * queue).
 *
 * <p><b>Threading:</b> {@link #offer} is safe from any thread and never blocks; a full queue drops
 * the batch and counts it ({@link #dropped()}). {@link #close()} writes what is queued (bounded)
 * and then closes nothing else: the writer belongs to the caller. Idempotent.
 */
final class LedgerFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerFeed.class);
  private static final int CAPACITY = 1024;
  private static final long CLOSE_WAIT_MILLIS = 10_000;

  /** One required sink's answer for one batch. */
  record Batch(
      String queue,
      String phase,
      String sink,
      List<QueueRow> rows,
      List<OutboundMessage> messages,
      List<Verdict> verdicts,
      long publishedAtMillis,
      long answeredAtMillis) {}

  private final LedgerWriter writer;
  private final ArrayBlockingQueue<Batch> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private final Set<String> keyProblems = ConcurrentHashMap.newKeySet();
  // Owned by the feed thread.
  private final Map<List<QueueColumn>, List<Integer>> keyColumnIndexes = new HashMap<>();
  private final Map<List<QueueColumn>, List<KeyColumn>> keyColumns = new HashMap<>();
  private List<OutboundMessage> lastMessages;
  private String[] lastDigests;
  private String[] lastKeys;

  LedgerFeed(LedgerWriter writer) {
    this.writer = writer;
    this.thread = new Thread(this::run, "ledger-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues one answer; false (and counted) when the queue is full or closed. Never blocks. */
  boolean offer(Batch b) {
    if (closing.getCount() == 0 || !queue.offer(b)) {
      dropped.addAndGet(b.messages().size());
      return false;
    }
    return true;
  }

  /** Messages whose ledger rows were dropped here (the writer counts its own drops). */
  long dropped() {
    return dropped.get();
  }

  private void run() {
    try {
      while (true) {
        Batch b = queue.poll(50, TimeUnit.MILLISECONDS);
        if (b == null) {
          if (closing.getCount() == 0 && queue.isEmpty()) {
            return;
          }
          continue;
        }
        try {
          write(b);
        } catch (RuntimeException e) {
          dropped.addAndGet(b.messages().size());
          LOG.warn("ledger rows of queue {} lost: {}", b.queue(), e.toString());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(Batch b) {
    int n = b.messages().size();
    // Every required sink answers the same batch: digest it once for all of them.
    if (b.messages() != lastMessages) {
      lastMessages = b.messages();
      lastDigests = new String[n];
      lastKeys = new String[n];
      for (int i = 0; i < n; i++) {
        lastDigests[i] = PublishedBodies.digest(b.messages().get(i).body());
        lastKeys[i] = correlationKey(b.queue(), b.rows().get(i));
      }
    }
    Instant published = Instant.ofEpochMilli(b.publishedAtMillis());
    Instant answered = Instant.ofEpochMilli(b.answeredAtMillis());
    for (int i = 0; i < n; i++) {
      OutboundMessage m = b.messages().get(i);
      boolean confirmed = b.verdicts().get(i) instanceof Verdict.Confirmed;
      writer.forwarded(
          new ForwardedMessage(
              b.queue(),
              m.key(),
              lastKeys[i],
              lastDigests[i],
              b.phase(),
              b.sink(),
              published,
              confirmed ? answered : null));
    }
  }

  private String correlationKey(String queue, QueueRow row) {
    List<QueueColumn> columns = row.columns();
    List<KeyColumn> key = keyColumns.get(columns);
    if (key == null) {
      key = new ArrayList<>();
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        QueueColumn c = columns.get(i);
        try {
          key.add(KeyColumn.of(c.name(), c.typeName()));
          indexes.add(i);
        } catch (IllegalArgumentException e) {
          // No canonical form both sides agree on: left out of the key (module README).
        }
      }
      keyColumns.put(columns, key);
      keyColumnIndexes.put(columns, indexes);
    }
    List<Integer> indexes = keyColumnIndexes.get(columns);
    List<Object> values = new ArrayList<>(indexes.size());
    for (int i : indexes) {
      values.add(row.values().get(i));
    }
    try {
      return CorrelationKeys.of(key, values);
    } catch (IllegalArgumentException e) {
      if (keyProblems.add(queue)) {
        LOG.warn(
            "queue {}: no correlation key for its ledger rows ({}); they carry an empty key",
            queue,
            e.getMessage());
      }
      return "";
    }
  }

  /** Stops accepting batches and writes the queued ones to the writer (at most 10 s). */
  @Override
  public void close() {
    closing.countDown();
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
