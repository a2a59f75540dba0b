package org.q4mbridge.bridge.sink.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes messages as Redis Stream entries with Lettuce, one pipelined round trip per batch.
 *
 * <p><b>Entries.</b> A message becomes one {@code XADD <destination> [MAXLEN ~ n] *} entry holding
 * the message's {@code fields} in their order, or a single field {@code body} when it has none,
 * plus a field {@code key} with the message key, always. A message whose own fields contain a
 * different {@code key} is rejected (not retriable) rather than silently losing one of the two.
 *
 * <p><b>Idempotence.</b> With {@code dedup} on, entries are added by {@link DedupScript}: it
 * remembers each (stream, message key) for {@code dedupTtl} and answers a second publish with the
 * first entry's id instead of adding another. One script call carries a run of up to {@link
 * DedupScript#MAX_MESSAGES} messages of the batch to the same stream, in their order. The dedup
 * window is the TTL: a row redelivered after its key expired appears twice, so the TTL must exceed
 * the longest time a row can stay unsettled (publish timeout × attempts plus backoff, or a bridge
 * outage). The script is loaded once at start with {@code SCRIPT LOAD} and called with {@code
 * EVALSHA}; after {@code NOSCRIPT} (Redis restarted or {@code SCRIPT FLUSH}) that one run is sent
 * again with {@code EVAL}, which caches the script for the next batches. Entries re-sent that way
 * land after the rest of their batch.
 *
 * <p><b>Verdicts.</b> One per message, also within a script call. Confirmed when Redis answered
 * with an entry id (or the script found the key, so the entry exists); Rejected, not retriable, for
 * an oversize message, a reserved field or a destination key of another type ({@code WRONGTYPE});
 * Rejected, retriable, for any other error reply ({@code OOM}, {@code BUSY}, {@code LOADING},
 * {@code READONLY} after a failover…); Unknown when no answer came within {@code publishTimeout} or
 * the connection was down or broke. Confirmed means Redis's primary has the entry; its durability
 * is what the server's AOF/replication settings make it ({@code WAIT} is not used).
 *
 * <p><b>Threading.</b> Every method may be called from any thread. {@link #publish} never blocks on
 * I/O: it queues the batch on a dedicated connection with auto-flush off and writes it with one
 * {@code flushCommands()}; the returned stage completes on a Lettuce I/O thread, so callers must
 * not block in dependent stages. A second, ordinary connection serves {@code INFO}; {@link #probe}
 * uses a connection of its own.
 *
 * <p><b>Outages.</b> Commands are rejected at once while disconnected (Lettuce's {@code
 * REJECT_COMMANDS}), so a publish during an outage answers Unknown immediately instead of piling up
 * in memory; the client reconnects by itself, and {@link #healthy()} says when to resume.
 *
 * <p><b>Close.</b> {@link #close()} closes both connections and the client's event loops, bounded
 * to a few seconds; batches still in flight complete with Unknown, later publishes answer Unknown.
 */
public final class RedisStreamsSink implements Sink {
  private static final Logger log = LoggerFactory.getLogger(RedisStreamsSink.class);

  /** The field carrying the message key on every entry. */
  public static final String KEY_FIELD = "key";

  /** The single field carrying the body of a message without fields. */
  public static final String BODY_FIELD = "body";

  /** {@code used_memory / maxmemory} at which the sink reports itself unhealthy. */
  static final double MEMORY_HIGH_WATERMARK = 0.95;

  private static final long MEMORY_CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisSinkOptions options;
  private final XAddArgs trimming;
  private final long dedupTtlMillis;

  /**
   * Held while one batch is queued and flushed. Auto-flush is a property of the connection, so
   * without it thread B's flush could ship half of thread A's batch and A's flush the rest: still
   * correct, since each thread's commands keep their order, but no longer one write per batch. Only
   * queueing happens under the lock — no I/O wait — so batches of several consumers still overlap
   * their round trips, and one connection per consumer would buy nothing: Redis runs one client's
   * or many clients' commands on the same single thread.
   */
  private final ReentrantLock submission = new ReentrantLock();

  private final Object lifecycle = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile LettuceClient client;
  private volatile StatefulRedisConnection<String, String> publishing;
  private volatile StatefulRedisConnection<String, String> control;

  private final AtomicLong nextMemoryCheck = new AtomicLong(System.nanoTime());
  private volatile boolean memoryNearLimit;

  /** Validated options; nothing connects until {@link #start()}. */
  public RedisStreamsSink(RedisSinkOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.trimming =
        options.maxLen() == null
            ? null
            : XAddArgs.Builder.maxlen(options.maxLen()).approximateTrimming();
    this.dedupTtlMillis = options.dedupTtl() == null ? 0 : options.dedupTtl().toMillis();
  }

  @Override
  public String name() {
    return options.name();
  }

  @Override
  public long maxMessageBytes() {
    return options.maxMessageBytes();
  }

  /** The options this sink was built with. */
  public RedisSinkOptions options() {
    return options;
  }

  /**
   * Opens both connections and, with dedup on, loads the script. Blocks for at most about three
   * publish timeouts (two connects, one {@code SCRIPT LOAD}); idempotent.
   *
   * @throws SinkException {@code redis-main: cannot connect to redis://127.0.0.1:6399: Connection
   *     refused}, or why the script could not be loaded (e.g. {@code NOPERM})
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void start() throws SinkException {
    synchronized (lifecycle) {
      if (closed.get()) {
        throw new IllegalStateException(name() + ": sink is closed");
      }
      if (publishing != null) {
        return;
      }
      LettuceClient lettuce = LettuceClient.create(options);
      try {
        StatefulRedisConnection<String, String> controlConnection = lettuce.connect();
        if (options.dedup()) {
          loadScript(lettuce, controlConnection.sync());
        }
        StatefulRedisConnection<String, String> publishConnection = lettuce.connect();
        publishConnection.setAutoFlushCommands(false);
        client = lettuce;
        control = controlConnection;
        publishing = publishConnection;
      } catch (SinkException | RuntimeException e) {
        lettuce.close();
        throw e;
      }
    }
  }

  private void loadScript(LettuceClient lettuce, RedisCommands<String, String> redis)
      throws SinkException {
    try {
      String sha = redis.scriptLoad(DedupScript.TEXT);
      if (!DedupScript.SHA.equalsIgnoreCase(sha)) {
        throw new SinkException(
            name() + ": redis named the dedup script " + sha + ", expected " + DedupScript.SHA);
      }
    } catch (RedisException e) {
      throw new SinkException(
          name() + ": cannot load the dedup script: " + lettuce.reason(e) + permissionHint(e), e);
    }
  }

  /**
   * Checks with a connection of its own (so an outage reports its real cause) that Redis answers,
   * that each destination is absent or a stream and, with dedup on, that scripts may run. Blocks
   * for at most a few publish timeouts.
   *
   * @throws SinkException one line, e.g. {@code redis-main: key 'jobs' is a hash, expected a
   *     stream}
   * @throws IllegalStateException before {@link #start()} or after {@link #close()}
   */
  @Override
  public void probe(Collection<String> destinations) throws SinkException {
    LettuceClient lettuce = requireStarted();
    try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      try {
        redis.ping();
        List<String> problems = new ArrayList<>();
        for (String destination : new LinkedHashSet<>(destinations)) {
          String type = redis.type(destination);
          if (!"none".equals(type) && !"stream".equals(type)) {
            problems.add("key '" + destination + "' is " + article(type) + ", expected a stream");
          }
        }
        if (!problems.isEmpty()) {
          throw new SinkException(name() + ": " + String.join("; ", problems));
        }
        if (options.dedup()) {
          loadScript(lettuce, redis);
        }
        warnIfEvictionCanDropEntries(redis.info("memory"));
      } catch (RedisException e) {
        throw new SinkException(
            name() + ": probe of " + options.redactedUri() + " failed: " + lettuce.reason(e), e);
      }
    }
  }

  /**
   * Publishes the batch in one pipelined round trip; see the class comment for entries and
   * verdicts. Does not wait for Redis; the stage completes, never exceptionally, within about the
   * publish timeout (twice that when a {@code NOSCRIPT} fallback is needed).
   */
  @Override
  public CompletionStage<List<Verdict>> publish(List<OutboundMessage> batch) {
    Objects.requireNonNull(batch, "batch");
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    StatefulRedisConnection<String, String> connection = publishing;
    if (connection == null) {
      return everyone(
          batch,
          Verdict.unknown(name() + ": sink is " + (closed.get() ? "closed" : "not started")));
    }
    List<Entry> entries = new ArrayList<>(batch.size());
    for (OutboundMessage message : batch) {
      entries.add(prepare(message));
    }
    try {
      // Queueing takes microseconds; waiting long here means a flush is stuck inside Lettuce.
      if (!submission.tryLock(options.publishTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        return everyone(batch, Verdict.unknown(name() + ": redis connection busy, batch not sent"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return everyone(batch, Verdict.unknown(name() + ": interrupted before sending"));
    }
    List<CompletableFuture<Verdict>> verdicts =
        new ArrayList<>(Collections.nCopies(batch.size(), null));
    try {
      RedisAsyncCommands<String, String> redis = connection.async();
      List<Run> runs = new ArrayList<>();
      Map<String, Run> open = new LinkedHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        OutboundMessage message = batch.get(i);
        Entry entry = entries.get(i);
        if (entry.rejection() != null) {
          verdicts.set(i, CompletableFuture.completedFuture(entry.rejection()));
        } else if (!options.dedup()) {
          verdicts.set(i, xadd(redis, message.destination(), entry.fields()));
        } else {
          Run run = open.get(message.destination());
          if (run == null || run.full(entry.chars())) {
            run = new Run(message.destination());
            open.put(message.destination(), run);
            runs.add(run);
          }
          run.add(i, message.key(), entry);
        }
      }
      for (Run run : runs) {
        List<CompletableFuture<Verdict>> sent = send(connection, redis, run);
        for (int j = 0; j < run.positions.size(); j++) {
          verdicts.set(run.positions.get(j), sent.get(j));
        }
      }
    } finally {
      try {
        connection.flushCommands();
      } finally {
        submission.unlock();
      }
    }
    return collect(verdicts);
  }

  /** A message's entry fields, or why it is rejected without being sent. */
  private record Entry(Map<String, String> fields, long chars, Verdict rejection) {
    static Entry rejected(String reason) {
      return new Entry(null, 0, Verdict.rejected(reason, false));
    }
  }

  /**
   * Consecutive messages of one batch to one stream that go to Redis in one {@link DedupScript}
   * call: at most {@link DedupScript#MAX_MESSAGES} messages and, unless one message is larger,
   * {@link DedupScript#MAX_CHARS} chars of fields.
   */
  private static final class Run {
    final String stream;
    final List<Integer> positions = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<Map<String, String>> fields = new ArrayList<>();
    long chars;

    Run(String stream) {
      this.stream = stream;
    }

    boolean full(long more) {
      return positions.size() >= DedupScript.MAX_MESSAGES
          || (!positions.isEmpty() && chars + more > DedupScript.MAX_CHARS);
    }

    void add(int position, String key, Entry entry) {
      positions.add(position);
      keys.add(key);
      fields.add(entry.fields());
      chars += entry.chars();
    }
  }

  private Entry prepare(OutboundMessage message) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (message.fields().isEmpty()) {
      fields.put(BODY_FIELD, message.body());
    } else {
      fields.putAll(message.fields());
    }
    String clash = fields.put(KEY_FIELD, message.key());
    if (clash != null && !clash.equals(message.key())) {
      return Entry.rejected(
          "field '" + KEY_FIELD + "' is reserved for the message key; rename it in the mapping");
    }
    // UTF-8 takes at most 3 bytes per char (a surrogate pair: 4 for 2), so counting bytes exactly
    // is needed only when the char count could exceed the limit; runs are bounded by chars.
    long chars = 0;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      chars += field.getKey().length() + field.getValue().length();
    }
    if (3 * chars > options.maxMessageBytes()) {
      long bytes = 0;
      for (Map.Entry<String, String> field : fields.entrySet()) {
        bytes += utf8Length(field.getKey()) + utf8Length(field.getValue());
      }
      if (bytes > options.maxMessageBytes()) {
        return Entry.rejected(
            "message of "
                + bytes
                + " bytes exceeds the sink's limit of "
                + options.maxMessageBytes()
                + " bytes");
      }
    }
    return new Entry(fields, chars, null);
  }

  private CompletableFuture<Verdict> xadd(
      RedisAsyncCommands<String, String> redis, String stream, Map<String, String> fields) {
    try {
      return (trimming == null ? redis.xadd(stream, fields) : redis.xadd(stream, trimming, fields))
          .toCompletableFuture()
          .handle(
              (ok, failure) -> failure == null ? Verdict.CONFIRMED : verdictFor(failure, stream));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(verdictFor(e, stream));
    }
  }

  /** One {@link DedupScript} call for a run; one verdict per message of the run, in order. */
  private List<CompletableFuture<Verdict>> send(
      StatefulRedisConnection<String, String> connection,
      RedisAsyncCommands<String, String> redis,
      Run run) {
    int size = run.positions.size();
    CompletableFuture<List<Object>> reply;
    try {
      String[] keys = DedupScript.keys(run.stream, run.keys);
      String[] args = DedupScript.args(dedupTtlMillis, options.maxLen(), run.fields);
      reply =
          redis
              .<List<Object>>evalsha(DedupScript.SHA, ScriptOutputType.MULTI, keys, args)
              .toCompletableFuture()
              .exceptionallyCompose(
                  failure ->
                      unwrap(failure) instanceof RedisNoScriptException
                          ? evalNow(connection, keys, args)
                          : CompletableFuture.failedFuture(failure));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    List<CompletableFuture<Verdict>> verdicts = new ArrayList<>(size);
    for (int j = 0; j < size; j++) {
      int index = j;
      verdicts.add(
          reply.handle(
              (replies, failure) -> {
                if (failure != null) {
                  return verdictFor(failure, run.stream);
                }
                if (replies == null || replies.size() != size) {
                  return Verdict.unknown(
                      name()
                          + ": the dedup script answered "
                          + (replies == null ? 0 : replies.size())
                          + " replies for "
                          + size
                          + " messages");
                }
                return DedupScript.parse(replies.get(index)) instanceof DedupScript.Failed failed
                    ? errorVerdict(failed.error(), run.stream)
                    : Verdict.CONFIRMED;
              }));
    }
    return verdicts;
  }

  /**
   * Sends one {@code EVAL} after {@code NOSCRIPT}. Runs on the I/O thread, so it must not take
   * {@link #submission}; flushing without it at worst writes another thread's half-queued batch
   * early, which keeps every command's order.
   */
  private CompletableFuture<List<Object>> evalNow(
      StatefulRedisConnection<String, String> connection, String[] keys, String[] args) {
    CompletableFuture<List<Object>> reply =
        connection
            .async()
            .<List<Object>>eval(DedupScript.TEXT, ScriptOutputType.MULTI, keys, args)
            .toCompletableFuture();
    connection.flushCommands();
    return reply;
  }

  private CompletionStage<List<Verdict>> collect(List<CompletableFuture<Verdict>> verdicts) {
    // Lettuce times out every command itself; this bound only guarantees that a stage completes
    // even if a command were lost inside the client. Two timeouts: EVALSHA, then EVAL.
    long safetyNanos = options.publishTimeout().multipliedBy(2).plusSeconds(1).toNanos();
    Verdict lost =
        Verdict.unknown(
            name()
                + ": no answer from redis within "
                + options.publishTimeout().toMillis()
                + " ms");
    return CompletableFuture.allOf(verdicts.toArray(CompletableFuture<?>[]::new))
        .completeOnTimeout(null, safetyNanos, TimeUnit.NANOSECONDS)
        .handle(
            (ignored, failure) -> {
              List<Verdict> result = new ArrayList<>(verdicts.size());
              for (CompletableFuture<Verdict> verdict : verdicts) {
                result.add(verdict.getNow(lost));
              }
              return Collections.unmodifiableList(result);
            });
  }

  private Verdict verdictFor(Throwable failure, String stream) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RedisCommandTimeoutException) {
      return Verdict.unknown(
          name() + ": no answer from redis within " + options.publishTimeout().toMillis() + " ms");
    }
    if (cause instanceof RedisCommandExecutionException) {
      return errorVerdict(cause.getMessage(), stream);
    }
    // Not connected, connection lost or closed, cancelled: Redis may or may not have the entry.
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return Verdict.unknown(name() + ": " + options.scrub(message));
  }

  private Verdict errorVerdict(String error, String stream) {
    String message = options.scrub(error);
    String reason = "XADD to '" + stream + "' failed: " + message;
    // WRONGTYPE: the destination (or its dedup key) holds something else; only an operator can
    // fix that, so retrying would just delay the dead letter. Every other error reply — OOM,
    // BUSY, LOADING, READONLY, MASTERDOWN, TRYAGAIN, NOPERM… — is about the server's state.
    return Verdict.rejected(reason, !"WRONGTYPE".equals(errorCode(message)));
  }

  /**
   * False before start, after close, while the publishing connection is down, and while Redis's
   * {@code used_memory} is at least 95% of {@code maxmemory}. The memory figure comes from {@code
   * INFO memory}, requested at most once a second from here (never on the publish path) and
   * answered asynchronously: this call never blocks, it returns the last known state.
   */
  @Override
  public boolean healthy() {
    StatefulRedisConnection<String, String> connection = publishing;
    if (connection == null || closed.get() || !connection.isOpen()) {
      return false;
    }
    checkMemoryIfDue();
    return !memoryNearLimit;
  }

  private void checkMemoryIfDue() {
    StatefulRedisConnection<String, String> connection = control;
    long now = System.nanoTime();
    long due = nextMemoryCheck.get();
    if (connection == null
        || now - due < 0
        || !nextMemoryCheck.compareAndSet(due, now + MEMORY_CHECK_INTERVAL_NANOS)) {
      return;
    }
    connection
        .async()
        .info("memory")
        .whenComplete(
            (info, failure) -> {
              if (failure != null) {
                // Keep the last known state: an outage is reported by the connection already.
                log.debug("{}: INFO memory failed: {}", name(), failure.toString());
                return;
              }
              boolean nearLimit = memoryNearLimit(info);
              if (nearLimit != memoryNearLimit) {
                if (nearLimit) {
                  log.warn(
                      "{}: redis memory at {}% of maxmemory or more, pausing until it drops",
                      name(), Math.round(MEMORY_HIGH_WATERMARK * 100));
                } else {
                  log.info("{}: redis memory below the limit again, resuming", name());
                }
              }
              memoryNearLimit = nearLimit;
            });
  }

  /** Whether an {@code INFO memory} reply shows used_memory ≥ 95% of a set maxmemory. */
  static boolean memoryNearLimit(String info) {
    long used = infoLong(info, "used_memory");
    long max = infoLong(info, "maxmemory");
    return max > 0 && used >= MEMORY_HIGH_WATERMARK * max;
  }

  private static long infoLong(String info, String field) {
    String value = infoField(info, field);
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    return null;
  }

  /**
   * An {@code allkeys-*} policy lets Redis evict whole streams, i.e. jobs it already confirmed.
   * That is the operator's choice to make, so it is a warning, not a probe failure.
   */
  private void warnIfEvictionCanDropEntries(String memoryInfo) {
    String policy = infoField(memoryInfo, "maxmemory_policy");
    if (policy != null && policy.startsWith("allkeys-")) {
      log.warn(
          "{}: redis maxmemory-policy is {}: under memory pressure Redis may evict streams with"
              + " jobs the bridge already acknowledged; noeviction is the safe setting",
          name(),
          policy);
    }
  }

  /**
   * Closes the connections and the client's event loops; in-flight batches complete with Unknown.
   * Idempotent; bounded to a few seconds.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LettuceClient lettuce;
    synchronized (lifecycle) {
      lettuce = client;
      publishing = null;
      control = null;
      client = null;
    }
    if (lettuce != null) {
      lettuce.close();
    }
  }

  private LettuceClient requireStarted() {
    LettuceClient lettuce = client;
    if (lettuce == null) {
      throw new IllegalStateException(
          name() + ": sink is " + (closed.get() ? "closed" : "not started"));
    }
    return lettuce;
  }

  private static CompletionStage<List<Verdict>> everyone(
      List<OutboundMessage> batch, Verdict verdict) {
    return CompletableFuture.completedFuture(Collections.nCopies(batch.size(), verdict));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The upper-case word an error reply starts with ({@code WRONGTYPE}, {@code OOM}…). */
  static String errorCode(String message) {
    if (message == null) {
      return "";
    }
    int space = message.indexOf(' ');
    String first = space < 0 ? message : message.substring(0, space);
    return first.equals(first.toUpperCase(Locale.ROOT)) ? first : "";
  }

  private static String permissionHint(RedisException e) {
    return "NOPERM".equals(errorCode(e.getMessage()))
        ? " (the ACL user needs +evalsha +eval +script|load, and +get +set +xadd for what the"
            + " script runs, or set dedup: false)"
        : "";
  }

  static String article(String type) {
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
