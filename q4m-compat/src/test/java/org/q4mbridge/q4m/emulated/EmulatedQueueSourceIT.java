package org.q4mbridge.q4m.emulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.RowCodec;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.testing.TestDatabase;

class EmulatedQueueSourceIT {
  private static TestDatabase db;
  private EpochTracker.Store epochs;
  private TableRef jobs;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = TestDatabase.create("emulated");
    db.applyBridgeSchema();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @BeforeEach
  void freshQueue() throws Exception {
    db.exec(
        "DROP TABLE IF EXISTS jobs",
        "CREATE TABLE jobs (v INT NOT NULL, s VARCHAR(64) NULL,"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY) ENGINE=InnoDB",
        "DELETE FROM q4m_dead_letter");
    jobs = new TableRef(db.name(), "jobs");
    epochs = EpochTracker.Store.inMemory();
  }

  private EmulatedQueueSource open() throws QueueSourceException {
    return open(List.of(new Subscription(jobs, null)));
  }

  private EmulatedQueueSource open(List<Subscription> subs) throws QueueSourceException {
    return EmulatedQueueSource.open(
        new EmulatedQueueSource.Options(
            db.connections(),
            subs,
            null,
            new DeadLetterTable(new TableRef(db.name(), "q4m_dead_letter")),
            EpochTracker.registry(epochs),
            Duration.ofMillis(1),
            Duration.ofMillis(20),
            ConditionSql.INSTANCE));
  }

  private void insert(int from, int toExclusive) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO jobs VALUES (?, ?)")) {
      for (int v = from; v < toExclusive; v++) {
        ps.setInt(1, v);
        ps.setString(2, "job-" + v);
        ps.addBatch();
        if ((v - from) % 1000 == 999) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  private List<Integer> remaining() throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM jobs ORDER BY q4m_rowid")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  private static List<Integer> values(Claim claim) {
    return claim.rows().stream().map(r -> ((Number) r.value("v")).intValue()).toList();
  }

  private static List<Long> ids(Claim claim) {
    return claim.rows().stream().map(QueueRow::rowId).toList();
  }

  @Test
  void claimsRowsInInsertOrderAndAckRemovesOnlyTheAckedOnes() throws Exception {
    insert(0, 10);
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(4, Duration.ofSeconds(1));
      assertThat(values(claim)).containsExactly(0, 1, 2, 3);
      assertThat(claim.rows().get(0).columns()).extracting(c -> c.name()).containsExactly("v", "s");
      claim.settle(List.of(ids(claim).get(0), ids(claim).get(2)), List.of());
    }
    assertThat(remaining()).containsExactly(1, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void releasedRowsComeBackFirstWithTheSameMessageKey() throws Exception {
    insert(0, 5);
    try (EmulatedQueueSource source = open()) {
      Claim first = source.poll(2, Duration.ofSeconds(1));
      List<String> keys = first.rows().stream().map(QueueRow::messageKey).toList();
      first.releaseAll();
      insert(5, 6);
      Claim again = source.poll(2, Duration.ofSeconds(1));
      assertThat(again.rows().stream().map(QueueRow::messageKey).toList()).isEqualTo(keys);
      assertThat(keys.get(0)).isEqualTo(db.name() + ".jobs:0:1");
      again.close();
    }
    assertThat(remaining()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void otherConsumersSkipClaimedRowsInsteadOfWaitingForThem() throws Exception {
    insert(0, 6);
    try (EmulatedQueueSource a = open();
        EmulatedQueueSource b = open()) {
      Claim ca = a.poll(3, Duration.ofSeconds(1));
      Claim cb = b.poll(10, Duration.ofSeconds(1));
      assertThat(values(ca)).containsExactly(0, 1, 2);
      assertThat(values(cb)).containsExactly(3, 4, 5);
      ca.close();
      cb.close();
    }
  }

  @Test
  void deadLetteredRowsMoveToTheDeadLetterTableWithTheirReasonAndColumns() throws Exception {
    insert(0, 3);
    long firstSeen = System.currentTimeMillis() - 60_000;
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(3, Duration.ofSeconds(1));
      long bad = ids(claim).get(1);
      claim.settle(
          List.of(ids(claim).get(0)),
          List.of(new DeadLetter(bad, "payload is not JSON", 3, firstSeen)));
    }
    assertThat(remaining()).containsExactly(2);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT queue_name, row_id, message_key, columns_json, reason, attempts,"
                    + " first_seen < last_seen FROM q4m_dead_letter")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(db.name() + ".jobs");
      assertThat(rs.getLong(2)).isEqualTo(2);
      assertThat(rs.getString(3)).isEqualTo(db.name() + ".jobs:0:2");
      List<RowCodec.Column> cols = RowCodec.decode(rs.getString(4));
      assertThat(cols).extracting(RowCodec.Column::name).containsExactly("v", "s");
      assertThat(cols.get(1).value()).isEqualTo("job-1");
      assertThat(rs.getString(5)).isEqualTo("payload is not JSON");
      assertThat(rs.getInt(6)).isEqualTo(3);
      assertThat(rs.getBoolean(7)).isTrue();
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void thirtyTwoConsumersDeliverEachOfTwentyThousandRowsExactlyOnce() throws Exception {
    int total = 20_000;
    insert(0, total / 2);
    Map<Integer, Integer> seen = new ConcurrentHashMap<>();
    AtomicInteger acked = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(33);
    try {
      // Half the rows are inserted while the consumers run, by a producer of its own.
      Future<?> producer =
          pool.submit(
              () -> {
                insert(total / 2, total);
                return null;
              });
      List<Future<?>> consumers = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        consumers.add(
            pool.submit(
                () -> {
                  try (EmulatedQueueSource source = open()) {
                    while (acked.get() < total) {
                      Claim claim = source.poll(50, Duration.ofMillis(200));
                      for (QueueRow r : claim.rows()) {
                        seen.merge(((Number) r.value("v")).intValue(), 1, Integer::sum);
                      }
                      claim.settle(ids(claim), List.of());
                      acked.addAndGet(claim.rows().size());
                    }
                  }
                  return null;
                }));
      }
      producer.get(2, TimeUnit.MINUTES);
      for (Future<?> f : consumers) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).hasSize(total);
    assertThat(seen.values().stream().filter(n -> n != 1).count())
        .as("rows delivered more than once")
        .isZero();
    assertThat(remaining()).isEmpty();
  }

  @Test
  void rowsOfAConsumerKilledWithSigkillAreRedeliveredToAnotherConsumer() throws Exception {
    insert(0, 20);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                ClaimAndHang.class.getName(),
                db.url(),
                TestDatabase.USER,
                TestDatabase.PASSWORD,
                db.name(),
                "jobs",
                "5")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("CLAIMED "));
      assertThat(line).as("child output").isNotNull();
      Set<Long> held =
          Arrays.stream(line.substring(8).split(","))
              .map(Long::valueOf)
              .collect(Collectors.toSet());
      assertThat(held).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);

      try (EmulatedQueueSource other = open()) {
        Claim whileAlive = other.poll(100, Duration.ofSeconds(1));
        assertThat(ids(whileAlive)).doesNotContainAnyElementsOf(held).hasSize(15);
        whileAlive.releaseAll();

        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // The server notices the dead session and rolls its transaction back.
        Set<Long> redelivered = new HashSet<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  Claim c = other.poll(100, Duration.ofMillis(100));
                  redelivered.clear();
                  redelivered.addAll(ids(c));
                  c.releaseAll();
                  return redelivered.containsAll(held);
                });
        assertThat(redelivered).hasSize(20);
      }
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void unknownTableIsReportedWithTableAndDatabase() {
    jobs = new TableRef(db.name(), "no_such_queue");
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            QueueSourceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_TABLE))
        .hasMessageContaining("'no_such_queue'")
        .hasMessageContaining("database '" + db.name() + "'");
  }

  @Test
  void tableWithoutRowIdColumnIsRejectedWithWhatIsExpected() throws Exception {
    db.exec("CREATE TABLE plain (v INT NOT NULL) ENGINE=InnoDB");
    jobs = new TableRef(db.name(), "plain");
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            QueueSourceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("has no row id column")
        .hasMessageContaining("q4m_rowid");
  }

  @Test
  void existingAutoIncrementPrimaryKeyServesAsRowId() throws Exception {
    db.exec(
        "CREATE TABLE legacy (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB",
        "INSERT INTO legacy (v) VALUES (7), (8)");
    jobs = new TableRef(db.name(), "legacy");
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(5, Duration.ofSeconds(1));
      assertThat(ids(claim)).containsExactly(1L, 2L);
      assertThat(claim.rows().get(0).columns())
          .extracting(c -> c.name())
          .containsExactly("id", "v");
      claim.close();
    }
  }

  @Test
  void rowIdsRestartingAfterTruncateStartANewEpochSoKeysNeverRepeat() throws Exception {
    insert(0, 3);
    Set<String> keys = new HashSet<>();
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(10, Duration.ofSeconds(1));
      claim.rows().forEach(r -> keys.add(r.messageKey()));
      claim.settle(ids(claim), List.of());
      db.exec("TRUNCATE TABLE jobs");
      insert(10, 13);
      Claim after = source.poll(10, Duration.ofSeconds(1));
      assertThat(ids(after)).containsExactly(1L, 2L, 3L);
      assertThat(after.rows()).allSatisfy(r -> assertThat(r.epoch()).isEqualTo(1));
      after.rows().forEach(r -> assertThat(keys.add(r.messageKey())).isTrue());
      after.close();
    }
    // A bridge started later sees the reset through AUTO_INCREMENT and the stored state.
    db.exec("TRUNCATE TABLE jobs");
    insert(20, 21);
    try (EmulatedQueueSource restarted = open()) {
      // the store lives in `epochs`; a fresh registry reads it like a restarted process would
      Claim c = restarted.poll(1, Duration.ofSeconds(1));
      assertThat(c.rows().get(0).epoch()).isGreaterThanOrEqualTo(1);
      c.close();
    }
  }

  @Test
  void lostConnectionFailsTheSettleAndTheRowsAreNotAcknowledged() throws Exception {
    insert(0, 3);
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(3, Duration.ofSeconds(1));
      try (Connection admin = db.connect();
          Statement st = admin.createStatement()) {
        // Find the consumer's session by its locks and kill it, as a network cut would.
        try (ResultSet rs =
            st.executeQuery(
                "SELECT trx_mysql_thread_id FROM information_schema.INNODB_TRX"
                    + " WHERE trx_rows_locked > 0")) {
          assertThat(rs.next()).isTrue();
          long id = rs.getLong(1);
          st.execute("KILL " + id);
        }
      }
      assertThatThrownBy(() -> claim.settle(ids(claim), List.of()))
          .hasMessageContaining("connection lost")
          .isInstanceOfSatisfying(
              QueueSourceException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION_LOST));
      // The source reconnects on the next poll and the rows are still there.
      Claim again = source.poll(3, Duration.ofSeconds(5));
      assertThat(values(again)).containsExactly(0, 1, 2);
      again.close();
    }
    assertThat(remaining()).containsExactly(0, 1, 2);
  }

  @Test
  void wakeupEndsAWaitingPollEarly() throws Exception {
    try (EmulatedQueueSource source = open()) {
      ExecutorService ex = Executors.newSingleThreadExecutor();
      try {
        Future<Claim> polling = ex.submit(() -> source.poll(10, Duration.ofMinutes(5)));
        source.wakeup();
        Claim claim = polling.get(10, TimeUnit.SECONDS);
        assertThat(claim.isEmpty()).isTrue();
      } finally {
        ex.shutdownNow();
      }
    }
  }

  @Test
  void replayPutsDeadLettersBackOnceEvenWhenRunTwice() throws Exception {
    insert(0, 3);
    try (EmulatedQueueSource source = open()) {
      Claim claim = source.poll(3, Duration.ofSeconds(1));
      claim.settle(
          List.of(ids(claim).get(0), ids(claim).get(2)),
          List.of(new DeadLetter(ids(claim).get(1), "oversize", 1, 0)));
    }
    assertThat(remaining()).isEmpty();
    DeadLetterTable dl = new DeadLetterTable(new TableRef(db.name(), "q4m_dead_letter"));
    try (Connection c = db.connect()) {
      assertThat(dl.list(c, db.name() + ".jobs", false, 10))
          .singleElement()
          .satisfies(d -> assertThat(d.reason()).isEqualTo("oversize"));
      DeadLetterTable.ReplayResult first = dl.replay(c, db.name() + ".jobs", List.of());
      assertThat(first.replayed()).isEqualTo(1);
      assertThat(first.failures()).isEmpty();
      DeadLetterTable.ReplayResult second = dl.replay(c, db.name() + ".jobs", List.of());
      assertThat(second.replayed()).isZero();
      assertThat(second.alreadyReplayed()).isEqualTo(1);
      assertThat(dl.list(c, null, false, 10)).isEmpty();
    }
    assertThat(remaining()).containsExactly(1);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT s FROM jobs")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("job-1");
    }
  }

  @Test
  void conditionsInPriorityOrderTakeTheFirstSubscriptionThatHasARow() throws Exception {
    insert(0, 6); // v = 0..5
    try (EmulatedQueueSource source =
        open(
            List.of(
                new Subscription(jobs, "v % 2 = 1 AND v > 2"), new Subscription(jobs, "v < 02")))) {
      Claim first = source.poll(10, Duration.ofSeconds(1));
      assertThat(values(first)).containsExactly(3, 5);
      first.settle(ids(first), List.of());
      Claim second = source.poll(10, Duration.ofSeconds(1));
      assertThat(values(second)).as("octal 02 = 2").containsExactly(0, 1);
      second.settle(ids(second), List.of());
      assertThat(source.poll(10, Duration.ofMillis(50)).isEmpty()).isTrue();
    }
    assertThat(remaining()).containsExactly(2, 4);
  }

  @Test
  void anInvalidConditionIsRejectedWithItsPositionAndWhatWasExpected() {
    assertThatThrownBy(() -> open(List.of(new Subscription(jobs, "v <> 1"))))
        .isInstanceOfSatisfying(
            QueueSourceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
        .hasMessageContaining("at position 2")
        .hasMessageContaining("expected");
    assertThatThrownBy(() -> open(List.of(new Subscription(jobs, "s = 1"))))
        .hasMessageContaining("can only use integer columns");
  }
}
