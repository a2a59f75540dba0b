package org.q4mbridge.bridge.sink.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Pattern;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.ListQueuesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Publishes to Amazon SQS, or an SQS-compatible server through the endpoint override, with the AWS
 * SDK v2 (DESIGN.md §4.1). Destinations are queue <em>names</em>, resolved to URLs once with {@code
 * GetQueueUrl} and cached (or built from {@code queueUrlPrefix} when set); a name ending in {@code
 * .fifo} is a FIFO queue.
 *
 * <p>Publishing: a batch is encoded per message (key attribute {@code q4m-key}, FIFO group and
 * deduplication id, oversize and invalid messages rejected before sending), grouped by queue and
 * split into {@code SendMessageBatch} requests of at most 10 entries and at most {@code
 * max(maxMessageBytes, 256 KiB)} of payload. Requests to a standard queue run concurrently;
 * requests to a FIFO queue run one after the other in batch order, and after one fails the rest of
 * that queue's batch is not sent (answered {@code Unknown}), so the resend keeps the order.
 *
 * <p>Verdicts: a successful entry is {@code Confirmed}; a failed entry is {@code Rejected}, not
 * retriable when SQS says it is the sender's fault ({@code senderFault}), retriable otherwise. A
 * request that fails as a whole after the SDK's retries is {@code Unknown} for its entries when no
 * answer (I/O error, timeout), a 5xx or throttling came back, and a retriable {@code Rejected} when
 * the queue is missing or access is denied. Any other 4xx for a request of several entries is
 * retried one entry per request, so only the message SQS refuses is rejected (not retriable).
 * Throttling and 5xx are retried by the SDK with exponential backoff and jitter (4 attempts,
 * throttling with a longer base delay), always within the publish timeout.
 *
 * <p>Health: {@link #healthy()} turns false after 2 consecutive requests that got no answer
 * (connection refused, timeouts, 5xx) and true again on the next answer. A background check ({@code
 * GetQueueUrl} of a known queue, else {@code ListQueues}) runs every 2 seconds while the last
 * request failed or nothing else was answered in that time, so an outage is noticed without
 * traffic, the pump stops claiming while SQS is down, and resumes by itself. Publishing still tries
 * while unhealthy (a refused connection answers at once), so a wrong guess costs nothing.
 *
 * <p>Threading and blocking: {@link #publish} never blocks and never throws; it may be called from
 * several threads. Requests run on the sink's own {@code maxConcurrency} daemon threads with the
 * synchronous client over the JDK's HTTP stack (no Netty from the AWS side, see bridge/pom.xml).
 * The returned stage completes at the latest after {@code publishTimeout}, with {@code Unknown} for
 * whatever SQS has not answered by then. {@link #start()} and {@link #probe} block for at most
 * {@code min(publishTimeout, 10 s)} per call to SQS; {@code start()} also resolves the credentials,
 * which with the default chain may consult the instance metadata service.
 *
 * <p>Close: idempotent. New publishes answer {@code Unknown}, requests not yet sent are not sent,
 * requests in flight get up to {@code min(publishTimeout, 5 s)} to finish; stages still open are
 * then completed with {@code Unknown}, and the client is closed.
 */
public final class SqsSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(SqsSink.class);

  /** Consecutive unanswered requests after which the sink reports itself unhealthy. */
  static final int UNHEALTHY_AFTER = 2;

  /** How often the background check may run. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

  private static final Duration MAX_CHECK_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  // The pump settles before closing sinks, so a request still running at close is stuck.
  private static final Duration MAX_CLOSE_WAIT = Duration.ofSeconds(5);
  private static final int SDK_MAX_ATTEMPTS = 4;
  private static final Pattern QUEUE_NAME =
      Pattern.compile("[A-Za-z0-9_-]{1,75}\\.fifo|[A-Za-z0-9_-]{1,80}");

  /** What start() creates and close() releases. */
  private record Resources(
      SqsClient client,
      AwsCredentialsProvider credentials,
      ThreadPoolExecutor senders,
      ScheduledExecutorService timer,
      ExecutorService prober) {}

  /** Builds the SDK client; tests substitute a scripted one. */
  @FunctionalInterface
  interface ClientFactory {
    SqsClient create(SqsSinkOptions options, AwsCredentialsProvider credentials);
  }

  private final SqsSinkOptions options;
  private final ClientFactory clientFactory;
  private final Duration checkInterval;
  private final EntryEncoder encoder;
  private final long maxBatchBytes;
  private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
  private final Map<CompletableFuture<List<Verdict>>, AtomicReferenceArray<Verdict>> pending =
      new ConcurrentHashMap<>();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicBoolean checkRunning = new AtomicBoolean();
  private final AtomicBoolean warnedDroppedAttributes = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private volatile Resources resources;
  private volatile boolean closed;
  private volatile boolean reachable = true;
  private volatile long lastAnswerNanos = System.nanoTime();

  /** Validated options; nothing is connected until {@link #start()}. */
  public SqsSink(SqsSinkOptions options) {
    this(options, SqsSink::newClient, CHECK_INTERVAL);
  }

  SqsSink(SqsSinkOptions options, ClientFactory clientFactory, Duration checkInterval) {
    this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
    this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
    this.options = Objects.requireNonNull(options, "options");
    this.encoder = new EntryEncoder(options.maxMessageBytes());
    this.maxBatchBytes =
        Math.max(options.maxMessageBytes(), SqsSinkOptions.DEFAULT_MAX_MESSAGE_BYTES);
  }

  /** The validated options (the secret is masked in their {@code toString()}). */
  public SqsSinkOptions options() {
    return options;
  }

  @Override
  public String name() {
    return options.name();
  }

  @Override
  public long maxMessageBytes() {
    return options.maxMessageBytes();
  }

  /**
   * Resolves the credentials, builds the client and checks that SQS answers ({@code ListQueues}; an
   * access-denied answer still proves the endpoint and the credentials). Idempotent; after a
   * failure it may be called again.
   */
  @Override
  public void start() throws SinkException {
    synchronized (lifecycle) {
      if (closed) {
        throw new SinkException(name() + ": the sink is closed");
      }
      if (resources != null) {
        return;
      }
      AwsCredentialsProvider credentials = credentials();
      try {
        credentials.resolveCredentials();
      } catch (SdkException e) {
        closeQuietly(credentials);
        throw new SinkException(
            name()
                + ": no AWS credentials: "
                + RequestFailure.describe(e)
                + " (set accessKeyId and secretAccessKey, or provide them to the default chain:"
                + " environment, profile, role)");
      }
      Resources r = open(credentials);
      try {
        checkReachable(r.client());
      } catch (SinkException e) {
        release(r);
        throw e;
      }
      markReachable();
      resources = r;
      r.timer()
          .scheduleWithFixedDelay(
              () -> heartbeat(r),
              checkInterval.toMillis(),
              checkInterval.toMillis(),
              TimeUnit.MILLISECONDS);
      LOG.info("{}: SQS at {} answers", name(), options.where());
    }
  }

  /**
   * Checks that every destination is a valid queue name and exists ({@code GetQueueUrl}; the URL is
   * cached for publishing). Blocks for one call per new queue.
   *
   * @throws SinkException one line naming the queue and the endpoint or region, never credentials
   */
  @Override
  public void probe(Collection<String> destinations) throws SinkException {
    Resources r = resources;
    if (r == null || closed) {
      throw new SinkException(name() + ": probe before start or after close");
    }
    for (String queue : new LinkedHashSet<>(destinations)) {
      if (queue == null || !QUEUE_NAME.matcher(queue).matches()) {
        throw new SinkException(
            name()
                + ": '"
                + queue
                + "' is not an SQS queue name (1-80 letters, digits, '-' or '_'; a FIFO queue's"
                + " name ends in .fifo)");
      }
      try {
        String url = queueUrl(r.client(), queue, checkTimeout());
        if (options.queueUrlPrefix() != null) {
          checkQueueAttributes(r.client(), queue, url);
        }
      } catch (RuntimeException e) {
        throw probeFailure(queue, e);
      }
    }
  }

  /** With a URL prefix, GetQueueUrl is skipped, so existence is checked on the URL itself. */
  private void checkQueueAttributes(SqsClient client, String queue, String url) {
    try {
      client.getQueueAttributes(
          GetQueueAttributesRequest.builder()
              .queueUrl(url)
              .attributeNames(QueueAttributeName.QUEUE_ARN)
              .overrideConfiguration(o -> o.apiCallTimeout(checkTimeout()))
              .build());
    } catch (RuntimeException e) {
      if (RequestFailure.of(e) != RequestFailure.DENIED) {
        throw e;
      }
      // A prefix is set precisely when this identity has few permissions; the first publish
      // answers for the queue instead.
      LOG.info(
          "{}: may not read the attributes of queue '{}' ({}); not checked before publishing",
          name(),
          queue,
          RequestFailure.describe(e));
    }
  }

  @Override
  public CompletionStage<List<Verdict>> publish(List<OutboundMessage> batch) {
    int n = batch.size();
    if (n == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    Resources r = resources;
    if (r == null || closed) {
      return CompletableFuture.completedFuture(
          Collections.nCopies(n, Verdict.unknown(closed ? "sink closed" : "sink not started")));
    }
    long deadline = System.nanoTime() + options.publishTimeout().toNanos();
    AtomicReferenceArray<Verdict> verdicts = new AtomicReferenceArray<>(n);
    Map<String, List<EntryEncoder.Encoded>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      OutboundMessage m = batch.get(i);
      String queue = m.destination();
      if (!QUEUE_NAME.matcher(queue).matches()) {
        verdicts.set(i, Verdict.rejected("'" + queue + "' is not an SQS queue name", false));
        continue;
      }
      EntryEncoder.Result encoded = encoder.encode(m, i, fifo(queue));
      if (encoded.rejected() != null) {
        verdicts.set(i, encoded.rejected());
        continue;
      }
      if (encoded.encoded().droppedAttributes() > 0
          && warnedDroppedAttributes.compareAndSet(false, true)) {
        LOG.warn(
            "{}: SQS allows {} message attributes: the key and the first {} others are sent, the"
                + " rest dropped (first seen on queue {}); this is logged once",
            name(),
            EntryEncoder.MAX_ATTRIBUTES,
            EntryEncoder.MAX_ATTRIBUTES - 1,
            queue);
      }
      byQueue.computeIfAbsent(queue, q -> new ArrayList<>()).add(encoded.encoded());
    }

    CompletableFuture<List<Verdict>> result = new CompletableFuture<>();
    pending.put(result, verdicts);
    List<CompletableFuture<Void>> work = new ArrayList<>();
    for (Map.Entry<String, List<EntryEncoder.Encoded>> e : byQueue.entrySet()) {
      String queue = e.getKey();
      List<List<EntryEncoder.Encoded>> chunks =
          Chunks.split(e.getValue(), Chunks.MAX_ENTRIES, maxBatchBytes);
      if (fifo(queue)) {
        work.add(
            submit(r, chunks, verdicts, () -> sendInOrder(r, queue, chunks, verdicts, deadline)));
      } else {
        for (List<EntryEncoder.Encoded> chunk : chunks) {
          work.add(
              submit(r, List.of(chunk), verdicts, () -> send(r, queue, chunk, verdicts, deadline)));
        }
      }
    }
    CompletableFuture.allOf(work.toArray(CompletableFuture[]::new))
        .whenComplete(
            (v, t) -> result.complete(answer(verdicts, "SQS gave no result for this message")));
    ScheduledFuture<?> timeout = null;
    try {
      timeout =
          r.timer()
              .schedule(
                  () ->
                      result.complete(
                          answer(
                              verdicts, "no answer from SQS within " + options.publishTimeout())),
                  Math.max(0, deadline - System.nanoTime()),
                  TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // close() completes every pending stage.
    }
    ScheduledFuture<?> timer = timeout;
    result.whenComplete(
        (v, t) -> {
          pending.remove(result);
          if (timer != null) {
            timer.cancel(false);
          }
        });
    if (closed) {
      result.complete(answer(verdicts, "sink closed"));
    }
    return result;
  }

  /**
   * False after {@value #UNHEALTHY_AFTER} consecutive requests without an answer, until SQS answers
   * again; false before start and after close.
   */
  @Override
  public boolean healthy() {
    return resources != null && !closed && reachable;
  }

  @Override
  public void close() {
    Resources r;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      r = resources;
    }
    if (r != null) {
      r.prober().shutdownNow();
      r.senders().shutdown();
      Duration bound = min(options.publishTimeout(), MAX_CLOSE_WAIT);
      try {
        if (!r.senders().awaitTermination(bound.toNanos(), TimeUnit.NANOSECONDS)) {
          LOG.warn("{}: SQS requests still running after {}; abandoning them", name(), bound);
          r.senders().shutdownNow();
        }
      } catch (InterruptedException e) {
        r.senders().shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    for (Map.Entry<CompletableFuture<List<Verdict>>, AtomicReferenceArray<Verdict>> p :
        List.copyOf(pending.entrySet())) {
      p.getKey().complete(answer(p.getValue(), "sink closed before SQS answered"));
    }
    if (r != null) {
      release(r);
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  /** Runs chunks for one FIFO queue one after the other; stops at the first one not settled. */
  private void sendInOrder(
      Resources r,
      String queue,
      List<List<EntryEncoder.Encoded>> chunks,
      AtomicReferenceArray<Verdict> verdicts,
      long deadline) {
    boolean inOrder = true;
    for (List<EntryEncoder.Encoded> chunk : chunks) {
      if (inOrder) {
        inOrder = send(r, queue, chunk, verdicts, deadline);
      } else {
        fill(
            chunk,
            verdicts,
            Verdict.unknown(
                "not sent: an earlier request to this FIFO queue failed, so this one waits to"
                    + " keep the order"));
      }
    }
  }

  /**
   * Sends one chunk and records a verdict for each of its entries.
   *
   * @return true when every entry is settled for good (confirmed or rejected for good), so later
   *     messages of a FIFO queue may follow
   */
  private boolean send(
      Resources r,
      String queue,
      List<EntryEncoder.Encoded> chunk,
      AtomicReferenceArray<Verdict> verdicts,
      long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      fill(
          chunk, verdicts, Verdict.unknown("not sent: the publish timeout passed before its turn"));
      return false;
    }
    if (closed) {
      fill(chunk, verdicts, Verdict.unknown("not sent: sink closed"));
      return false;
    }
    String url;
    try {
      url = queueUrl(r.client(), queue, Duration.ofNanos(left));
    } catch (RuntimeException e) {
      fill(chunk, verdicts, urlFailure(queue, e));
      return false;
    }
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
    Map<String, Integer> indexById = new HashMap<>();
    for (EntryEncoder.Encoded e : chunk) {
      entries.add(e.entry());
      indexById.put(e.entry().id(), e.index());
    }
    Duration callTimeout = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    SendMessageBatchResponse response;
    try {
      response =
          r.client()
              .sendMessageBatch(
                  SendMessageBatchRequest.builder()
                      .queueUrl(url)
                      .entries(entries)
                      .overrideConfiguration(o -> o.apiCallTimeout(callTimeout))
                      .build());
    } catch (RuntimeException e) {
      return requestFailed(r, queue, chunk, verdicts, deadline, e);
    }
    markReachable();
    boolean settled = true;
    for (SendMessageBatchResultEntry ok : response.successful()) {
      Integer i = indexById.get(ok.id());
      if (i != null) {
        verdicts.compareAndSet(i, null, Verdict.CONFIRMED);
      }
    }
    for (BatchResultErrorEntry failed : response.failed()) {
      Integer i = indexById.get(failed.id());
      if (i != null) {
        // senderFault: the entry itself is wrong; sending it again cannot help.
        boolean retriable = !Boolean.TRUE.equals(failed.senderFault());
        verdicts.compareAndSet(
            i, null, Verdict.rejected(failed.code() + ": " + failed.message(), retriable));
        settled &= !retriable;
      }
    }
    for (EntryEncoder.Encoded e : chunk) {
      if (verdicts.compareAndSet(
          e.index(), null, Verdict.unknown("SQS answered without a result for this entry"))) {
        settled = false;
      }
    }
    return settled;
  }

  private boolean requestFailed(
      Resources r,
      String queue,
      List<EntryEncoder.Encoded> chunk,
      AtomicReferenceArray<Verdict> verdicts,
      long deadline,
      RuntimeException e) {
    RequestFailure kind = RequestFailure.of(e);
    String why = RequestFailure.describe(e);
    switch (kind) {
      case UNREACHABLE, SERVER_ERROR -> {
        markUnreachable(why);
        fill(chunk, verdicts, Verdict.unknown("SQS did not answer: " + why));
        return false;
      }
      case THROTTLED -> {
        markReachable();
        fill(chunk, verdicts, Verdict.unknown("throttled by SQS: " + why));
        return false;
      }
      case QUEUE_MISSING -> {
        markReachable();
        queueUrls.remove(queue);
        fill(chunk, verdicts, Verdict.rejected(missingQueue(queue), true));
        return false;
      }
      case DENIED -> {
        markReachable();
        fill(chunk, verdicts, Verdict.rejected("SQS denied access: " + why, true));
        return false;
      }
      case REFUSED -> {
        markReachable();
        if (chunk.size() == 1) {
          fill(chunk, verdicts, Verdict.rejected("SQS refused the message: " + why, false));
          return true;
        }
        // One entry can make SQS refuse the whole request; send them one by one so only that
        // entry is rejected.
        LOG.debug(
            "{}: SQS refused a request of {} entries ({}); isolating", name(), chunk.size(), why);
        boolean settled = true;
        for (EntryEncoder.Encoded one : chunk) {
          if (settled) {
            settled = send(r, queue, List.of(one), verdicts, deadline);
          } else {
            fill(List.of(one), verdicts, Verdict.unknown("not sent: an earlier entry failed"));
          }
        }
        return settled;
      }
      default -> {
        LOG.warn("{}: unexpected failure sending to {}", name(), queue, e);
        fill(chunk, verdicts, Verdict.unknown(why));
        return false;
      }
    }
  }

  private Verdict urlFailure(String queue, RuntimeException e) {
    RequestFailure kind = RequestFailure.of(e);
    String why = RequestFailure.describe(e);
    switch (kind) {
      case UNREACHABLE, SERVER_ERROR -> {
        markUnreachable(why);
        return Verdict.unknown("SQS did not answer: " + why);
      }
      case QUEUE_MISSING -> {
        markReachable();
        return Verdict.rejected(missingQueue(queue), true);
      }
      case THROTTLED, OTHER -> {
        return Verdict.unknown("GetQueueUrl for '" + queue + "' failed: " + why);
      }
      default -> {
        markReachable();
        return Verdict.rejected("GetQueueUrl for '" + queue + "' failed: " + why, true);
      }
    }
  }

  /** The started sink's client, for drain-back ({@link SqsDrainSource}). */
  SqsClient client() throws SinkException {
    Resources r = resources;
    if (r == null) {
      throw new SinkException(name() + ": not started");
    }
    return r.client();
  }

  /** The URL of {@code queue}, for drain-back. */
  String queueUrl(String queue) throws SinkException {
    try {
      return queueUrl(client(), queue, checkTimeout());
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw new SinkException(name() + ": queue '" + queue + "': " + e.getMessage(), e);
    }
  }

  private String queueUrl(SqsClient client, String queue, Duration timeout) {
    if (options.queueUrlPrefix() != null) {
      return options.queueUrlPrefix() + queue;
    }
    String url = queueUrls.get(queue);
    if (url != null) {
      return url;
    }
    url =
        client
            .getQueueUrl(
                GetQueueUrlRequest.builder()
                    .queueName(queue)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                    .build())
            .queueUrl();
    queueUrls.put(queue, url);
    return url;
  }

  private CompletableFuture<Void> submit(
      Resources r,
      List<List<EntryEncoder.Encoded>> chunks,
      AtomicReferenceArray<Verdict> verdicts,
      Runnable task) {
    Runnable guarded =
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("{}: publishing failed unexpectedly", name(), e);
            for (List<EntryEncoder.Encoded> c : chunks) {
              fill(c, verdicts, Verdict.unknown(RequestFailure.describe(e)));
            }
          }
        };
    try {
      return CompletableFuture.runAsync(guarded, r.senders());
    } catch (RejectedExecutionException closing) {
      for (List<EntryEncoder.Encoded> c : chunks) {
        fill(c, verdicts, Verdict.unknown("sink closed"));
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  private static void fill(
      List<EntryEncoder.Encoded> chunk, AtomicReferenceArray<Verdict> verdicts, Verdict v) {
    for (EntryEncoder.Encoded e : chunk) {
      verdicts.compareAndSet(e.index(), null, v);
    }
  }

  /** The verdicts as they stand; what has no answer yet is Unknown with {@code reason}. */
  private static List<Verdict> answer(AtomicReferenceArray<Verdict> verdicts, String reason) {
    Verdict missing = Verdict.unknown(reason);
    List<Verdict> out = new ArrayList<>(verdicts.length());
    for (int i = 0; i < verdicts.length(); i++) {
      Verdict v = verdicts.get(i);
      out.add(v == null ? missing : v);
    }
    return Collections.unmodifiableList(out);
  }

  private static boolean fifo(String queue) {
    return queue.endsWith(".fifo");
  }

  // ---- health -------------------------------------------------------------------------------

  private void markReachable() {
    lastAnswerNanos = System.nanoTime();
    consecutiveFailures.set(0);
    if (!reachable) {
      reachable = true;
      LOG.info("{}: SQS at {} answers again", name(), options.where());
    }
  }

  private void markUnreachable(String why) {
    int failures = consecutiveFailures.incrementAndGet();
    if (failures >= UNHEALTHY_AFTER && reachable) {
      reachable = false;
      LOG.warn(
          "{}: SQS at {} does not answer ({}); unhealthy until it does",
          name(),
          options.where(),
          why);
    }
  }

  /**
   * Runs on the timer every {@link #CHECK_INTERVAL}: starts a background check when the last
   * request failed or nothing has been answered for a whole interval, so an outage is noticed
   * without traffic (the pump sends nothing while it holds back) and the end of one too.
   */
  private void heartbeat(Resources r) {
    if (closed || checkRunning.get()) {
      return;
    }
    boolean due =
        consecutiveFailures.get() > 0
            || !reachable
            || System.nanoTime() - lastAnswerNanos >= checkInterval.toNanos();
    if (due && checkRunning.compareAndSet(false, true)) {
      try {
        r.prober().execute(() -> checkInBackground(r));
      } catch (RejectedExecutionException closing) {
        checkRunning.set(false);
      }
    }
  }

  /** One cheap request; any answer from SQS (even an error) proves it is reachable. */
  private void checkInBackground(Resources r) {
    RequestFailure failure = null;
    String why = null;
    try {
      String known = queueUrls.keySet().stream().findFirst().orElse(null);
      if (known != null) {
        r.client()
            .getQueueUrl(
                GetQueueUrlRequest.builder()
                    .queueName(known)
                    .overrideConfiguration(o -> o.apiCallTimeout(checkTimeout()))
                    .build());
      } else {
        r.client().listQueues(listOne());
      }
    } catch (RuntimeException e) {
      failure = RequestFailure.of(e);
      why = RequestFailure.describe(e);
    }
    checkRunning.set(false);
    if (closed) {
      return;
    }
    if (failure != null && failure.unreachable()) {
      markUnreachable(why);
    } else {
      markReachable();
    }
  }

  // ---- lifecycle helpers --------------------------------------------------------------------

  private void checkReachable(SqsClient client) throws SinkException {
    try {
      client.listQueues(listOne());
    } catch (RuntimeException e) {
      RequestFailure kind = RequestFailure.of(e);
      String why = RequestFailure.describe(e);
      if (kind.unreachable() || kind == RequestFailure.OTHER) {
        throw new SinkException(
            name() + ": cannot reach SQS at " + options.where() + ": " + why, e);
      }
      if (kind == RequestFailure.DENIED && !why.startsWith("AccessDenied")) {
        // AccessDenied only means this identity may not list queues; anything else here is about
        // the credentials themselves.
        throw new SinkException(
            name() + ": SQS at " + options.where() + " rejected the credentials: " + why, e);
      }
    }
  }

  private SinkException probeFailure(String queue, RuntimeException e) {
    RequestFailure kind = RequestFailure.of(e);
    String why = RequestFailure.describe(e);
    String line =
        switch (kind) {
          case QUEUE_MISSING ->
              name()
                  + ": queue '"
                  + queue
                  + "' does not exist at "
                  + options.where()
                  + " (create it, or check region/endpoint)";
          case UNREACHABLE, SERVER_ERROR, OTHER ->
              name() + ": cannot reach SQS at " + options.where() + ": " + why;
          case DENIED ->
              name()
                  + ": SQS at "
                  + options.where()
                  + " denied access to queue '"
                  + queue
                  + "': "
                  + why
                  + " (check the credentials and the queue's policy)";
          case THROTTLED, REFUSED ->
              name()
                  + ": SQS at "
                  + options.where()
                  + " refused GetQueueUrl for queue '"
                  + queue
                  + "': "
                  + why;
        };
    return new SinkException(line, e);
  }

  private String missingQueue(String queue) {
    return "queue '" + queue + "' does not exist at " + options.where();
  }

  private Duration checkTimeout() {
    return min(options.publishTimeout(), MAX_CHECK_TIMEOUT);
  }

  private ListQueuesRequest listOne() {
    return ListQueuesRequest.builder()
        .maxResults(1)
        .overrideConfiguration(o -> o.apiCallTimeout(checkTimeout()))
        .build();
  }

  private AwsCredentialsProvider credentials() {
    if (options.defaultCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (options.sessionToken() != null) {
      return StaticCredentialsProvider.create(
          AwsSessionCredentials.create(
              options.accessKeyId(), options.secretAccessKey(), options.sessionToken()));
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey()));
  }

  private static SqsClient newClient(SqsSinkOptions options, AwsCredentialsProvider credentials) {
    Duration timeout = options.publishTimeout();
    SqsClientBuilder builder =
        SqsClient.builder()
            .region(Region.of(options.region()))
            .credentialsProvider(credentials)
            // The JDK's HttpURLConnection: blocking, thread-safe, keeps connections alive, and
            // brings no second HTTP stack or Netty next to Lettuce's.
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(min(timeout, MAX_CONNECT_TIMEOUT))
                    .socketTimeout(timeout))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .apiCallTimeout(timeout)
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(SDK_MAX_ATTEMPTS)
                            .backoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(50), Duration.ofSeconds(1)))
                            // SQS throttles per queue and account; back off longer so the retries
                            // help instead of adding to the load.
                            .throttlingBackoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    Duration.ofMillis(250), Duration.ofSeconds(5)))
                            .build())
                    .build());
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    return builder.build();
  }

  private Resources open(AwsCredentialsProvider credentials) {
    SqsClient client = clientFactory.create(options, credentials);
    int threads = options.maxConcurrency();
    ThreadPoolExecutor senders =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            // Unbounded on purpose: the pump bounds what is in flight (consumers x batchSize),
            // and publish must never block or throw.
            new LinkedBlockingQueue<>(),
            daemon("sqs-" + name() + "-send-"));
    senders.allowCoreThreadTimeOut(true);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(daemon("sqs-" + name() + "-timer-"));
    // Blocking checks get a thread of their own so they never delay the publish timeouts.
    ExecutorService prober = Executors.newSingleThreadExecutor(daemon("sqs-" + name() + "-check-"));
    return new Resources(client, credentials, senders, timer, prober);
  }

  private void release(Resources r) {
    r.prober().shutdownNow();
    r.senders().shutdownNow();
    r.timer().shutdownNow();
    try {
      r.client().close();
    } catch (RuntimeException e) {
      LOG.debug("{}: closing the SQS client failed", name(), e);
    }
    closeQuietly(r.credentials());
  }

  private void closeQuietly(AwsCredentialsProvider credentials) {
    if (credentials instanceof SdkAutoCloseable c) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the credentials provider failed", name(), e);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
