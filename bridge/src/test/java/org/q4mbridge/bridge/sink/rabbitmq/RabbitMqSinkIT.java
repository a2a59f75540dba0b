package org.q4mbridge.bridge.sink.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkContract;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;

/**
 * The sink contract and the RabbitMQ-specific behaviour against the real RabbitMQ the integration
 * tests share (amqp://guest:guest@127.0.0.1:5672; {@code Q4M_TEST_RABBIT_URI} overrides).
 *
 * <p>Every test class run gets its own exchange, and every destination is a routing key with an
 * exclusive queue of its own bound for it, deleted afterwards (exclusive, so that even a killed run
 * leaves nothing behind). Outages are played by an {@link AmqpProxy} in front of the broker — cut,
 * refused, frozen, made to send connection.blocked — so the shared broker is never stopped and no
 * alarm is raised on it; a connection closed by the broker is this sink's own connection only
 * ({@code rabbitmqctl close_connection}), never every client's.
 */
class RabbitMqSinkIT extends SinkContract {
  private static final String SHARED_URI =
      System.getenv().getOrDefault("Q4M_TEST_RABBIT_URI", "amqp://guest:guest@127.0.0.1:5672/%2F");

  /** The shared URI with its vhost spelled out. */
  private static final URI SHARED =
      URI.create(RabbitMqSinkOptions.of("it", SHARED_URI, "").clientUri());

  private static final String VHOST = RabbitMqSinkOptions.of("it", SHARED_URI, "").virtualHost();

  private Connection admin;
  private Channel adminChannel;
  private String exchange;
  private AmqpProxy proxy;
  private final Set<String> extraQueues = ConcurrentHashMap.newKeySet();
  private final Set<String> extraExchanges = ConcurrentHashMap.newKeySet();

