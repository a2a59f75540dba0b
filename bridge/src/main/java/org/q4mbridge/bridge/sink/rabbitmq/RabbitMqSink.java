package org.q4mbridge.bridge.sink.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to a RabbitMQ exchange over one connection and one channel in confirm mode (DESIGN.md
 * §4.1). A message is {@link Verdict.Confirmed} only when the broker acknowledged it (basic.ack: it
 * is routed to every bound queue, and persisted where the queue is durable); a basic.nack is a
 * retriable rejection; a mandatory message that no queue is bound for comes back (basic.return) and
 * is a non-retriable rejection ("unroutable …"); a body larger than {@link
 * RabbitMqSinkOptions#maxMessageBytes()} is rejected before sending.
 *
 * <p>Each message is sent persistent (delivery mode 2) with {@code message-id} = the message key
 * (consumers deduplicate on it), {@code content-type} {@code application/json} when the body is a
 * JSON object or array (else {@code text/plain; charset=utf-8}), the message attributes as headers,
 * the job's creation time (else the publish time) as timestamp, and one extra header {@value
 * ConfirmTracker#PUBLISH_ID_HEADER} that lets a returned message be matched to its publish. The
 * routing key is the message's destination, or {@link RabbitMqSinkOptions#routingKeyOverride()}.
 *
 * <p>Publishing: a batch is written as a whole and the confirms are collected asynchronously, by
 * publish sequence number ({@link ConfirmTracker}); the batch costs about one round trip. The
 * returned stage completes when every message has its verdict, or, at the publish timeout (a timer,
 * not a waiting thread), with {@link Verdict.Unknown} for those still unanswered.
 *
 * <p>Threading: {@link #publish} may be called from several threads. amqp-client channels must not
 * be used for publishing by several threads at once (frames of concurrent publishes would
 * interleave, and the sequence number read before a publish would not be the one the publish gets),
 * so one lock serialises the writing of whole batches on the one channel; a caller waits for the
 * lock at most the publish timeout and then answers Unknown. Writing is fast (into the socket
 * buffer), and the waiting for confirms happens outside the lock, so batches of several callers are
 * still in flight together. One channel also keeps the broker's order of a batch equal to the batch
 * order. A publish can block in the socket write only when the broker stops reading while a batch
 * is being written (a resource alarm raised in the middle of it); from then on the sink reports
 * itself unhealthy and new batches are answered Unknown at once. The stage's dependants run on the
 * sink's timer thread (or the publishing thread): keep them short.
 *
 * <p>Connection loss: automatic recovery reconnects every {@link
 * RabbitMqSinkOptions#recoveryInterval()}. When the connection breaks, every outstanding publish is
 * answered Unknown at once (the broker may or may not have it; the pump sends it again, and the key
 * lets consumers deduplicate) and {@link #healthy()} turns false; new batches are answered Unknown
 * without waiting. After recovery the channel is checked to be in confirm mode again (re-enabled if
 * not), and its sequence numbers, which restart at 1, are tracked apart from the old ones. A
 * channel closed by the broker for a channel error (say, the exchange was deleted) is not recovered
 * by the client: its outstanding publishes are answered Unknown and the next batch opens a new
 * channel.
 *
 * <p>Back-pressure: while the broker has blocked the connection (connection.blocked, sent when a
 * memory or disk alarm is raised) until it unblocks it, {@link #healthy()} is false and batches are
 * answered Unknown at once, so the pump stops claiming rows.
 *
 * <p>Lifecycle: construct (nothing connects) → {@link #start()} (connect, open the channel) →
 * {@link #probe} (the exchange exists, or is declared when {@link RabbitMqSinkOptions#declare()}) →
 * {@link #publish} … → {@link #close()}. {@code start} and {@code close} are idempotent and bounded
 * by the publish timeout; after {@code close} every outstanding and later publish is answered
 * Unknown.
 */
public final class RabbitMqSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqSink.class);

  /** Dead connections are noticed within about two heartbeats. */
  private static final int HEARTBEAT_SECONDS = 10;

  private static final int REPLY_NOT_FOUND = 404;
  private static final int REPLY_ACCESS_REFUSED = 403;
  private static final int REPLY_PRECONDITION_FAILED = 406;

  private final RabbitMqSinkOptions options;
  private final Duration timeout;
  private final int timeoutMillis;
  private final ReentrantLock publishLock = new ReentrantLock();
  private final ScheduledThreadPoolExecutor timer;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong incarnations = new AtomicLong();

  private volatile Connection connection;

  /** The publishing channel; replaced only under {@link #publishLock}. */
  private volatile Lane lane;

  private volatile boolean connectionUp;
  private volatile String downReason = "not started";

  /** The broker's reason while it blocks the connection, else null. */
  private volatile String blockedReason;

  public RabbitMqSink(RabbitMqSinkOptions options) {
    this.options = options;
    this.timeout = options.publishTimeout();
    this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "rabbitmq-" + options.name() + "-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  public RabbitMqSinkOptions options() {
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
   * Connects and opens the publishing channel in confirm mode. Blocks at most about twice the
   * publish timeout (TCP connect, then the handshake). Idempotent.
   *
   * @throws SinkException with one line naming the broker (password left out) and the cause
   */
  @Override
  public synchronized void start() throws SinkException {
    if (closed.get()) {
      throw new SinkException(name() + ": closed");
    }
    if (!started.compareAndSet(false, true)) {
      return;
    }
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(options.clientUri());
      if (options.uri().regionMatches(true, 0, "amqps:", 0, 6)) {
        // setUri alone would trust every certificate; verify against the JVM's trust store and
        // the host name instead.
        factory.useSslProtocol(SSLContext.getDefault());
        factory.enableHostnameVerification();
      }
    } catch (java.net.URISyntaxException | GeneralSecurityException e) {
      started.set(false);
      throw new SinkException(
          name() + ": cannot use " + options.redactedUri() + ": " + e.getClass().getSimpleName());
    }
    factory.setAutomaticRecoveryEnabled(true);
    // The sink owns no topology but the exchange, which is durable and checked by probe.
    factory.setTopologyRecoveryEnabled(false);
    factory.setNetworkRecoveryInterval(options.recoveryInterval().toMillis());
    factory.setConnectionTimeout(timeoutMillis);
    factory.setHandshakeTimeout(timeoutMillis);
    factory.setShutdownTimeout(timeoutMillis);
    factory.setChannelRpcTimeout(timeoutMillis);
    factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
    Connection c;
    try {
      c = factory.newConnection("q4m-bridge " + name());
    } catch (IOException | TimeoutException | RuntimeException e) {
      started.set(false);
      throw new SinkException(
          name() + ": cannot connect to " + options.redactedUri() + ": " + describe(e));
    }
    c.addShutdownListener(this::connectionLost);
    c.addBlockedListener(
        new BlockedListener() {
          @Override
          public void handleBlocked(String reason) {
            blockedReason = reason == null || reason.isEmpty() ? "no reason given" : reason;
            LOG.warn(
                "{}: the broker blocked publishing ({}); not claiming until it unblocks",
                name(),
                blockedReason);
          }

          @Override
          public void handleUnblocked() {
            blockedReason = null;
            LOG.info("{}: the broker unblocked publishing", name());
          }
        });
    ((Recoverable) c)
        .addRecoveryListener(
            new RecoveryListener() {
              @Override
              public void handleRecovery(Recoverable recoverable) {
                // Channels are recovered before this runs, so the lane is usable again.
                connectionUp = true;
                downReason = null;
                LOG.info("{}: reconnected to {}", name(), options.redactedUri());
              }

              @Override
              public void handleRecoveryStarted(Recoverable recoverable) {}
            });
    connection = c;
    publishLock.lock();
    try {
      lane = openLane(c);
      connectionUp = true;
      downReason = null;
    } catch (IOException | RuntimeException e) {
      abortQuietly(c);
      connection = null;
      started.set(false);
      throw new SinkException(
          name() + ": cannot open a channel on " + options.redactedUri() + ": " + describe(e));
    } finally {
      publishLock.unlock();
    }
    if (closed.get()) {
      abortQuietly(c); // close() ran while connecting
    }
  }

  /**
   * Checks that the connection is up, that every destination is a usable routing key and that the
   * exchange exists (passively, on a throw-away channel, since a failed check closes the channel it
   * runs on), or declares it as a durable topic exchange when {@link
   * RabbitMqSinkOptions#declare()}. Bounded by the publish timeout per broker call.
   *
   * @throws SinkException one line naming the sink, the exchange and the vhost, and what to do
   */
  @Override
  public void probe(Collection<String> destinations) throws SinkException {
    if (closed.get()) {
      throw new SinkException(name() + ": closed");
    }
    Connection c = connection;
    if (c == null) {
      throw new SinkException(name() + ": not started");
    }
    if (!connectionUp) {
      throw new SinkException(
          name() + ": not connected to " + options.redactedUri() + " (" + downReason + ")");
    }
    if (options.routingKeyOverride() == null) {
      for (String destination : destinations) {
        if (!RabbitMqSinkOptions.routingKeyFits(destination)) {
          throw new SinkException(
              name() + ": routing key '" + destination + "' is longer than 255 bytes");
        }
      }
    }
    String exchange = options.exchange();
    if (exchange.isEmpty()) {
      return; // the default exchange always exists, and cannot even be checked passively
    }
    String vhost = options.virtualHost();
    Channel probe = null;
    try {
      probe = c.createChannel();
      if (probe == null) {
        throw new SinkException(name() + ": the broker allows no further channel");
      }
      if (options.declare()) {
        probe.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true, false, null);
      } else {
        probe.exchangeDeclarePassive(exchange);
      }
    } catch (IOException | ShutdownSignalException e) {
      int code = replyCode(e);
      String where = "exchange '" + exchange + "' in vhost '" + vhost + "'";
      if (code == REPLY_NOT_FOUND) {
        throw new SinkException(
            name()
                + ": exchange '"
                + exchange
                + "' does not exist in vhost '"
                + vhost
                + "' (declare it, or set declare: true)");
      }
      if (code == REPLY_PRECONDITION_FAILED) {
        throw new SinkException(
            name()
                + ": "
                + where
                + " exists with other settings than declare: true asks for (a durable topic"
                + " exchange): "
                + describe(e)
                + " (declare it to match, or set declare: false)");
      }
      if (code == REPLY_ACCESS_REFUSED) {
        throw new SinkException(
            name() + ": access to " + where + " refused for this user: " + describe(e));
      }
      throw new SinkException(name() + ": cannot check " + where + ": " + describe(e));
    } finally {
      if (probe != null) {
        closeQuietly(probe);
      }
    }
  }

  /**
   * Publishes the batch on the channel and returns at once after writing it (or after waiting at
   * most the publish timeout for the channel). Never throws and never completes exceptionally.
   */
  @Override
  public CompletionStage<List<Verdict>> publish(List<OutboundMessage> batch) {
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    PendingBatch pending = new PendingBatch(batch.size(), timer);
    try {
      publishInto(batch, pending);
    } catch (RuntimeException e) {
      LOG.warn("{}: publishing failed unexpectedly", name(), e);
      pending.settleOpen(Verdict.unknown("publishing failed: " + describe(e)));
    }
    return pending.answer();
  }

  private void publishInto(List<OutboundMessage> batch, PendingBatch pending) {
    int n = batch.size();
    byte[][] bodies = new byte[n][];
    String[] routingKeys = new String[n];
    for (int i = 0; i < n; i++) {
      OutboundMessage m = batch.get(i);
      bodies[i] = m.body().getBytes(StandardCharsets.UTF_8);
      routingKeys[i] =
          options.routingKeyOverride() != null ? options.routingKeyOverride() : m.destination();
      if (bodies[i].length > options.maxMessageBytes()) {
        pending.settle(
            i,
            Verdict.rejected(
                "oversize: message of "
                    + bodies[i].length
                    + " bytes exceeds the limit of "
                    + options.maxMessageBytes()
                    + " bytes",
                false));
      } else if (!RabbitMqSinkOptions.routingKeyFits(routingKeys[i])) {
        pending.settle(
            i, Verdict.rejected("routing key '" + routingKeys[i] + "' exceeds 255 bytes", false));
      }
    }
    if (pending.done()) {
      return;
    }
    String refusal = refusal();
    if (refusal != null) {
      pending.settleOpen(Verdict.unknown(refusal));
      return;
    }
    ScheduledFuture<?> expiry;
    try {
      expiry = timer.schedule(() -> expire(pending), timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      pending.settleOpen(Verdict.unknown("sink closed"));
      return;
    }
    pending.answer().whenComplete((v, err) -> expiry.cancel(false));
    boolean locked;
    try {
      locked = publishLock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.settleOpen(Verdict.unknown("interrupted while waiting for the channel"));
      return;
    }
    if (!locked) {
      pending.settleOpen(Verdict.unknown("the channel stayed busy for " + timeout));
      return;
    }
    try {
      writeBatch(batch, bodies, routingKeys, pending);
    } finally {
      publishLock.unlock();
    }
  }

  /** Writes every open message of the batch; called with the publish lock held. */
  private void writeBatch(
      List<OutboundMessage> batch, byte[][] bodies, String[] routingKeys, PendingBatch pending) {
    Lane l;
    try {
      l = usableLane();
    } catch (IOException | RuntimeException e) {
      pending.settleOpen(Verdict.unknown("no channel: " + describe(e)));
      return;
    }
    ConfirmTracker tracker = l.tracker;
    if (tracker == null) {
      pending.settleOpen(Verdict.unknown("the channel is recovering"));
      return;
    }
    pending.tracker = tracker;
    Channel channel = l.channel;
    long now = System.currentTimeMillis();
    for (int i = 0; i < batch.size(); i++) {
      if (pending.done()) {
        return; // timed out while waiting for the lock or writing
      }
      if (!pending.isOpen(i)) {
        continue;
      }
      OutboundMessage m = batch.get(i);
      long seq = channel.getNextPublishSeqNo();
      if (seq <= 0) {
        // Not in confirm mode (should not happen: checked after every recovery): never publish
        // without confirms. The lane is replaced on the next batch.
        l.broken = true;
        pending.settleOpen(Verdict.unknown("the channel is not in confirm mode"));
        return;
      }
      if (!tracker.track(seq, new ConfirmTracker.Pending(pending, i, m.key()))) {
        pending.settleOpen(Verdict.unknown(tracker.closedReason()));
        return;
      }
      try {
        channel.basicPublish(
            options.exchange(),
            routingKeys[i],
            options.mandatory(),
            properties(m, tracker.publishId(seq), now),
            bodies[i]);
      } catch (IOException | ShutdownSignalException e) {
        // Not written: this and the rest of the batch are not at the broker, or may not be.
        tracker.untrack(seq);
        pending.settleOpen(Verdict.unknown("publish failed: " + describe(e)));
        return;
      }
    }
  }

  /** The current channel, or a new one when the broker closed the old one for a channel error. */
  private Lane usableLane() throws IOException {
    Lane l = lane;
    if (l != null && !l.broken) {
      if (!l.channel.isOpen()) {
        throw new IOException("channel closed: " + downReasonOr("unknown reason"));
      }
      return l;
    }
    Connection c = connection;
    if (c == null || !c.isOpen()) {
      throw new IOException("not connected");
    }
    if (l != null) {
      l.abandon();
    }
    Lane fresh = openLane(c);
    lane = fresh;
    LOG.info("{}: opened a new channel", name());
    return fresh;
  }

  private Lane openLane(Connection c) throws IOException {
    Channel channel = c.createChannel();
    if (channel == null) {
      throw new IOException("the broker allows no further channel");
    }
    channel.confirmSelect();
    return new Lane(channel);
  }

  private void expire(PendingBatch pending) {
    pending.settleOpen(Verdict.unknown("no confirm from the broker within " + timeout));
    ConfirmTracker t = pending.tracker;
    if (t != null) {
      t.forget(pending);
    }
  }

  /** Why a batch cannot be sent now, or null when it can. */
  private String refusal() {
    if (closed.get()) {
      return "sink closed";
    }
    if (connection == null) {
      return "sink not started";
    }
    if (!connectionUp) {
      return "not connected to " + options.redactedUri() + " (" + downReasonOr("down") + ")";
    }
    String blocked = blockedReason;
    if (blocked != null) {
      return "the broker blocked publishing: " + blocked;
    }
    return null;
  }

  private String downReasonOr(String fallback) {
    String reason = downReason;
    return reason == null ? fallback : reason;
  }

  /**
   * False before start, after close, while the connection is down or recovering, and while the
   * broker blocks the connection (memory or disk alarm). Never blocks.
   */
  @Override
  public boolean healthy() {
    return started.get()
        && !closed.get()
        && connection != null
        && connectionUp
        && blockedReason == null;
  }

  /**
   * Answers every outstanding publish Unknown, closes the connection (waiting at most the publish
   * timeout for the broker, then aborting it; in all at most about three publish timeouts) and
   * stops the timer. Idempotent; any thread.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    connectionUp = false;
    downReason = "sink closed";
    Lane l = lane;
    if (l != null) {
      l.finish("sink closed");
    }
    Connection c = connection;
    if (c != null) {
      closeBounded(c);
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Closes the connection from a helper thread and waits for it at most twice the timeout: the
   * client's close waits for the socket's write lock first, which a publish stuck in a write to a
   * broker that stopped reading (resource alarm) would hold without bound.
   */
  private void closeBounded(Connection c) {
    Thread closer =
        new Thread(
            () -> {
              try {
                c.close(timeoutMillis);
              } catch (IOException | ShutdownSignalException e) {
                abortQuietly(c);
              }
            },
            "rabbitmq-" + name() + "-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(2L * timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      LOG.warn("{}: the connection did not close within {}; leaving it", name(), timeout);
    }
  }

  private void connectionLost(ShutdownSignalException cause) {
    connectionUp = false;
    blockedReason =
        null; // a new connection starts unblocked; the broker blocks it again if need be
    if (cause.isInitiatedByApplication()) {
      downReason = "closed";
      return;
    }
    downReason = "connection lost: " + describe(cause);
    LOG.warn(
        "{}: {} ({}); outstanding publishes are answered Unknown; reconnecting every {}",
        name(),
        downReason,
        options.redactedUri(),
        options.recoveryInterval());
    // The channel's own shutdown listener does the same; this covers a lane whose listener was
    // not yet attached.
    Lane l = lane;
    if (l != null) {
      l.incarnationEnded(downReason);
    }
  }

  private AMQP.BasicProperties properties(OutboundMessage m, String publishId, long now) {
    Map<String, Object> headers = new HashMap<>(m.attributes().size() + 1);
    headers.putAll(m.attributes());
    headers.put(ConfirmTracker.PUBLISH_ID_HEADER, publishId);
    return new AMQP.BasicProperties.Builder()
        .deliveryMode(2)
        .messageId(m.key())
        .contentType(looksLikeJson(m.body()) ? "application/json" : "text/plain; charset=utf-8")
        .headers(headers)
        .timestamp(new Date(m.createdAtMillis() > 0 ? m.createdAtMillis() : now))
        .build();
  }

  /**
   * A JSON object or array by its first and last character: cheap, and the default mapping always
   * produces an object; a body that merely looks like one is still labelled sensibly.
   */
  static boolean looksLikeJson(String body) {
    int start = 0;
    int end = body.length() - 1;
    while (start <= end && Character.isWhitespace(body.charAt(start))) {
      start++;
    }
    while (end >= start && Character.isWhitespace(body.charAt(end))) {
      end--;
    }
    if (start >= end) {
      return false;
    }
    char first = body.charAt(start);
    char last = body.charAt(end);
    return (first == '{' && last == '}') || (first == '[' && last == ']');
  }

  private static int replyCode(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException sse) {
        Object reason = sse.getReason();
        if (reason instanceof AMQP.Channel.Close close) {
          return close.getReplyCode();
        }
        if (reason instanceof AMQP.Connection.Close close) {
          return close.getReplyCode();
        }
      }
    }
    return -1;
  }

  /** One line about a failure: the broker's reply when there is one, else the root cause. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException sse) {
        Object reason = sse.getReason();
        if (reason instanceof AMQP.Channel.Close close) {
          return close.getReplyCode() + " " + close.getReplyText();
        }
        if (reason instanceof AMQP.Connection.Close close) {
          return close.getReplyCode() + " " + close.getReplyText();
        }
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank()
        ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + message;
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException | TimeoutException | ShutdownSignalException e) {
      // Already closed by the broker (a failed check does that): nothing left to release.
    }
  }

  private void abortQuietly(Connection c) {
    try {
      c.abort(timeoutMillis);
    } catch (RuntimeException e) {
      LOG.debug("{}: abort failed", name(), e);
    }
  }

  /**
   * The publishing channel and, per incarnation of it, the tracker of its outstanding publishes.
   * The client's automatic recovery gives the same {@link Channel} object a new underlying channel
   * after a reconnect and re-attaches these listeners; the incarnation changes there.
   */
  private final class Lane
      implements ConfirmListener, ReturnListener, ShutdownListener, RecoveryListener {
    final Channel channel;
    volatile ConfirmTracker tracker;

    /** Closed by the broker for a channel error: the client will not recover it. */
    volatile boolean broken;

    /** Replaced or finished by the sink: listeners ignore whatever still arrives. */
    volatile boolean abandoned;

    Lane(Channel channel) {
      this.channel = channel;
      this.tracker = new ConfirmTracker(incarnations.incrementAndGet());
      channel.addConfirmListener(this);
      channel.addReturnListener(this);
      channel.addShutdownListener(this);
      if (channel instanceof Recoverable r) {
        r.addRecoveryListener(this);
      }
    }

    @Override
    public void handleAck(long deliveryTag, boolean multiple) {
      ConfirmTracker t = tracker;
      if (t != null) {
        t.ack(deliveryTag, multiple);
      }
    }

    @Override
    public void handleNack(long deliveryTag, boolean multiple) {
      ConfirmTracker t = tracker;
      if (t != null) {
        t.nack(deliveryTag, multiple);
      }
    }

    @Override
    public void handleReturn(
        int replyCode,
        String replyText,
        String exchange,
        String routingKey,
        AMQP.BasicProperties properties,
        byte[] body) {
      ConfirmTracker t = tracker;
      if (t == null) {
        return;
      }
      Map<String, Object> headers = properties.getHeaders();
      Object publishId = headers == null ? null : headers.get(ConfirmTracker.PUBLISH_ID_HEADER);
      t.returned(
          publishId == null ? null : publishId.toString(),
          properties.getMessageId(),
          replyCode,
          replyText,
          exchange,
          routingKey);
    }

    @Override
    public void shutdownCompleted(ShutdownSignalException cause) {
      if (abandoned) {
        incarnationEnded("sink closed");
        return;
      }
      String reason =
          cause.isHardError()
              ? "connection lost: " + describe(cause)
              : "channel closed by the broker: " + describe(cause);
      if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
        // A channel error: automatic recovery only follows connection failures. Marked before
        // the verdicts go out, so a batch sent in reaction to them finds a new channel.
        broken = true;
        LOG.warn("{}: {}; the next batch opens a new channel", name(), reason);
      }
      incarnationEnded(reason);
    }

    /** Everything outstanding on this incarnation is answered Unknown; no new tracker yet. */
    void incarnationEnded(String reason) {
      ConfirmTracker t = tracker;
      tracker = null;
      if (t != null) {
        t.close(reason);
      }
    }

    @Override
    public void handleRecovery(Recoverable recoverable) {
      if (abandoned) {
        closeQuietly(channel);
        return;
      }
      // The client re-enables confirm mode on a recovered channel; never trust a publish without
      // it. A channel that is not in confirm mode numbers nothing (next sequence number 0).
      if (channel.getNextPublishSeqNo() == 0) {
        try {
          channel.confirmSelect();
          LOG.warn("{}: re-enabled confirm mode on the recovered channel", name());
        } catch (IOException | RuntimeException e) {
          broken = true;
          LOG.warn("{}: cannot re-enable confirm mode: {}", name(), describe(e));
          return;
        }
      }
      // Sequence numbers restart at 1: a new tracker, never mixed with the old incarnation's.
      ConfirmTracker old = tracker;
      tracker = new ConfirmTracker(incarnations.incrementAndGet());
      if (old != null) {
        old.close("connection recovered before an answer came");
      }
    }

    @Override
    public void handleRecoveryStarted(Recoverable recoverable) {}

    /** Stops using this channel: outstanding publishes become Unknown, the channel is closed. */
    void abandon() {
      abandoned = true;
      incarnationEnded("channel replaced");
      closeQuietly(channel);
    }

    /** The sink is closing: outstanding publishes become Unknown; the connection closes it. */
    void finish(String reason) {
      abandoned = true;
      incarnationEnded(reason);
    }
  }
}
