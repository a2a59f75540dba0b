package org.q4mbridge.bridge.verify;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.q4mbridge.bridge.pump.Backoff;
import org.q4mbridge.bridge.sink.ShadowReader;
import org.q4mbridge.bridge.sink.ShadowReader.Delivery;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.compare.TransportObservation;
import org.q4mbridge.compare.jdbc.LedgerWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow consumer of one sink: one daemon thread reading its {@link ShadowReader} and writing
 * one {@link TransportObservation} per delivery, then acknowledging the deliveries.
 *
 * <p>A failure (broker down, group deleted with its stream) is logged once per kind, and the reader
 * is reopened after a backoff (200 ms doubling to 30 s); nothing here stops the daemon. {@link
 * #close()} ends the loop within about one read's wait, then closes the reader. Idempotent.
 */
final class ShadowConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowConsumer.class);
  private static final Duration WAIT = Duration.ofSeconds(1);

  private final String sink;
  private final ShadowReader reader;
  private final LedgerWriter writer;
  private final Predicate<String> verifiedQueue;
  private final Clock clock;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final AtomicLong observed = new AtomicLong();
  private final Thread thread;
  private volatile boolean opened;

  /**
   * @param verifiedQueue whether deliveries of a queue ({@code schema.table}) are recorded; those
   *     of other queues sharing the destination are acknowledged and skipped
   */
  ShadowConsumer(
      String sink,
      ShadowReader reader,
      LedgerWriter writer,
      Predicate<String> verifiedQueue,
      Clock clock) {
    this.sink = sink;
    this.reader = reader;
    this.writer = writer;
    this.verifiedQueue = verifiedQueue;
    this.clock = clock;
    this.thread = new Thread(this::run, "shadow-consumer-" + sink);
    thread.setDaemon(true);
  }

  /**
   * Opens the reader on the calling thread (so its group or queue exists before the pumps publish),
   * then starts reading. A reader that cannot open now is retried by the thread.
   */
  synchronized void startOnce() {
    if (thread.getState() != Thread.State.NEW) {
      return;
    }
    try {
      reader.open();
      opened = true;
    } catch (SinkException | RuntimeException e) {
      report(e);
    }
    thread.start();
  }

  String sink() {
    return sink;
  }

  /** Deliveries recorded so far. */
  long observed() {
    return observed.get();
  }

  private boolean pause(Duration d) throws InterruptedException {
    return !stop.await(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void run() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
    try {
      while (stop.getCount() > 0) {
        try {
          if (!opened) {
            reader.open();
            opened = true;
          }
          List<Delivery> got = reader.read(WAIT);
          for (Delivery d : got) {
            record(d);
          }
          reader.ack(got);
          if (backoff.failures() > 0) {
            LOG.info("{}: shadow consumer reading again", sink);
            reported.clear();
          }
          backoff.reset();
        } catch (SinkException | RuntimeException e) {
          if (stop.getCount() == 0) {
            break;
          }
          opened = false;
          report(e);
          backoff.fail(this::pause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(Delivery d) {
    String queue = PublishedBodies.queueOf(d.key());
    if (queue == null || !verifiedQueue.test(queue)) {
      return;
    }
    writer.observed(
        new TransportObservation(
            queue,
            sink,
            d.destination(),
            d.key(),
            // The message carries no correlation key; join through q4m_ledger on the message key.
            "",
            PublishedBodies.digest(PublishedBodies.body(d)),
            clock.instant()));
    observed.incrementAndGet();
  }

  private void report(Exception e) {
    String kind = e.getClass().getName() + ":" + kindOf(e.getMessage());
    if (reported.add(kind)) {
      LOG.warn("{}: shadow consumer: {}; retrying with backoff", sink, e.getMessage());
    } else {
      LOG.debug("{}: shadow consumer: {}", sink, e.getMessage());
    }
  }

  // Ids and counts differ from one failure to the next; the words say what kind it is.
  private static String kindOf(String message) {
    return message == null ? "" : message.replaceAll("[0-9]+", "#");
  }

  /** Ends the loop (within about one read's wait) and closes the reader. Idempotent. */
  @Override
  public void close() {
    stop.countDown();
    try {
      thread.join(WAIT.toMillis() + 5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.close();
  }
}