  @BeforeAll
  void connect() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(RabbitMqSinkOptions.of("admin", SHARED_URI, "").clientUri());
    factory.setAutomaticRecoveryEnabled(false);
    admin = factory.newConnection("q4m-bridge RabbitMqSinkIT admin");
    adminChannel = admin.createChannel();
    exchange = "q4m-it.rabbit-sink." + suffix();
    adminChannel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, false, false, null);
    proxy = new AmqpProxy(SHARED.getHost(), sharedPort());
  }

  @AfterAll
  void disconnect() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (admin != null) {
      adminChannel().exchangeDelete(exchange);
      admin.close();
    }
  }

  @AfterEach
  void deleteExtras() throws IOException {
    for (String queue : extraQueues) {
      adminChannel().queueDelete(queue);
    }
    extraQueues.clear();
    for (String x : extraExchanges) {
      adminChannel().exchangeDelete(x);
    }
    extraExchanges.clear();
    proxy.resume();
    proxy.start();
  }

  // --- contract hooks ---

  private RabbitMqSinkOptions options(String uri, String exchange) {
    return RabbitMqSinkOptions.of("rabbit-it-" + suffix(), uri, exchange)
        .withPublishTimeout(Duration.ofSeconds(10))
        .withRecoveryInterval(Duration.ofMillis(500));
  }

  @Override
  protected Sink newSink(long maxMessageBytes) {
    return new RabbitMqSink(options(SHARED_URI, exchange).withMaxMessageBytes(maxMessageBytes));
  }

  /** A routing key with a fresh queue of the same name bound for it on the class's exchange. */
  @Override
  protected String newDestination() {
    String name = "q4m-it.dest." + suffix();
    try {
      Channel ch = adminChannel();
      ch.queueDeclare(name, false, true, false, null);
      ch.queueBind(name, exchange, name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot declare queue " + name, e);
    }
    return name;
  }

  @Override
  protected List<Received> readBack(String destination) {
    List<Received> received = new ArrayList<>();
    for (GetResponse r : drain(destination)) {
      Map<String, String> fields = new LinkedHashMap<>();
      Map<String, Object> headers = r.getProps().getHeaders();
      if (headers != null) {
        headers.forEach(
            (k, v) -> {
              if (!k.equals(ConfirmTracker.PUBLISH_ID_HEADER)) {
                fields.put(k, String.valueOf(v));
              }
            });
      }
      received.add(
          new Received(
              r.getProps().getMessageId(),
              new String(r.getBody(), StandardCharsets.UTF_8),
              fields));
    }
    return received;
  }

  @Override
  protected void deleteDestination(String destination) {
    try {
      adminChannel().queueDelete(destination);
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete queue " + destination, e);
    }
  }

  /** AMQP 0-9-1 has no publish deduplication: consumers dedupe on message-id. */
  @Override
  protected boolean deduplicatesRedelivery() {
    return false;
  }

  @Override
  protected Optional<ExpendableBroker> expendableBroker() {
    return Optional.of(
        new ExpendableBroker() {
          @Override
          public Sink newSink(Duration publishTimeout) {
            return new RabbitMqSink(
                options(viaProxy(), exchange).withPublishTimeout(publishTimeout));
          }

          @Override
          public String newDestination() {
            String destination = RabbitMqSinkIT.this.newDestination();
            extraQueues.add(destination);
            return destination;
          }

          @Override
          public List<Received> readBack(String destination) {
            return RabbitMqSinkIT.this.readBack(destination);
          }

          @Override
          public void stop() {
            proxy.stop();
          }

          @Override
          public void start() {
            proxy.start();
          }

          @Override
          public boolean canPause() {
            return true;
          }

          @Override
          public void pause() {
            proxy.pause();
          }

          @Override
          public void resume() {
            proxy.resume();
          }
        });
  }

  // --- RabbitMQ-specific behaviour ---

  @Test
  void aBatchOf1000IsConfirmedAndArrivesInOrderPersistentWithTheKeyAsMessageId() throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    List<OutboundMessage> batch = batch(destination, 0, 1000);

    assertThat(verdicts(sink, batch)).hasSize(1000).allMatch(Verdict::confirmed);

    List<GetResponse> got = drain(destination);
    assertThat(got)
        .extracting(r -> r.getProps().getMessageId())
        .containsExactlyElementsOf(batch.stream().map(OutboundMessage::key).toList());
    assertThat(got)
        .allSatisfy(
            r -> {
              AMQP.BasicProperties p = r.getProps();
              assertThat(p.getDeliveryMode()).as("persistent").isEqualTo(2);
              assertThat(p.getContentType()).isEqualTo("application/json");
              assertThat(p.getTimestamp()).isNotNull();
              assertThat(String.valueOf(p.getHeaders().get("type"))).isEqualTo("mail");
            });
  }

  @Test
  void anUnroutableMessageInTheMiddleOfABatchIsRejectedForGoodWhileTheOthersAreConfirmed()
      throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = destination();
    List<OutboundMessage> batch = new ArrayList<>(batch(destination, 0, 9));
    batch.set(4, batch.get(4).withDestination("nobody.listens.here"));

    List<Verdict> verdicts = new ArrayList<>(verdicts(sink, batch));

    assertThat(verdicts.get(4))
        .isEqualTo(
            Verdict.rejected(
                "unroutable: exchange '"
                    + exchange
                    + "' has no queue bound for routing key 'nobody.listens.here' (312 NO_ROUTE)",
                false));
    verdicts.remove(4);
    assertThat(verdicts).allMatch(Verdict::confirmed);
    List<String> expected = new ArrayList<>(batch.stream().map(OutboundMessage::key).toList());
    expected.remove(4);
    assertThat(readBack(destination)).extracting(Received::key).containsExactlyElementsOf(expected);
  }

  @Test
  void withoutMandatoryAnUnroutableMessageIsConfirmedAndDroppedByTheBroker() throws Exception {
    Sink sink =
        started(
            new RabbitMqSink(
                options(SHARED_URI, exchange).withMandatory(false).withMaxMessageBytes(1 << 20)));
    OutboundMessage lost = message("nobody.listens.here", 0, "lost");

    assertThat(verdicts(sink, List.of(lost))).containsExactly(Verdict.CONFIRMED);
  }

  @Test
  void aQueueRefusingPublishesMakesTheBrokerNackAndTheMessageIsRejectedRetriably()
      throws Exception {
    Sink sink = startedSink(1 << 20);
    String destination = "q4m-it.full." + suffix();
    extraQueues.add(destination);
    Map<String, Object> args = new HashMap<>();
    args.put("x-max-length", 1);
    args.put("x-overflow", "reject-publish");
    adminChannel().queueDeclare(destination, false, true, false, args);
    adminChannel().queueBind(destination, exchange, destination);

    List<Verdict> verdicts = verdicts(sink, batch(destination, 0, 3));

    assertThat(verdicts.get(0)).isEqualTo(Verdict.CONFIRMED);
    assertThat(verdicts.subList(1, 3))
        .containsOnly(Verdict.rejected(ConfirmTracker.NACK_REASON, true));
    assertThat(readBack(destination)).extracting(Received::key).containsExactly("shop.jobs:7:0");
  }

  @Test
  void aRoutingKeyOverrideRoutesEveryMessageByIt() throws Exception {
    String destination = destination();
    Sink sink =
        started(
            new RabbitMqSink(
                options(SHARED_URI, exchange)
                    .withRoutingKeyOverride(destination)
                    .withMaxMessageBytes(1 << 20)));

    List<OutboundMessage> batch =
        List.of(message("elsewhere", 0, "a"), message("somewhere.else", 1, "b"));

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(readBack(destination)).hasSize(2);
  }

  @Test
  void theDefaultExchangeRoutesByQueueNameAndNeedsNoCheck() throws Exception {
    String destination = destination();
    Sink sink = started(new RabbitMqSink(options(SHARED_URI, "").withMaxMessageBytes(1 << 20)));
    sink.probe(List.of(destination));

    assertThat(verdicts(sink, batch(destination, 0, 3))).allMatch(Verdict::confirmed);
    assertThat(readBack(destination)).hasSize(3);
  }

  @Test
  void probeReportsAMissingExchangeWithItsVhostAndWhatToDoWithoutThePassword() throws Exception {
    String missing = "q4m-it.jobz." + suffix();
    Sink sink = started(new RabbitMqSink(options(SHARED_URI, missing)));

    assertThatThrownBy(() -> sink.probe(List.of("jobs")))
        .isInstanceOf(SinkException.class)
        .hasMessage(
            sink.name()
                + ": exchange '"
                + missing
                + "' does not exist in vhost '"
                + VHOST
                + "' (declare it, or set declare: true)");
    // The sink is still usable for a probe after the failed check closed its throw-away channel.
    assertThat(sink.healthy()).isTrue();
  }

  @Test
  void probeWithDeclareCreatesADurableTopicExchange() throws Exception {
    String declared = "q4m-it.declared." + suffix();
    extraExchanges.add(declared);
    Sink sink = started(new RabbitMqSink(options(SHARED_URI, declared).withDeclare(true)));

    sink.probe(List.of("jobs"));

    // Declaring again with the same settings succeeds only if they match.
    adminChannel().exchangeDeclare(declared, BuiltinExchangeType.TOPIC, true, false, null);
    sink.probe(List.of("jobs"));
  }

  @Test
  void probeWithDeclareReportsAnExistingExchangeOfAnotherKind() throws Exception {
    String direct = "q4m-it.direct." + suffix();
    extraExchanges.add(direct);
    adminChannel().exchangeDeclare(direct, BuiltinExchangeType.DIRECT, false, false, null);
    Sink sink = started(new RabbitMqSink(options(SHARED_URI, direct).withDeclare(true)));

    assertThatThrownBy(() -> sink.probe(List.of("jobs")))
        .isInstanceOf(SinkException.class)
        .hasMessageStartingWith(
            sink.name()
                + ": exchange '"
                + direct
                + "' in vhost '"
                + VHOST
                + "' exists with other settings than declare: true asks for")
        .hasMessageContaining("406 PRECONDITION_FAILED")
        .hasMessageEndingWith("(declare it to match, or set declare: false)");
  }

  @Test
  void startReportsAnUnreachableBrokerInOneLineWithoutThePassword() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Sink sink =
        new RabbitMqSink(
            options(sharedUriAt("guest:s3cret-pw", "127.0.0.1", closedPort), exchange)
                .withPublishTimeout(Duration.ofSeconds(2)));
    try {
      assertThatThrownBy(sink::start)
          .isInstanceOf(SinkException.class)
          .hasMessageStartingWith(
              sink.name()
                  + ": cannot connect to "
                  + sharedUriAt("guest", "127.0.0.1", closedPort)
                  + ": ")
          .hasMessageContaining("Connection refused")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("\n"));
      assertThat(sink.healthy()).isFalse();
    } finally {
      sink.close();
    }
  }

  @Test
  void aWrongPasswordIsReportedWithoutRevealingIt() throws Exception {
    String user = sharedUserInfo().split(":")[0];
    String uri = sharedUriAt(user + ":wr0ng-pw", SHARED.getHost(), sharedPort());
    Sink sink = new RabbitMqSink(options(uri, exchange));
    try {
      assertThatThrownBy(sink::start)
          .isInstanceOf(SinkException.class)
          .hasMessageContaining("ACCESS_REFUSED")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wr0ng-pw"));
    } finally {
      sink.close();
    }
  }

  @Test
  void aChannelTheBrokerClosedIsReplacedByTheNextBatch() throws Exception {
    String own = "q4m-it.vanishing." + suffix();
    extraExchanges.add(own);
    adminChannel().exchangeDeclare(own, BuiltinExchangeType.TOPIC, false, false, null);
    String destination = destination();
    adminChannel().queueBind(destination, own, destination);
    Sink sink =
        started(
            new RabbitMqSink(options(SHARED_URI, own).withPublishTimeout(Duration.ofSeconds(5))));
    assertThat(verdicts(sink, batch(destination, 0, 2))).allMatch(Verdict::confirmed);

    // Publishing to a deleted exchange makes the broker close the channel (404 NOT_FOUND).
    adminChannel().exchangeDelete(own);
    List<Verdict> lost = verdicts(sink, batch(destination, 2, 2));
    assertThat(lost).allMatch(v -> v instanceof Verdict.Unknown);

    adminChannel().exchangeDeclare(own, BuiltinExchangeType.TOPIC, false, false, null);
    adminChannel().queueBind(destination, own, destination);
    await()
        .atMost(VERDICT_BOUND)
        .until(
            () -> verdicts(sink, batch(destination, 2, 2)).stream().allMatch(Verdict::confirmed));
    assertThat(readBack(destination))
        .extracting(Received::key)
        .contains("shop.jobs:7:0", "shop.jobs:7:1", "shop.jobs:7:2", "shop.jobs:7:3");
  }

  @Test
  void whileTheBrokerBlocksTheConnectionTheSinkIsUnhealthyAndAnswersUnknownAtOnce()
      throws Exception {
    Sink sink =
        started(
            new RabbitMqSink(
                options(viaProxy(), exchange).withPublishTimeout(Duration.ofSeconds(30))));
    String destination = destination();
    await().atMost(VERDICT_BOUND).until(sink::healthy);

    proxy.sendToClients(AmqpProxy.connectionBlocked("low on memory"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !sink.healthy());
    CompletableFuture<List<Verdict>> whileBlocked =
        sink.publish(batch(destination, 0, 3)).toCompletableFuture();

    assertThat(whileBlocked).isCompleted();
    assertThat(whileBlocked.join())
        .containsOnly(Verdict.unknown("the broker blocked publishing: low on memory"));

    proxy.sendToClients(AmqpProxy.connectionUnblocked());
    await().atMost(Duration.ofSeconds(10)).until(sink::healthy);
    assertThat(verdicts(sink, batch(destination, 0, 3))).allMatch(Verdict::confirmed);
  }

  /**
   * The broker closes the sink's connection (as an operator or a node going down for maintenance
   * would) while batches stream in: every message ends up confirmed and in the queue — those
   * answered Unknown are sent again, as the pump does — and publishing goes on over a new
   * connection, whose channel numbers its publishes from 1 again.
   */
  @Test
  void aConnectionTheBrokerClosesMidStreamLosesNoMessageAndPublishingGoesOn() throws Exception {
    assumeTrue(
        rabbitmqctlAvailable(), "rabbitmqctl (run as a user who may use it) is needed to close");
    Sink sink =
        started(new RabbitMqSink(options(SHARED_URI, exchange).withMaxMessageBytes(1 << 20)));
    String destination = destination();
    String connectionName = "q4m-bridge " + sink.name();
    String firstPid = connectionPid(connectionName);
    int batchSize = 20;
    int maxBatches = 5_000; // a bound only; the stream stops 10 batches after the close
    AtomicInteger confirmedBatches = new AtomicInteger();
    AtomicInteger confirmedAtClose = new AtomicInteger(-1);
    AtomicInteger unknownVerdicts = new AtomicInteger();

    CompletableFuture<Void> stream =
        CompletableFuture.runAsync(
            () -> {
              for (int b = 0; b < maxBatches; b++) {
                int closedAt = confirmedAtClose.get();
                if (closedAt >= 0 && confirmedBatches.get() >= closedAt + 10) {
                  return;
                }
                List<OutboundMessage> open = batch(destination, b * batchSize, batchSize);
                while (!open.isEmpty()) {
                  List<Verdict> verdicts;
                  try {
                    verdicts = verdicts(sink, open);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  List<OutboundMessage> again = new ArrayList<>();
                  for (int i = 0; i < open.size(); i++) {
                    Verdict v = verdicts.get(i);
                    if (v instanceof Verdict.Unknown) {
                      again.add(open.get(i));
                    } else if (!v.confirmed()) {
                      throw new IllegalStateException("unexpected verdict " + v);
                    }
                  }
                  unknownVerdicts.addAndGet(again.size());
                  open = again;
                  if (!open.isEmpty()) {
                    await().atMost(VERDICT_BOUND).until(sink::healthy);
                  }
                }
                confirmedBatches.incrementAndGet();
              }
            });

    await().atMost(VERDICT_BOUND).until(() -> confirmedBatches.get() >= 5);
    rabbitmqctl("close_connection", firstPid, "RabbitMqSinkIT closes this connection");
    confirmedAtClose.set(confirmedBatches.get());
    stream.get(2 * VERDICT_BOUND.toSeconds(), TimeUnit.SECONDS);

    assertThat(unknownVerdicts.get()).as("messages caught by the close").isPositive();
    assertThat(connectionPid(connectionName)).as("a new connection").isNotEqualTo(firstPid);
    int sent = confirmedBatches.get() * batchSize;
    Set<String> arrived = new HashSet<>();
    for (Received r : readBack(destination)) {
      arrived.add(r.key());
    }
    assertThat(arrived)
        .containsExactlyInAnyOrderElementsOf(
            batch(destination, 0, sent).stream().map(OutboundMessage::key).toList());
  }

  // --- helpers ---

  private Channel adminChannel() throws IOException {
    if (adminChannel == null || !adminChannel.isOpen()) {
      adminChannel = admin.createChannel();
    }
    return adminChannel;
  }

  private List<GetResponse> drain(String queue) {
    List<GetResponse> out = new ArrayList<>();
    try {
      GetResponse r;
      while ((r = adminChannel().basicGet(queue, true)) != null) {
        out.add(r);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read queue " + queue, e);
    }
    return out;
  }

  private String viaProxy() {
    return sharedUriAt(sharedUserInfo(), "127.0.0.1", proxy.port());
  }

  /** The shared broker's URI (scheme, vhost) with other credentials, host and port. */
  private static String sharedUriAt(String userInfo, String host, int port) {
    return SHARED.getScheme() + "://" + userInfo + "@" + host + ":" + port + SHARED.getRawPath();
  }

  /** The shared URI's credentials; amqp-client's default guest:guest when it names none. */
  private static String sharedUserInfo() {
    return SHARED.getRawUserInfo() == null ? "guest:guest" : SHARED.getRawUserInfo();
  }

  private static int sharedPort() {
    return SHARED.getPort() < 0 ? 5672 : SHARED.getPort();
  }

  private static String suffix() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  /** The Erlang pid of the broker's side of the connection with this client-provided name. */
  private static String connectionPid(String connectionName) throws Exception {
    String wanted = "{\"connection_name\",\"" + connectionName + "\"}";
    for (String line :
        rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid", "client_properties")
            .split("\n")) {
      if (line.contains(wanted)) {
        return line.substring(0, line.indexOf('\t'));
      }
    }
    throw new AssertionError("no connection named " + connectionName);
  }

  private static boolean rabbitmqctlAvailable() {
    try {
      rabbitmqctl("list_connections", "-q", "--no-table-headers", "pid");
      return true;
    } catch (Exception | AssertionError e) {
      return false;
    }
  }

  private static String rabbitmqctl(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("rabbitmqctl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
