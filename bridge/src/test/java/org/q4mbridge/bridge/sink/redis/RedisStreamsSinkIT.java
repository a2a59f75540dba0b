package org.q4mbridge.bridge.sink.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.SinkContract;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.bridge.sink.Verdict;

/**
 * The sink contract and the Redis-specific behaviour, against the real Redis the integration tests
 * share (127.0.0.1:6379; {@code Q4M_TEST_REDIS_URI} overrides) and, for outages, ACLs and memory
 * limits, against a {@link ThrowawayRedis} of this class's own.
 */
class RedisStreamsSinkIT extends SinkContract {
  private static final String SHARED_URI =
      System.getenv().getOrDefault("Q4M_TEST_REDIS_URI", "redis://127.0.0.1:6379");
  private static final Duration DEDUP_TTL = Duration.ofMinutes(10);

  private RedisClient adminClient;
  private StatefulRedisConnection<String, String> adminConnection;
  private RedisCommands<String, String> redis;
  private ThrowawayRedis throwaway;

  @BeforeAll
  void connect() {
    adminClient = RedisClient.create(RedisURI.create(SHARED_URI));
    adminConnection = adminClient.connect();
    redis = adminConnection.sync();
    throwaway = ThrowawayRedis.launch();
  }

  @AfterAll
  void disconnect() {
    if (throwaway != null) {
      throwaway.close();
    }
    if (adminClient != null) {
      adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static RedisSinkOptions options(boolean dedup, Long maxLen, long maxMessageBytes) {
    return new RedisSinkOptions(
        "redis-it", SHARED_URI, maxLen, dedup, DEDUP_TTL, Duration.ofSeconds(5), maxMessageBytes);
  }

  @Override
  protected Sink newSink(long maxMessageBytes) {
    return new RedisStreamsSink(options(true, null, maxMessageBytes));
  }

  @Override
  protected String newDestination() {
    return "it:redis-sink:" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  @Override
  protected List<Received> readBack(String destination) {
    return StreamEntries.read(redis, destination);
  }

  @Override
  protected void deleteDestination(String destination) {
    redis.del(destination);
    List<String> markers = new ArrayList<>();
    ScanIterator.scan(
            redis, ScanArgs.Builder.matches(DedupScript.dedupKey(destination, "*")).limit(500))
        .forEachRemaining(markers::add);
    if (!markers.isEmpty()) {
      redis.del(markers.toArray(String[]::new));
    }
  }

  @Override
  protected boolean deduplicatesRedelivery() {
    return true;
  }

  @Override
  protected Optional<ExpendableBroker> expendableBroker() {
    return Optional.of(throwaway);
  }

  private RedisStreamsSink startedRedisSink(RedisSinkOptions options) throws SinkException {
    return (RedisStreamsSink) started(new RedisStreamsSink(options));
  }

  private static OutboundMessage withFields(String stream, Map<String, String> fields) {
    return new OutboundMessage("shop.jobs:7:1", stream, "{\"body\":true}", fields, null, null, 0);
  }

  @ParameterizedTest(name = "dedup={0}")
  @ValueSource(booleans = {true, false})
  void anEntryHoldsTheMessageFieldsInTheirOrderFollowedByTheKey(boolean dedup) throws Exception {
    Sink sink = startedRedisSink(options(dedup, null, 1 << 20));
    String stream = destination();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("type", "mail");
    fields.put("payload", "{\"to\":\"ann\"}");
    fields.put("attempt", "1");

    assertThat(verdicts(sink, List.of(withFields(stream, fields)))).allMatch(Verdict::confirmed);

    List<StreamMessage<String, String>> entries = StreamEntries.raw(redis, stream);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).getBody())
        .containsExactly(
            Map.entry("type", "mail"),
            Map.entry("payload", "{\"to\":\"ann\"}"),
            Map.entry("attempt", "1"),
            Map.entry("key", "shop.jobs:7:1"));
  }

  @Test
  void aMessageWithoutFieldsBecomesAnEntryWithItsBodyAndKey() throws Exception {
    Sink sink = startedSink(1 << 20);
    String stream = destination();

    assertThat(verdicts(sink, List.of(withFields(stream, Map.of())))).allMatch(Verdict::confirmed);

    assertThat(StreamEntries.raw(redis, stream).get(0).getBody())
        .containsExactly(Map.entry("body", "{\"body\":true}"), Map.entry("key", "shop.jobs:7:1"));
  }

  @Test
  void aMessageWhoseOwnFieldsClaimTheKeyFieldIsRejectedForGood() throws Exception {
    Sink sink = startedSink(1 << 20);
    String stream = destination();

    List<Verdict> verdicts =
        verdicts(sink, List.of(withFields(stream, Map.of("key", "something else"))));

    assertThat(verdicts.get(0))
        .isEqualTo(
            Verdict.rejected(
                "field 'key' is reserved for the message key; rename it in the mapping", false));
    assertThat(redis.exists(stream)).isZero();
  }

  @ParameterizedTest(name = "dedup={0}")
  @ValueSource(booleans = {true, false})
  void aDestinationHoldingAHashIsRejectedForGoodAndLeavesNoDedupMarkerBehind(boolean dedup)
      throws Exception {
    Sink sink = startedRedisSink(options(dedup, null, 1 << 20));
    String stream = destination();
    redis.hset(stream, "not", "a stream");
    List<OutboundMessage> batch = batch(stream, 0, 3);

    List<Verdict> verdicts = verdicts(sink, batch);

    assertThat(verdicts)
        .allSatisfy(
            v -> {
              assertThat(v).isInstanceOf(Verdict.Rejected.class);
              assertThat(((Verdict.Rejected) v).retriable()).isFalse();
              assertThat(((Verdict.Rejected) v).reason())
                  .startsWith("XADD to '" + stream + "' failed: WRONGTYPE");
            });
    // Once an operator fixed the key, the same messages go through: no marker claims them.
    redis.del(stream);
    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(readBack(stream)).hasSize(3);
  }

  @ParameterizedTest(name = "dedup={0}")
  @ValueSource(booleans = {true, false})
  void maxLenTrimsTheStreamToAboutThatManyEntries(boolean dedup) throws Exception {
    Sink sink = startedRedisSink(options(dedup, 50L, 1 << 20));
    String stream = destination();

    for (int from = 0; from < 1000; from += 250) {
      assertThat(verdicts(sink, batch(stream, from, 250))).allMatch(Verdict::confirmed);
    }

    // "~" lets Redis trim whole radix-tree nodes only (stream-node-max-entries, 100 by default).
    assertThat(redis.xlen(stream)).isBetween(50L, 250L);
    List<Received> kept = readBack(stream);
    assertThat(kept.get(kept.size() - 1).key()).isEqualTo("shop.jobs:7:999");
  }

  @Test
  void withoutDedupARedeliveryAddsASecondEntry() throws Exception {
    Sink sink = startedRedisSink(options(false, null, 1 << 20));
    String stream = destination();
    List<OutboundMessage> batch = batch(stream, 0, 3);

    verdicts(sink, batch);
    verdicts(sink, batch);

    assertThat(readBack(stream)).hasSize(6);
  }

  @Test
  void theDedupMarkerHoldsTheEntryIdForTheTtl() throws Exception {
    Sink sink = startedSink(1 << 20);
    String stream = destination();
    OutboundMessage message = batch(stream, 0, 1).get(0);

    verdicts(sink, List.of(message));

    String marker = DedupScript.dedupKey(stream, message.key());
    assertThat(redis.get(marker)).isEqualTo(StreamEntries.raw(redis, stream).get(0).getId());
    assertThat(redis.pttl(marker)).isPositive().isLessThanOrEqualTo(DEDUP_TTL.toMillis());
  }

  @Test
  void aLongBatchToTwoStreamsKeepsEachStreamsOrderAndEachKeyOnce() throws Exception {
    Sink sink = startedSink(1 << 20);
    String first = destination();
    String second = destination();
    int perStream = DedupScript.MAX_MESSAGES + 25; // more than one script call per stream
    List<OutboundMessage> batch = new ArrayList<>();
    for (int n = 0; n < perStream; n++) {
      batch.add(message(first, n, "job " + n));
      batch.add(message(second, n, "job " + n));
    }
    batch.add(message(first, 7, "job 7")); // the same key twice in one batch

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    assertThat(verdicts(sink, batch)).as("the batch sent again").allMatch(Verdict::confirmed);

    List<String> keys = IntStream.range(0, perStream).mapToObj(n -> "shop.jobs:7:" + n).toList();
    assertThat(readBack(first)).extracting(Received::key).containsExactlyElementsOf(keys);
    assertThat(readBack(second)).extracting(Received::key).containsExactlyElementsOf(keys);
  }

  @Test
  void dedupStillHoldsAfterRedisLostTheScript() throws Exception {
    Sink sink = started(throwaway.newSink(Duration.ofSeconds(5)));
    String stream = throwaway.newDestination();
    List<OutboundMessage> batch = batch(stream, 0, 20);
    assertThat(verdicts(sink, batch.subList(0, 10))).allMatch(Verdict::confirmed);

    throwaway.admin(redis -> redis.scriptFlush());

    assertThat(verdicts(sink, batch)).allMatch(Verdict::confirmed);
    List<Boolean> cached = throwaway.admin(redis -> redis.scriptExists(DedupScript.SHA));
    assertThat(cached).as("EVAL cached the script again").containsExactly(true);
    assertThat(throwaway.readBack(stream))
        .extracting(Received::key)
        .containsExactlyInAnyOrderElementsOf(batch.stream().map(OutboundMessage::key).toList());
  }

  @Test
  void atItsMemoryLimitRedisMakesTheSinkUnhealthyUntilTheLimitIsLifted() throws Exception {
    Sink sink = started(throwaway.newSink(Duration.ofSeconds(5)));
    await().atMost(VERDICT_BOUND).until(sink::healthy);
    String filler = throwaway.newDestination();
    try {
      // used_memory moves by tens of KB as connections come and go, about 5% of an empty server's:
      // 8 MB of data first makes that noise small next to the 95% threshold and the limit.
      throwaway.admin(
          redis -> {
            for (int i = 0; i < 80; i++) {
              redis.set(filler + ":" + i, "x".repeat(100_000));
            }
            return null;
          });
      setMaxMemory(used -> used * 1000 / 975);
      await().atMost(Duration.ofSeconds(10)).until(() -> !sink.healthy());
    } finally {
      setMaxMemory(used -> 0L);
      throwaway.admin(redis -> redis.del(redis.keys(filler + ":*").toArray(String[]::new)));
    }
    await().atMost(Duration.ofSeconds(10)).until(sink::healthy);
  }

  @Test
  void aWriteRedisRefusesForLackOfMemoryIsRetriable() throws Exception {
    Sink sink = started(throwaway.newSink(Duration.ofSeconds(5)));
    String stream = throwaway.newDestination();
    List<Verdict> verdicts;
    try {
      setMaxMemory(used -> used / 2);
      verdicts = verdicts(sink, batch(stream, 0, 2));
    } finally {
      setMaxMemory(used -> 0L);
    }

    assertThat(verdicts)
        .allSatisfy(
            v -> {
              assertThat(v).isInstanceOf(Verdict.Rejected.class);
              assertThat(((Verdict.Rejected) v).retriable()).isTrue();
              assertThat(((Verdict.Rejected) v).reason()).contains("OOM");
            });
    assertThat(verdicts(sink, batch(stream, 0, 2))).allMatch(Verdict::confirmed);
  }

  /** Sets the throwaway server's maxmemory from its current used_memory (0 = no limit). */
  private void setMaxMemory(java.util.function.LongUnaryOperator fromUsed) {
    throwaway.admin(
        redis ->
            redis.configSet(
                "maxmemory",
                Long.toString(fromUsed.applyAsLong(usedMemory(redis.info("memory"))))));
  }

  private static long usedMemory(String info) {
    return info.lines()
        .filter(line -> line.startsWith("used_memory:"))
        .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void anAclUserPublishesAndAWrongPasswordIsReportedWithoutRevealingIt() throws Exception {
    throwaway.admin(
        redis ->
            redis.aclSetuser(
                "bridge",
                io.lettuce.core.AclSetuserArgs.Builder.on()
                    .addPassword("s3cret-pw")
                    .allKeys()
                    .allCommands()));
    try {
      String good = "redis://bridge:s3cret-pw@127.0.0.1:" + throwaway.port();
      Sink sink = startedRedisSink(throwaway.options(good, Duration.ofSeconds(5)));
      String stream = throwaway.newDestination();
      assertThat(verdicts(sink, batch(stream, 0, 2))).allMatch(Verdict::confirmed);

      String bad = "redis://bridge:wr0ng-pw@127.0.0.1:" + throwaway.port();
      RedisStreamsSink refused =
          new RedisStreamsSink(throwaway.options(bad, Duration.ofSeconds(5)));
      assertThatThrownBy(refused::start)
          .isInstanceOf(SinkException.class)
          .hasMessageStartingWith(
              "redis-throwaway: cannot connect to redis://bridge:***@127.0.0.1:"
                  + throwaway.port()
                  + ": WRONGPASS")
          .hasMessageNotContaining("wr0ng-pw");
      refused.close();
    } finally {
      throwaway.admin(redis -> redis.aclDeluser("bridge"));
    }
  }

  @Test
  void startReportsAnUnreachableServerInOneLineWithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String uri = "redis://bridge:s3cret-pw@127.0.0.1:" + closedPort;
    RedisStreamsSink sink =
        new RedisStreamsSink(
            new RedisSinkOptions(
                "redis-main", uri, null, true, DEDUP_TTL, Duration.ofSeconds(2), 1 << 20));

    assertThatThrownBy(sink::start)
        .isInstanceOf(SinkException.class)
        .hasMessage(
            "redis-main: cannot connect to redis://bridge:***@127.0.0.1:"
                + closedPort
                + ": Connection refused");
    assertThat(sink.healthy()).isFalse();
    sink.close();
  }

  @Test
  void probeNamesEachDestinationThatIsNotAStream() throws Exception {
    Sink sink = startedSink(1 << 20);
    String absent = destination();
    String stream = destination();
    String hash = destination();
    String list = destination();
    redis.xadd(stream, Map.of("a", "b"));
    redis.hset(hash, "a", "b");
    redis.rpush(list, "a");

    sink.probe(List.of(absent, stream));
    assertThatThrownBy(() -> sink.probe(List.of(absent, hash, stream, list)))
        .isInstanceOf(SinkException.class)
        .hasMessage(
            "redis-it: key '"
                + hash
                + "' is a hash, expected a stream; key '"
                + list
                + "' is a list, expected a stream");
  }

  @Test
  void probeReportsAServerThatWentAwayWithTheRealCause() throws Exception {
    Sink sink = started(throwaway.newSink(Duration.ofSeconds(2)));
    throwaway.stop();
    try {
      assertThatThrownBy(() -> sink.probe(List.of("jobs")))
          .isInstanceOf(SinkException.class)
          .hasMessage(
              "redis-throwaway: cannot connect to redis://127.0.0.1:"
                  + throwaway.port()
                  + ": Connection refused");
    } finally {
      throwaway.start();
    }
  }

  @Test
  void aConsumerGroupIsCreatedOnceAndCreatingItAgainIsFine() throws Exception {
    String stream = destination();
    try (ConsumerGroups groups = ConsumerGroups.connect(options(true, null, 1 << 20))) {
      assertThat(groups.create(stream, "workers", ConsumerGroups.StartAt.NEW_ENTRIES)).isTrue();
      assertThat(groups.create(stream, "workers", ConsumerGroups.StartAt.FIRST_ENTRY)).isFalse();
    }
    assertThat(redis.type(stream)).isEqualTo("stream");
    assertThat(redis.xinfoGroups(stream)).hasSize(1);
  }

  @Test
  @SuppressWarnings("unchecked") // xreadgroup's generic varargs of StreamOffset
  void aConsumerGroupStartingAtTheFirstEntryReadsWhatWasPublishedBefore() throws Exception {
    Sink sink = startedSink(1 << 20);
    String stream = destination();
    verdicts(sink, batch(stream, 0, 3));
    try (ConsumerGroups groups = ConsumerGroups.connect(options(true, null, 1 << 20))) {
      groups.create(stream, "early", ConsumerGroups.StartAt.FIRST_ENTRY);
      groups.create(stream, "late", ConsumerGroups.StartAt.NEW_ENTRIES);
    }

    assertThat(
            redis.xreadgroup(
                io.lettuce.core.Consumer.from("early", "w1"),
                io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(stream)))
        .hasSize(3);
    assertThat(
            redis.xreadgroup(
                io.lettuce.core.Consumer.from("late", "w1"),
                io.lettuce.core.XReadArgs.StreamOffset.lastConsumed(stream)))
        .isEmpty();
  }

  @Test
  void aConsumerGroupOnAKeyThatIsNotAStreamIsExplained() throws Exception {
    String hash = destination();
    redis.hset(hash, "a", "b");
    try (ConsumerGroups groups = ConsumerGroups.connect(options(true, null, 1 << 20))) {
      assertThatThrownBy(() -> groups.create(hash, "workers", ConsumerGroups.StartAt.NEW_ENTRIES))
          .isInstanceOf(SinkException.class)
          .hasMessage("redis-it: key '" + hash + "' is a hash, expected a stream");
    }
  }
}
