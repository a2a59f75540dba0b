package org.q4mbridge.bridge.pump;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.QueueSource;
import org.q4mbridge.q4m.QueueSourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves one queue's rows to its sinks: {@code consumers} threads, each looping poll → map → publish
 * → settle on a queue source of its own (DESIGN.md §4).
 *
 * <p>The ack rule: a row is acknowledged (removed from MySQL) only after <em>every required
 * sink</em> confirmed its message. Best-effort sinks get the same messages but never hold the ack;
 * their outstanding batches are bounded and their failures only counted. A row that cannot be
 * mapped, is larger than a sink accepts, or that a sink rejects as non-retriable is dead-lettered
 * at once with the reason; a row that fails retriably goes back to the queue (same position, same
 * key) and is tried again after a backoff, up to {@link RetryPolicy#maxAttempts()} attempts, then
 * dead-lettered with the last error.
 *
 * <p>Ordering: with {@code ordered}, one consumer publishes each batch as one in-order pipeline and
 * acknowledges strictly in row order — the first row that is not confirmed sends every later row of
 * its batch back too, to be published again after it. The failures that matter in practice
 * (timeouts, a broken connection, a broker memory limit) fail a message and everything behind it in
 * the pipeline, so the broker receives rows in row order. A failure of one message in the middle of
 * a batch while later ones succeed (rare: a per-message rejection that is retriable) lets those
 * later messages arrive first; they are sent again after it with the same key. Use {@code
 * batchSize: 1} where order must hold even then.
 *
 * <p>Back-pressure: at most {@code consumers × batchSize} rows are in flight (fewer when rows are
 * large: a claim asks for no more rows than fit {@code maxBatchBytes}, see {@link ClaimSizer}), and
 * while a required sink reports itself unhealthy no consumer claims — the backlog stays in MySQL. A
 * sink that looks healthy but answers none of a batch's messages (a broker that hangs: every
 * verdict unknown) is treated the same way: the rows go back without using up an attempt and the
 * consumer backs off, so a hanging broker never turns good rows into dead letters.
 *
 * <p>Stop: {@link #requestStop()} stops claiming and wakes waiting consumers; each finishes its
 * batch (publishing is bounded by the publish timeout), settles and closes its source. {@link
 * #awaitStopped(Duration)} waits for that; {@link #forceStop()} closes the sources at once, which
 * hands every unsettled row back to the queue. A crash at any point loses nothing for the same
 * reason.
 */
public final class QueuePump {
  private static final Logger LOG = LoggerFactory.getLogger(QueuePump.class);

  /** Opens a queue source for one consumer. */
  @FunctionalInterface
  public interface SourceOpener {
    QueueSource open() throws QueueSourceException;
  }

  /**
   * The pump's settings for one queue.
   *
   * @param name the queue's name for logs and metrics
   * @param consumers consumer threads (1 when ordered)
   * @param batchSize rows per claim
   * @param ordered keep row order end to end
   * @param pollTimeout how long one poll waits for rows
   * @param publishTimeout how long to wait for a sink's verdicts before treating them as unknown
   * @param retry attempts and backoff
   * @param destination where messages go (stream, queue or routing key)
   * @param maxMessageBytes per-queue size cap, or 0 for the sinks' own limits only
   * @param maxBatchBytes message-body bytes one claim should bring at most (claims shrink below
   *     batchSize when rows are large; see {@link ClaimSizer}), or 0 for no limit
   */
  public record Settings(
      String name,
      int consumers,
      int batchSize,
      boolean ordered,
      Duration pollTimeout,
      Duration publishTimeout,
      RetryPolicy retry,
      String destination,
      long maxMessageBytes,
      long maxBatchBytes) {
    public Settings {
      if (consumers < 1 || batchSize < 1) {
        throw new IllegalArgumentException("consumers and batchSize must be >= 1");
      }
      if (ordered && consumers != 1) {
        throw new IllegalArgumentException("an ordered queue has exactly one consumer");
      }
    }
  }

  private record Attempt(int count, long firstSeenMillis, String lastError) {}

  private final Settings settings;
  private final SourceOpener opener;
  private final RowMapper mapper;
  private final List<Sink> required;
  private final List<Sink> bestEffort;
  private final PumpListener listener;
  private final ForwardLog forwardLog;
  private final Consumer<Throwable> fatal;
  private final Map<Sink, Semaphore> bestEffortSlots = new HashMap<>();
  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final Set<QueueSource> sources = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
  private volatile boolean stopping;
  private volatile Map<String, String> startersMdc;

  public QueuePump(
      Settings settings,
      SourceOpener opener,
      RowMapper mapper,
      List<Sink> required,
      List<Sink> bestEffort,
      PumpListener listener,
      Consumer<Throwable> fatal) {
    this(settings, opener, mapper, required, bestEffort, listener, ForwardLog.NONE, fatal);
  }

  /**
   * A pump that also tells {@code forwardLog} what each required sink answered (transport
   * verification's ledger).
   */
  public QueuePump(
      Settings settings,
      SourceOpener opener,
      RowMapper mapper,
      List<Sink> required,
      List<Sink> bestEffort,
      PumpListener listener,
      ForwardLog forwardLog,
      Consumer<Throwable> fatal) {
    if (required.isEmpty()) {
      throw new IllegalArgumentException("queue " + settings.name() + " needs a required sink");
    }
    this.settings = settings;
    this.opener = opener;
    this.mapper = mapper;
    this.required = List.copyOf(required);
    this.bestEffort = List.copyOf(bestEffort);
    this.listener = listener == null ? PumpListener.NONE : listener;
    this.forwardLog = forwardLog == null ? ForwardLog.NONE : forwardLog;
    this.fatal = fatal;
    for (Sink s : this.bestEffort) {
      bestEffortSlots.put(s, new Semaphore(2 * settings.consumers()));
    }
  }

  public Settings settings() {
    return settings;
  }

  /** Starts the consumer threads. */
  public synchronized void start() {
    if (!threads.isEmpty()) {
      throw new IllegalStateException("pump " + settings.name() + " already started");
    }
    startersMdc = MDC.getCopyOfContextMap();
    for (int i = 0; i < settings.consumers(); i++) {
      int n = i;
      Thread t = new Thread(() -> runConsumer(n), "pump-" + settings.name() + "-" + i);
      t.setDaemon(false);
      threads.add(t);
      t.start();
    }
  }

  /** Stops claiming; consumers finish and settle their current batch. Idempotent, any thread. */
  public void requestStop() {
    stopping = true;
    stopSignal.countDown();
    for (QueueSource s : sources) {
      s.wakeup();
    }
  }

  /** Waits until every consumer has settled and closed its source, at most {@code timeout}. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> ts;
    synchronized (this) {
      ts = List.copyOf(threads);
    }
    for (Thread t : ts) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      if (t.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Closes every source now: unsettled rows go back to the queue (their messages may already be at
   * the broker; the key deduplicates them when they come round again).
   */
  public void forceStop() {
    requestStop();
    for (QueueSource s : sources) {
      s.close();
    }
    List<Thread> ts;
    synchronized (this) {
      ts = List.copyOf(threads);
    }
    ts.forEach(Thread::interrupt);
  }

  /** Rows claimed and not yet settled. */
  public long inFlight() {
    return inFlight.get();
  }

  /** {@link System#nanoTime()} of the last settled batch (or of the start). */
  public long lastProgressNanos() {
    return lastProgressNanos.get();
  }

  private boolean pause(Duration d) throws InterruptedException {
    return !stopSignal.await(d.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void runConsumer(int index) {
    if (startersMdc != null) {
      MDC.setContextMap(startersMdc);
    }
    MDC.put("queue", settings.name());
    Backoff openBackoff = settings.retry().newBackoff();
    Backoff failBackoff = settings.retry().newBackoff();
    ClaimSizer sizer = new ClaimSizer(settings.batchSize(), settings.maxBatchBytes());
    QueueSource source = null;
    try {
      while (!stopping) {
        if (source == null) {
          try {
            source = opener.open();
            sources.add(source);
            if (stopping) {
              break;
            }
            openBackoff.reset();
          } catch (QueueSourceException e) {
            if (!e.retriable()) {
              fatal.accept(e);
              return;
            }
            listener.problem(settings.name(), e.getMessage());
            LOG.warn("queue {}: {}; retrying", settings.name(), e.getMessage());
            openBackoff.fail(this::pause);
            continue;
          }
        }
        Sink sick = firstUnhealthy();
        if (sick != null) {
          listener.backPressure(settings.name(), sick.name());
          pause(Duration.ofMillis(200));
          continue;
        }
        Claim claim;
        try {
          claim = source.poll(sizer.next(), settings.pollTimeout());
        } catch (QueueSourceException e) {
          if (!e.retriable()) {
            fatal.accept(e);
            return;
          }
          listener.problem(settings.name(), e.getMessage());
          LOG.warn("queue {}: {}; reconnecting", settings.name(), e.getMessage());
          sources.remove(source);
          source.close();
          source = null;
          failBackoff.fail(this::pause);
          continue;
        }
        if (claim.isEmpty()) {
          continue;
        }
        boolean clean;
        try {
          clean = process(claim, sizer);
        } finally {
          claim.close();
        }
        if (clean) {
          failBackoff.reset();
        } else if (!stopping) {
          failBackoff.fail(this::pause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("queue {} consumer {} failed", settings.name(), index, e);
      fatal.accept(e);
    } finally {
      if (source != null) {
        sources.remove(source);
        source.close();
      }
      MDC.clear();
    }
  }

  private Sink firstUnhealthy() {
    for (Sink s : required) {
      if (!s.healthy()) {
        return s;
      }
    }
    return null;
  }

  /**
   * Publishes and settles one claim.
   *
   * @return true when every row was acknowledged (no backoff needed)
   */
  private boolean process(Claim claim, ClaimSizer sizer) throws InterruptedException {
    List<QueueRow> rows = claim.rows();
    int n = rows.size();
    inFlight.addAndGet(n);
    listener.claimed(settings.name(), n);
    try {
      long now = System.currentTimeMillis();
      Map<Long, DeadLetter> dead = new LinkedHashMap<>();
      List<QueueRow> sendRows = new ArrayList<>(n);
      List<OutboundMessage> messages = new ArrayList<>(n);
      // Parallel to sendRows: each row's key and attempt so far. Only rows that failed before
      // are in `attempts`; a row seen for the first time is not stored unless it fails.
      List<String> sendKeys = new ArrayList<>(n);
      List<Attempt> sendAttempts = new ArrayList<>(n);
      long limit = sizeLimit();
      long bodyBytes = 0;
      for (QueueRow row : rows) {
        String key = row.messageKey();
        Attempt earlier = attempts.isEmpty() ? null : attempts.get(key);
        Attempt a = earlier != null ? earlier : new Attempt(0, now, null);
        try {
          OutboundMessage m = mapper.map(row, settings.destination());
          int bytes = m.bodyBytes();
          if (limit > 0 && bytes > limit) {
            dead.put(
                row.rowId(),
                new DeadLetter(
                    row.rowId(),
                    "oversize: message of "
                        + bytes
                        + " bytes exceeds the limit of "
                        + limit
                        + " bytes",
                    a.count() + 1,
                    a.firstSeenMillis()));
            continue;
          }
          bodyBytes += bytes;
          sendRows.add(row);
          sendKeys.add(key);
          sendAttempts.add(a);
          messages.add(m);
        } catch (MappingException e) {
          dead.put(
              row.rowId(),
              new DeadLetter(
                  row.rowId(),
                  "unmappable: " + e.getMessage(),
                  a.count() + 1,
                  a.firstSeenMillis()));
        }
      }

      if (sizer.observed(messages.size(), bodyBytes)) {
        if (sizer.limited()) {
          LOG.info(
              "queue {}: messages average {} bytes, so claims ask for {} rows instead of batchSize"
                  + " {} to stay within maxBatchBytes ({} bytes)",
              settings.name(),
              sizer.rowBytes(),
              sizer.next(),
              settings.batchSize(),
              settings.maxBatchBytes());
        } else {
          LOG.info(
              "queue {}: messages average {} bytes again; claims ask for batchSize {} rows",
              settings.name(),
              sizer.rowBytes(),
              settings.batchSize());
        }
      }
      long publishedAt = System.currentTimeMillis();
      List<List<Verdict>> verdicts = publishRequired(messages);
      publishBestEffort(messages);
      if (!messages.isEmpty()) {
        List<QueueRow> sent = Collections.unmodifiableList(sendRows);
        List<OutboundMessage> published = Collections.unmodifiableList(messages);
        for (int s = 0; s < required.size(); s++) {
          forwardLog.answered(
              required.get(s).name(), sent, published, verdicts.get(s), publishedAt);
        }
      }
      Sink silent = silentSink(verdicts);
      if (silent != null) {
        listener.backPressure(settings.name(), silent.name());
        LOG.warn(
            "queue {}: {} answered none of {} messages ({}); the rows go back to the queue without"
                + " using up an attempt",
            settings.name(),
            silent.name(),
            messages.size(),
            ((Verdict.Unknown) verdicts.get(required.indexOf(silent)).get(0)).reason());
      }

      List<Long> acked = new ArrayList<>(n);
      int released = 0;
      boolean holdRest = false;
      for (int i = 0; i < sendRows.size(); i++) {
        QueueRow row = sendRows.get(i);
        Outcome o = outcome(verdicts, i);
        Attempt a = sendAttempts.get(i);
        if (o.confirmed && !holdRest) {
          acked.add(row.rowId());
          continue;
        }
        if (o.confirmed) {
          released++; // ordered: a row after an unacknowledged one waits its turn
          continue;
        }
        // A sink that answered nothing at all is sick, not this row: no attempt is used up, or a
        // broker that hangs for a while would dead-letter every row it kept waiting.
        int count = silent == null ? a.count() + 1 : a.count();
        if (!o.retriable || (silent == null && count >= settings.retry().maxAttempts())) {
          String reason =
              o.retriable ? "gave up after " + count + " attempts: " + o.reason : o.reason;
          dead.put(row.rowId(), new DeadLetter(row.rowId(), reason, count, a.firstSeenMillis()));
          continue;
        }
        attempts.put(sendKeys.get(i), new Attempt(count, a.firstSeenMillis(), o.reason));
        released++;
        if (settings.ordered()) {
          holdRest = true;
        }
      }
      try {
        claim.settle(acked, dead.values());
      } catch (QueueSourceException e) {
        listener.problem(settings.name(), e.getMessage());
        LOG.warn(
            "queue {}: {}; the {} rows return to the queue and will be sent again (same keys)",
            settings.name(),
            e.getMessage(),
            n);
        // They come back: remember when they were first seen, as for any row sent again.
        for (int i = 0; i < sendRows.size(); i++) {
          attempts.putIfAbsent(sendKeys.get(i), sendAttempts.get(i));
        }
        return false;
      }
      lastProgressNanos.set(System.nanoTime());
      if (!attempts.isEmpty()) {
        Set<Long> ackedIds = Set.copyOf(acked);
        for (QueueRow r : rows) {
          if (ackedIds.contains(r.rowId()) || dead.containsKey(r.rowId())) {
            attempts.remove(r.messageKey());
          }
        }
      }
      if (!acked.isEmpty()) {
        listener.acknowledged(settings.name(), acked.size());
        long t = System.currentTimeMillis();
        for (OutboundMessage m : messages) {
          if (m.createdAtMillis() > 0) {
            listener.endToEnd(settings.name(), Math.max(0, t - m.createdAtMillis()));
          }
        }
      }
      if (!dead.isEmpty()) {
        for (DeadLetter d : dead.values()) {
          // The message key identifies the job in logs; the payload never goes there.
          String key = keyOf(rows, d.rowId());
          MDC.put("key", key);
          try {
            LOG.warn(
                "queue {}: row {} (key {}) dead-lettered: {}",
                settings.name(),
                d.rowId(),
                key,
                d.reason());
          } finally {
            MDC.remove("key");
          }
        }
        listener.deadLettered(
            settings.name(), dead.size(), dead.values().iterator().next().reason());
      }
      if (released > 0) {
        listener.released(settings.name(), released);
      }
      return released == 0;
    } finally {
      inFlight.addAndGet(-n);
    }
  }

  private static String keyOf(List<QueueRow> rows, long rowId) {
    for (QueueRow r : rows) {
      if (r.rowId() == rowId) {
        return r.messageKey();
      }
    }
    return "";
  }

  /**
   * The first required sink that answered {@link Verdict.Unknown} for every message of the batch
   * (no answer within the publish timeout, connection down), or null.
   */
  private Sink silentSink(List<List<Verdict>> verdicts) {
    for (int s = 0; s < required.size(); s++) {
      List<Verdict> v = verdicts.get(s);
      if (!v.isEmpty() && v.stream().allMatch(x -> x instanceof Verdict.Unknown)) {
        return required.get(s);
      }
    }
    return null;
  }

  private long sizeLimit() {
    long limit = settings.maxMessageBytes();
    for (Sink s : required) {
      long l = s.maxMessageBytes();
      if (l > 0) {
        limit = limit <= 0 ? l : Math.min(limit, l);
      }
    }
    return limit;
  }

  private record Outcome(boolean confirmed, boolean retriable, String reason) {}

  private Outcome outcome(List<List<Verdict>> verdicts, int i) {
    String reason = null;
    boolean retriable = true;
    for (int s = 0; s < required.size(); s++) {
      Verdict v = verdicts.get(s).get(i);
      if (v instanceof Verdict.Rejected r) {
        String why = required.get(s).name() + " rejected: " + r.reason();
        if (!r.retriable()) {
          return new Outcome(false, false, why);
        }
        reason = why;
      } else if (v instanceof Verdict.Unknown u) {
        reason = required.get(s).name() + " did not confirm: " + u.reason();
      }
    }
    return reason == null ? new Outcome(true, true, null) : new Outcome(false, retriable, reason);
  }

  private List<List<Verdict>> publishRequired(List<OutboundMessage> messages)
      throws InterruptedException {
    List<List<Verdict>> out = new ArrayList<>(required.size());
    if (messages.isEmpty()) {
      for (int s = 0; s < required.size(); s++) {
        out.add(List.of());
      }
      return out;
    }
    List<CompletionStage<List<Verdict>>> stages = new ArrayList<>(required.size());
    long[] started = new long[required.size()];
    for (int s = 0; s < required.size(); s++) {
      started[s] = System.nanoTime();
      stages.add(required.get(s).publish(messages));
    }
    long deadline = System.nanoTime() + settings.publishTimeout().toNanos();
    for (int s = 0; s < required.size(); s++) {
      Sink sink = required.get(s);
      List<Verdict> v;
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        v = stages.get(s).toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
        if (v.size() != messages.size()) {
          throw new IllegalStateException(
              "sink " + sink.name() + " answered " + v.size() + " verdicts for " + messages.size());
        }
      } catch (TimeoutException e) {
        v =
            Collections.nCopies(
                messages.size(), Verdict.unknown("no answer within " + settings.publishTimeout()));
      } catch (ExecutionException e) {
        v = Collections.nCopies(messages.size(), Verdict.unknown(String.valueOf(e.getCause())));
      }
      report(sink, false, v, System.nanoTime() - started[s]);
      out.add(v);
    }
    return out;
  }

  private void publishBestEffort(List<OutboundMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    for (Sink sink : bestEffort) {
      Semaphore slots = bestEffortSlots.get(sink);
      if (!sink.healthy() || !slots.tryAcquire()) {
        listener.bestEffortSkipped(sink.name(), messages.size());
        continue;
      }
      long started = System.nanoTime();
      sink.publish(messages)
          .whenComplete(
              (v, err) -> {
                slots.release();
                List<Verdict> verdicts =
                    err != null || v == null
                        ? Collections.nCopies(messages.size(), Verdict.unknown(String.valueOf(err)))
                        : v;
                report(sink, true, verdicts, System.nanoTime() - started);
              });
    }
  }

  private void report(Sink sink, boolean best, List<Verdict> verdicts, long nanos) {
    int ok = 0;
    int rejected = 0;
    int unknown = 0;
    for (Verdict v : verdicts) {
      if (v instanceof Verdict.Confirmed) {
        ok++;
      } else if (v instanceof Verdict.Rejected) {
        rejected++;
      } else {
        unknown++;
      }
    }
    listener.sinkAnswered(sink.name(), best, ok, rejected, unknown, nanos);
  }
}
