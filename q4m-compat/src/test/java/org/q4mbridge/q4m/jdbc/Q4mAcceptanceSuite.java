package org.q4mbridge.q4m.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The acceptance behaviours of Q4M-SEMANTICS.md §6 — items 1 to 52 and the six derived items — as
 * one contract suite, run against the InnoDB emulation through the {@code jdbc:q4m:} shim ({@link
 * Q4mAcceptanceIT}) and against a real Q4M server ({@link RealQ4mAcceptanceIT}); public so the
 * endpoint's {@code org.q4mbridge.q4m.server.EndpointAcceptanceIT} runs it over the wire too. Row
 * counts are scaled down for CI. Each test's name starts with its item number.
 *
 * <p>Items 46, 47, 49 and 50 (TRUNCATE, DROP, ALTER while a row is owned) cannot hold on InnoDB —
 * DDL waits for the owner's metadata lock (§9.3) — so each has two tests: the Q4M behaviour ({@code
 * itemNN_…}, real Q4M only) and the emulation's documented behaviour ({@code itemNN_emulation_…},
 * emulation only). Item 48 (DROP while someone waits) holds on both.
 *
 * <p>Covered: 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28
 * 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52, D1 (NULL still
 * consumed), D2 (two-argument wait), D3 (abort outside owner mode), D4 (end outside owner mode), D5
 * (rowid after timeout), D6 (COUNT(*) counts owned rows).
 */
@ExtendWith(Q4mAcceptanceSuite.ItemCounter.class)
public abstract class Q4mAcceptanceSuite {
  /** All item ids of §6. */
  static final Set<String> ALL_ITEMS;

  static {
    Set<String> all = new TreeSet<>();
    IntStream.rangeClosed(1, 52).forEach(i -> all.add(String.format("%02d", i)));
    IntStream.rangeClosed(1, 6).forEach(i -> all.add("D" + i));
    ALL_ITEMS = Collections.unmodifiableSet(all);
  }

  private static final Pattern ITEM = Pattern.compile("^item(\\d{2}|D\\d)_");

  private final List<Connection> opened = Collections.synchronizedList(new ArrayList<>());

  /** A new connection as a legacy worker or producer opens it. */
  protected abstract Connection connect() throws SQLException;

  /** The CREATE TABLE of a queue table {@code name} with these columns. */
  protected abstract String createQueue(String name, String columns);

  /** True for the InnoDB emulation, false for a real Q4M server. */
  protected abstract boolean emulated();

  /**
   * Forgets relay watermarks of tables this suite re-creates. Q4M keeps them in the table file, so
   * a re-created table starts without; the emulation keeps them in a side table (a documented
   * deviation), which this clears.
   */
  protected abstract void forgetRelayWatermarks(Connection c) throws SQLException;

  /** URL, user and password for a worker in another process. */
  protected abstract String[] childConnection();

  // ---------------------------------------------------------------------------------------------
  // Helpers

  Connection open() throws SQLException {
    Connection c = connect();
    opened.add(c);
    return c;
  }

  @AfterEach
  void closeConnections() {
    List<Connection> all;
    synchronized (opened) {
      all = new ArrayList<>(opened);
      opened.clear();
    }
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the test is over; the server cleans up the session
      }
    }
  }

  void queue(String name, String columns) throws SQLException {
    try (Connection c = connect()) {
      exec(c, "DROP TABLE IF EXISTS " + name, createQueue(name, columns));
    }
  }

  /** Creates {@code t} and {@code t2} as {@code (v INT NOT NULL)} queues. */
  void queues() throws SQLException {
    queue("t", "v INT NOT NULL");
    queue("t2", "v INT NOT NULL");
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  /** The first column of every row, as integers. */
  static List<Integer> ints(Connection c, String sql) throws SQLException {
    List<Integer> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  /** Every row as a list of column values (nulls kept). */
  static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          row.add(v instanceof Number num ? (Object) num.intValue() : v);
        }
        out.add(row);
      }
    }
    return out;
  }

  /** The single value of a one-row, one-column query; {@code null} for SQL NULL. */
  static Long value(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertThat(rs.next()).as("a row from " + sql).isTrue();
      long v = rs.getLong(1);
      return rs.wasNull() ? null : v;
    }
  }

  static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  static void insert(Connection c, String table, int... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?)")) {
      for (int v : values) {
        ps.setInt(1, v);
        ps.executeUpdate();
      }
    }
  }

  static Long queueWait(Connection c, String args) throws SQLException {
    return value(c, "SELECT queue_wait(" + args + ")");
  }

  /** Runs {@code call} in the background (a worker blocked in queue_wait). */
  static <T> CompletableFuture<T> background(Callable<T> call) {
    CompletableFuture<T> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(call.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            },
            "acceptance-background");
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** Shows that {@code f} is blocked: it stays unfinished for {@code millis}. */
  static void staysBlocked(CompletableFuture<?> f, long millis) {
    await()
        .during(Duration.ofMillis(millis))
        .atMost(Duration.ofMillis(millis + 5_000))
        .until(() -> !f.isDone());
  }

  /** Runs {@code workers} tasks at once and returns what each returned. */
  static <T> List<T> parallel(int workers, IntFunctionWithException<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        int n = i;
        futures.add(pool.submit(() -> task.apply(n)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(5, TimeUnit.MINUTES));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @FunctionalInterface
  interface IntFunctionWithException<T> {
    T apply(int i) throws Exception;
  }

  /** Asserts that {@code received} holds every value of {@code expected} exactly once. */
  static void exactlyOnce(List<Integer> received, Set<Integer> expected) {
    Set<Integer> seen = new HashSet<>();
    List<Integer> duplicates =
        received.stream().filter(v -> !seen.add(v)).sorted().collect(Collectors.toList());
    assertThat(duplicates).as("values delivered more than once").isEmpty();
    assertThat(seen).as("values delivered").isEqualTo(expected);
  }

  static Set<Integer> range(int fromInclusive, int toInclusive) {
    return IntStream.rangeClosed(fromInclusive, toInclusive).boxed().collect(Collectors.toSet());
  }

  /** A connection whose DDL gives up after one second of waiting for a metadata lock. */
  Connection impatient() throws SQLException {
    Connection c = open();
    exec(c, "SET SESSION lock_wait_timeout = 1");
    return c;
  }

  /** Asserts {@code sql} fails with "Lock wait timeout exceeded" (1205). */
  static void waitsForTheOwner(Connection c, String sql) {
    assertThatThrownBy(() -> exec(c, sql))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1205));
  }

  // ---------------------------------------------------------------------------------------------
  // 01-base, 01-base-rnd_pos

  @Test
  void item01_rowsInsertedOneByOneAreReadInInsertionOrder() throws SQLException {
    queues();
    Connection c = open();
    int[] values = IntStream.range(0, 1024).toArray();
    insert(c, "t", values);
    assertThat(ints(c, "SELECT v FROM t")).containsExactlyElementsOf(boxed(values));
  }

  @Test
  void item02_deletedRowsAreGoneAndTheRestKeepFifoOrder() throws SQLException {
    queues();
    Connection c = open();
    exec(
        c,
        "INSERT INTO t VALUES "
            + IntStream.range(0, 1024)
                .mapToObj(i -> "(" + i + ")")
                .collect(Collectors.joining(",")));
    List<Integer> expected = new ArrayList<>(boxed(IntStream.range(0, 1024).toArray()));
    for (int r : new int[] {0, 5, 511, 512, 1000, 1023}) {
      assertThat(c.createStatement().executeUpdate("DELETE FROM t WHERE v=" + r)).isEqualTo(1);
      expected.remove(Integer.valueOf(r));
      assertThat(ints(c, "SELECT v FROM t")).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void item03_deleteWithOrderByAndLimitRemovesExactlyTheChosenRow() throws SQLException {
    queue("t", "v INT NOT NULL, w INT NOT NULL");
    Connection c = open();
    exec(c, "INSERT INTO t VALUES (1,3),(2,2),(2,1),(3,0)");
    exec(c, "DELETE FROM t WHERE v=2 ORDER BY w LIMIT 1");
    assertThat(rows(c, "SELECT * FROM t")).containsExactly(row(1, 3), row(2, 2), row(3, 0));
  }

  // ---------------------------------------------------------------------------------------------
  // 02-queue, 02-queue-cond, 02-queue-owned-delete

  @Test
  void item04_waitOnAMissingTableIsNullNotAnError() throws SQLException {
    queues();
    Connection c = open();
    assertThat(queueWait(c, "'x', 1")).isNull();
  }

  @Test
  void item05_waitThenSelectReturnsTheRowAndTheNextWaitConsumesIt() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    for (int i = 1; i <= 5; i++) {
      insert(b, "t", i);
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(i);
      // Everything before i was consumed by the waits; i itself is owned, so hidden from b.
      assertThat(ints(b, "SELECT * FROM t")).isEmpty();
      assertThat(value(b, "SELECT COUNT(*) FROM t")).isEqualTo(1);
    }
  }

  @Test
  void item06_queueEndAfterTheLoopLeavesTheTableEmpty() throws SQLException {
    queues();
    Connection a = open();
    for (int i = 1; i <= 3; i++) {
      insert(a, "t", i);
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
    }
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(value(open(), "SELECT COUNT(*) FROM t")).isZero();
  }

  @Test
  void item07_aConditionNoRowMatchesTimesOutWithZeroAfterTheTimeout() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 1);
    long start = System.nanoTime();
    assertThat(queueWait(a, "'t:v!=1', 1")).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void item08_aMatchingConditionAssignsTheRow() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 1);
    assertThat(queueWait(a, "'t:v=1', 1")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(1);
  }

  @Test
  void item09_aBlockedConditionalWaiterGetsTheMatchingRowWhenItArrives() throws Exception {
    queues();
    Connection a = open();
    Connection b = open();
    CompletableFuture<Long> waiting = background(() -> queueWait(a, "'t:v=3'"));
    staysBlocked(waiting, 1_000);
    insert(b, "t", 3);
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(3);
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(ints(b, "SELECT * FROM t")).isEmpty();
  }

  @Test
  void item10_aRowOwnedByAConnectionThatClosesComesBack() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(b, "t", 4);
    assertThat(queueWait(a, "'t:v=4'")).isEqualTo(1);
    assertThat(ints(b, "SELECT * FROM t")).isEmpty();
    a.close();
    // Over a network (the q4m-compat endpoint, a real MySQL server) close() sends COM_QUIT and
    // returns; the server ends the session, and gives the row back, a moment later.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(ints(b, "SELECT * FROM t")).containsExactly(4));
    assertThat(queueWait(b, "'t:v=4'")).isEqualTo(1);
  }

  @Test
  void item11_theOwnersDeleteRemovesOnlyItsRowAndAbortDoesNotRestoreIt() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 1, 2, 3);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(1);
    exec(a, "DELETE FROM t");
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(value(a, "SELECT queue_abort()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2, 3);
  }

  @Test
  void item12_anOwnerDeleteFollowedByQueueEndLeavesTheRest() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 2, 3);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    exec(a, "DELETE FROM t");
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(3);
  }

  // ---------------------------------------------------------------------------------------------
  // 03-queue-error, 03-queue-error-wait

  @Test
  void item13_ownerSeesItsRowAndOthersSeeTheRest() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(a, "t", 1, 2);
    assertThat(queueWait(b, "'t'")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(1);
  }

  @Test
  void item14_abortReturnsTheRowSoBothSeeEverything() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(a, "t", 1, 2);
    assertThat(queueWait(b, "'t'")).isEqualTo(1);
    assertThat(value(b, "SELECT queue_abort()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(1, 2);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(1, 2);
  }

  @Test
  void item15_anAbortedRowIsDeliveredFirstWithItsIdAndEndingItLeavesTheRest() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(a, "t", 1, 2);
    assertThat(queueWait(b, "'t'")).isEqualTo(1);
    long rowId = value(b, "SELECT queue_rowid()");
    assertThat(value(b, "SELECT queue_abort()")).isEqualTo(1);
    assertThat(queueWait(b, "'t'")).isEqualTo(1);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(1);
    assertThat(value(b, "SELECT queue_rowid()")).isEqualTo(rowId);
    assertThat(value(b, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(2);
  }

  @Test
  void item16_theRowOfAKilledWorkerProcessComesBack() throws Exception {
    queues();
    Connection a = open();
    insert(a, "t", 1, 2);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    String[] conn = childConnection();
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            OwnerProcess.class.getName(),
            conn[0],
            conn[1],
            conn[2],
            "t");
    pb.redirectErrorStream(true);
    Process child = pb.start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      String l;
                      while ((l = out.readLine()) != null && !l.startsWith("OWNED")) {
                        // skip logging noise
                      }
                      return l;
                    } catch (java.io.IOException e) {
                      throw new IllegalStateException(e);
                    }
                  })
              .get(60, TimeUnit.SECONDS);
      assertThat(line).isEqualTo("OWNED 2");
      Connection c = open();
      assertThat(ints(c, "SELECT * FROM t")).isEmpty();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> ints(c, "SELECT * FROM t").equals(List.of(2)));
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void item17_aTimedOutWaitLeavesTheConnectionSeeingNothing() throws SQLException {
    queues();
    Connection a = open();
    assertThat(queueWait(a, "'t', 1")).isZero();
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
  }

  @Test
  void item18_rowsTheOwnerInsertsAfterATimeoutStayInvisibleToIt() throws SQLException {
    queues();
    Connection a = open();
    assertThat(queueWait(a, "'t', 1")).isZero();
    insert(a, "t", 1);
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(ints(open(), "SELECT * FROM t")).containsExactly(1);
  }

  @Test
  void item19_queueEndAfterATimeoutRevealsTheRows() throws SQLException {
    queues();
    Connection a = open();
    assertThat(queueWait(a, "'t', 1")).isZero();
    insert(a, "t", 1);
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(1);
  }

  @Test
  void item20_twoSuccessiveWaitsConsumeTheRow() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 1);
    assertThat(queueWait(a, "'t', 1")).isEqualTo(1);
    assertThat(queueWait(a, "'t', 1")).isZero();
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // 04-blob, 04-blob-cond

  @Test
  void item21_largeTextRowsComeBackInOrderAndDeleteLimitRemovesTheOldest() throws SQLException {
    queue("t", "s MEDIUMTEXT");
    Connection c = open();
    List<Integer> lengths = new ArrayList<>();
    int k = 0;
    for (int batch = 0; batch < 3; batch++) {
      StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
      for (int i = 0; i < 20; i++) {
        sql.append(i == 0 ? "(?)" : ",(?)");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 1; i <= 20; i++) {
          k++;
          lengths.add(k * 700);
          ps.setString(i, "x".repeat(k * 700));
        }
        ps.executeUpdate();
      }
    }
    assertThat(ints(c, "SELECT LENGTH(s) FROM t")).containsExactlyElementsOf(lengths);
    assertThat(c.createStatement().executeUpdate("DELETE FROM t LIMIT 20")).isEqualTo(20);
    assertThat(ints(c, "SELECT LENGTH(s) FROM t"))
        .containsExactlyElementsOf(lengths.subList(20, 60));
  }

  private static final String DATA_16K = "0123456789abcdef".repeat(1024);

  private void blobQueueWithHeadRow(Connection c) throws SQLException {
    queue("t", "data MEDIUMBLOB, id INT NOT NULL");
    insertBlob(c, -1);
  }

  private static void insertBlob(Connection c, int id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
      ps.setBytes(1, DATA_16K.getBytes(StandardCharsets.US_ASCII));
      ps.setInt(2, id);
      ps.executeUpdate();
    }
  }

  @Test
  void item22_waitRowidAndAbortOfABlobRowAllReturnOne() throws SQLException {
    Connection c = open();
    blobQueueWithHeadRow(c);
    assertThat(queueWait(c, "'t', 1")).isEqualTo(1);
    assertThat(value(c, "SELECT queue_rowid()")).isEqualTo(1);
    assertThat(value(c, "SELECT queue_abort()")).isEqualTo(1);
  }

  private void consumeNonNegativeIds(Connection c, int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      insertBlob(c, i);
      assertThat(queueWait(c, "'t:id>=0', 1")).isEqualTo(1);
      List<List<Object>> seen = rows(c, "SELECT id, data FROM t");
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).get(0)).isEqualTo(i);
      assertThat(new String((byte[]) seen.get(0).get(1), StandardCharsets.US_ASCII))
          .isEqualTo(DATA_16K);
      assertThat(value(c, "SELECT queue_rowid()")).isEqualTo(i + 2L);
      assertThat(value(c, "SELECT queue_end()")).isEqualTo(1);
    }
  }

  @Test
  void item23_aConditionSkipsTheHeadRowAndRowidsCountEveryRow() throws SQLException {
    Connection c = open();
    blobQueueWithHeadRow(c);
    consumeNonNegativeIds(c, 20);
  }

  @Test
  void item24_theSkippedHeadRowIsDeliveredWhenTheConditionAdmitsIt() throws SQLException {
    Connection c = open();
    blobQueueWithHeadRow(c);
    consumeNonNegativeIds(c, 3);
    assertThat(queueWait(c, "'t:id>=0', 1")).isZero();
    assertThat(queueWait(c, "'t:id>=-1', 1")).isEqualTo(1);
    assertThat(value(c, "SELECT queue_rowid()")).isEqualTo(1);
    assertThat(ints(c, "SELECT id FROM t")).containsExactly(-1);
  }

  // ---------------------------------------------------------------------------------------------
  // 05-multireader, 05-multirw, 05-multiwait

  /** Waits and reads until a wait times out; returns the values it took. */
  List<Integer> drain(Connection c, AtomicBoolean keepGoing) throws SQLException {
    List<Integer> got = new ArrayList<>();
    while (true) {
      Long r = queueWait(c, "'t', 1");
      assertThat(r).as("queue_wait result").isNotNull();
      if (r == 1) {
        List<Integer> v = ints(c, "SELECT v FROM t");
        assertThat(v).hasSize(1);
        got.add(v.get(0));
      } else if (keepGoing == null || !keepGoing.get()) {
        break;
      }
    }
    value(c, "SELECT queue_end()");
    return got;
  }

  @Test
  void item25_manyReadersReceiveEveryRowExactlyOnce() throws Exception {
    queues();
    int n = 640;
    Connection p = open();
    for (int from = 1; from <= n; from += 64) {
      exec(
          p,
          "INSERT INTO t VALUES "
              + IntStream.range(from, from + 64)
                  .mapToObj(i -> "(" + i + ")")
                  .collect(Collectors.joining(",")));
    }
    CountDownLatch start = new CountDownLatch(32);
    List<List<Integer>> got =
        parallel(
            32,
            i -> {
              Connection c = open();
              start.countDown();
              start.await(60, TimeUnit.SECONDS);
              return drain(c, null);
            });
    exactlyOnce(got.stream().flatMap(List::stream).toList(), range(1, n));
    assertThat(value(p, "SELECT COUNT(*) FROM t")).isZero();
  }

  @Test
  void item26_workersThatInsertThenConsumeReceiveEverythingOnce() throws Exception {
    queues();
    int perWorker = 20;
    List<List<Integer>> got =
        parallel(
            32,
            i -> {
              Connection c = open();
              for (int k = 1; k <= perWorker; k++) {
                insert(c, "t", i * perWorker + k);
              }
              return drain(c, null);
            });
    exactlyOnce(got.stream().flatMap(List::stream).toList(), range(1, 32 * perWorker));
    assertThat(value(open(), "SELECT COUNT(*) FROM t")).isZero();
  }

  @Test
  void item27_workersThatConsumeOneThenInsertOneKeepTheSeedCount() throws Exception {
    queues();
    int n = 256;
    int seeds = n / 4;
    Connection p = open();
    exec(
        p,
        "INSERT INTO t VALUES "
            + IntStream.rangeClosed(1, seeds)
                .mapToObj(i -> "(" + i + ")")
                .collect(Collectors.joining(",")));
    AtomicInteger next = new AtomicInteger(seeds);
    int workers = 32;
    int rounds = (n - seeds) / workers;
    List<List<Integer>> got =
        parallel(
            workers,
            i -> {
              Connection c = open();
              List<Integer> mine = new ArrayList<>();
              for (int r = 0; r < rounds; r++) {
                assertThat(queueWait(c, "'t', 10")).isEqualTo(1);
                mine.add(ints(c, "SELECT v FROM t").get(0));
                // Insert while still owning: stored, but not visible to this owner.
                insert(c, "t", next.incrementAndGet());
              }
              value(c, "SELECT queue_end()");
              return mine;
            });
    List<Integer> consumed = got.stream().flatMap(List::stream).toList();
    List<Integer> remaining = ints(p, "SELECT v FROM t");
    assertThat(value(p, "SELECT COUNT(*) FROM t")).isEqualTo(seeds);
    List<Integer> all = new ArrayList<>(consumed);
    all.addAll(remaining);
    exactlyOnce(all, range(1, n));
  }

  // ---------------------------------------------------------------------------------------------
  // 06-multi

  @Test
  void item28_waitingOnTwoEmptyTablesTimesOut() throws SQLException {
    queues();
    assertThat(queueWait(open(), "'t', 't2', 1")).isZero();
  }

  @Test
  void item29_aRowInTheFirstTableIsIndexOne() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 1);
    assertThat(queueWait(a, "'t', 't2', 5")).isEqualTo(1);
  }

  @Test
  void item30_anOwnerSeesOtherQueueTablesEmpty() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 2);
    insert(a, "t2", 3, 4);
    assertThat(queueWait(a, "'t', 't2', 5")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t2")).isEmpty();
    assertThat(ints(open(), "SELECT * FROM t2")).containsExactly(3, 4);
  }

  @Test
  void item31_repeatedWaitsTakeTheFirstTableFirstThenTheSecondInOrder() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t", 2);
    insert(a, "t2", 3, 4);
    assertThat(queueWait(a, "'t', 't2', 1")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    assertThat(queueWait(a, "'t', 't2', 1")).isEqualTo(2);
    assertThat(ints(a, "SELECT * FROM t2")).containsExactly(3);
    assertThat(queueWait(a, "'t', 't2', 1")).isEqualTo(2);
    assertThat(ints(a, "SELECT * FROM t2")).containsExactly(4);
    assertThat(queueWait(a, "'t', 't2', 1")).isZero();
  }

  @Test
  void item32_aWaiterOnTwoTablesGetsTheIndexOfTheTableARowArrivesIn() throws Exception {
    queues();
    Connection a = open();
    Connection b = open();
    for (String table : List.of("t", "t2")) {
      CompletableFuture<Long> waiting = background(() -> queueWait(a, "'t', 't2', 10"));
      staysBlocked(waiting, 1_000);
      insert(b, table, table.equals("t") ? 5 : 6);
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(table.equals("t") ? 1 : 2);
      assertThat(ints(a, "SELECT * FROM " + table)).containsExactly(table.equals("t") ? 5 : 6);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 07-trans

  @Test
  void item33_queueRowidOutsideOwnerModeIsAnSqlError() throws SQLException {
    queues();
    Connection a = open();
    assertThatThrownBy(() -> value(a, "SELECT queue_rowid()"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("not in owner mode");
  }

  /** The relay of 07-trans: A takes rows of t and relays them into t2; B watches t2. */
  final class Relay {
    final Connection a;
    final Connection b;
    long r;
    long r2;

    Relay() throws SQLException {
      queues();
      a = open();
      b = open();
      forgetRelayWatermarks(a);
      insert(a, "t", 1, 2, 3);
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
      r = value(a, "SELECT queue_rowid()");
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(1);
    }

    long relay(int slot, String mode, long rowId, int v) throws SQLException {
      long tagged = value(a, "SELECT queue_set_srcid(" + slot + ",'" + mode + "'," + rowId + ")");
      insert(a, "t2", v);
      return tagged;
    }

    List<Integer> t2() throws SQLException {
      return ints(b, "SELECT * FROM t2");
    }

    void step34() throws SQLException {
      assertThat(relay(0, "a", r, 1)).isEqualTo(1);
    }

    void step35() throws SQLException {
      assertThat(relay(0, "a", r, 1)).isEqualTo(1);
    }

    void step36() throws SQLException {
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
      r2 = value(a, "SELECT queue_rowid()");
      assertThat(r2).isGreaterThan(r);
      relay(0, "a", r2, 2);
    }

    void step37() throws SQLException {
      relay(1, "a", r2, 2);
    }

    void step38() throws SQLException {
      relay(1, "w", r2, 2);
    }
  }

  @Test
  void item34_aTaggedInsertIsStored() throws SQLException {
    Relay relay = new Relay();
    relay.step34();
    assertThat(relay.t2()).containsExactly(1);
  }

  @Test
  void item35_theSameTagAgainDropsTheInsertWithoutError() throws SQLException {
    Relay relay = new Relay();
    relay.step34();
    relay.step35();
    assertThat(relay.t2()).containsExactly(1);
  }

  @Test
  void item36_aHigherRowidIsStored() throws SQLException {
    Relay relay = new Relay();
    relay.step34();
    relay.step35();
    relay.step36();
    assertThat(relay.t2()).containsExactly(1, 2);
  }

  @Test
  void item37_anotherSlotIsIndependent() throws SQLException {
    Relay relay = new Relay();
    relay.step34();
    relay.step35();
    relay.step36();
    relay.step37();
    assertThat(relay.t2()).containsExactly(1, 2, 2);
  }

  @Test
  void item38_writeModeStoresAndAppendModeAfterItDrops() throws SQLException {
    Relay relay = new Relay();
    relay.step34();
    relay.step35();
    relay.step36();
    relay.step37();
    relay.step38();
    assertThat(relay.t2()).containsExactly(1, 2, 2, 2);
    relay.relay(1, "a", relay.r2, 2);
    assertThat(relay.t2()).containsExactly(1, 2, 2, 2);
  }

  @Test
  void item39_slotsOutsideZeroToSixtyThreeAreNull() throws SQLException {
    Relay relay = new Relay();
    assertThat(value(relay.a, "SELECT queue_set_srcid(-1,'a'," + relay.r + ")")).isNull();
    assertThat(value(relay.a, "SELECT queue_set_srcid(64,'a'," + relay.r + ")")).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // 08-forward

  /** A q4m-forward loop (support-files/q4m-forward): one connection owns and relays. */
  private static int forward(Connection c, AtomicBoolean running) throws SQLException {
    int forwarded = 0;
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO t2 (s, v) VALUES (?, ?)")) {
      while (running.get()) {
        if (queueWait(c, "'t', 1") != 1) {
          continue;
        }
        long rowId = value(c, "SELECT queue_rowid()");
        List<List<Object>> row = rows(c, "SELECT v, s FROM t");
        assertThat(value(c, "SELECT queue_set_srcid(0, 'a', " + rowId + ")")).isEqualTo(1);
        insert.setString(1, (String) row.get(0).get(1));
        insert.setInt(2, (Integer) row.get(0).get(0));
        insert.executeUpdate();
        forwarded++;
      }
      value(c, "SELECT queue_end()");
    }
    return forwarded;
  }

  @Test
  void item40_aForwarderRelaysRowsByColumnNameAndEmptiesTheSource() throws Exception {
    queue("t", "v INT NOT NULL, s VARCHAR(32) NOT NULL");
    queue("t2", "s VARCHAR(32) NOT NULL, v INT NOT NULL");
    Connection forwarder = open();
    forgetRelayWatermarks(forwarder);
    AtomicBoolean running = new AtomicBoolean(true);
    CompletableFuture<Integer> relay = background(() -> forward(forwarder, running));
    try {
      Connection producer = open();
      exec(producer, "INSERT INTO t VALUES (7, 'seven')");
      Connection consumer = open();
      assertThat(queueWait(consumer, "'t2', 10")).isEqualTo(1);
      assertThat(rows(consumer, "SELECT s, v FROM t2")).containsExactly(row("seven", 7));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> value(producer, "SELECT COUNT(*) FROM t") == 0);
      assertThat(ints(producer, "SELECT v FROM t")).isEmpty();
      assertThat(value(consumer, "SELECT queue_end()")).isEqualTo(1);
      assertThat(rows(consumer, "SELECT * FROM t2")).isEmpty();
    } finally {
      running.set(false);
    }
    assertThat(relay.get(30, TimeUnit.SECONDS)).isEqualTo(1);
  }

  // ---------------------------------------------------------------------------------------------
  // 09-pqueue-single-table, 09-pqueue-single-table-wake-listener

  @Test
  void item41_twoConditionsOnOneTableFormAPriorityQueue() throws SQLException {
    queue("t", "id INT NOT NULL, prio INT NOT NULL");
    Connection c = open();
    List<Integer> prio0 = new ArrayList<>();
    List<Integer> prio1 = new ArrayList<>();
    StringBuilder sql = new StringBuilder("INSERT INTO t VALUES ");
    for (int id = 0; id < 100; id++) {
      int prio = id % 10 == 9 ? 1 : 0;
      (prio == 0 ? prio0 : prio1).add(id);
      sql.append(id == 0 ? "" : ",").append('(').append(id).append(',').append(prio).append(')');
    }
    exec(c, sql.toString());
    List<Integer> firsts = new ArrayList<>();
    List<Integer> seconds = new ArrayList<>();
    while (true) {
      long r = queueWait(c, "'t:prio=0', 't:prio=1', 1");
      if (r == 0) {
        break;
      }
      int id = ints(c, "SELECT id FROM t").get(0);
      if (r == 1) {
        assertThat(seconds).as("a prio=0 row after prio=1 rows").isEmpty();
        firsts.add(id);
      } else {
        seconds.add(id);
      }
    }
    assertThat(firsts).containsExactlyElementsOf(prio0);
    assertThat(seconds).containsExactlyElementsOf(prio1);
  }

  @Test
  void item42_aBatchArrivingWhileWaitingIsHandedOutByPriority() throws Exception {
    queue("t", "id INT NOT NULL, prio INT NOT NULL");
    Connection a = open();
    Connection b = open();
    CompletableFuture<Long> waiting = background(() -> queueWait(a, "'t:prio=0', 't:prio=1', 10"));
    staysBlocked(waiting, 1_000);
    exec(b, "INSERT INTO t VALUES (1,1),(2,0),(3,1)");
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(2, 0));
    assertThat(queueWait(a, "'t:prio=0', 't:prio=1', 10")).isEqualTo(2);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1));
    assertThat(queueWait(a, "'t:prio=0', 't:prio=1', 10")).isEqualTo(2);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(3, 1));
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(value(a, "SELECT COUNT(*) FROM t")).isZero();
  }

  // ---------------------------------------------------------------------------------------------
  // 11-conc-compact, 11-conc-compact-w-insert

  @Test
  void item43_consumersDrainingAMostlyDeletedTableWhileAProducerInsertsLoseNothing()
      throws Exception {
    queues();
    Connection p = open();
    int initial = 4000;
    for (int from = 1; from <= initial; from += 500) {
      int to = from + 499;
      exec(
          p,
          "INSERT INTO t VALUES "
              + IntStream.rangeClosed(from, to)
                  .mapToObj(i -> "(" + i + ")")
                  .collect(Collectors.joining(",")));
    }
    // 74 % deleted, as before a compaction.
    exec(p, "DELETE FROM t WHERE v % 100 < 74");
    Set<Integer> expected = new HashSet<>();
    range(1, initial).stream().filter(v -> v % 100 >= 74).forEach(expected::add);
    int extra = 1000;
    range(initial + 1, initial + extra).forEach(expected::add);
    AtomicBoolean producing = new AtomicBoolean(true);
    CompletableFuture<Void> producer =
        background(
            () -> {
              try (Connection c = connect()) {
                for (int v = initial + 1; v <= initial + extra; v += 10) {
                  int from = v;
                  exec(
                      c,
                      "INSERT INTO t VALUES "
                          + IntStream.range(from, from + 10)
                              .mapToObj(i -> "(" + i + ")")
                              .collect(Collectors.joining(",")));
                }
              } finally {
                producing.set(false);
              }
              return null;
            });
    List<List<Integer>> got = parallel(20, i -> drain(open(), producing));
    producer.get(60, TimeUnit.SECONDS);
    List<Integer> consumed = got.stream().flatMap(List::stream).toList();
    List<Integer> left = ints(p, "SELECT v FROM t");
    assertThat((long) consumed.size() + value(p, "SELECT COUNT(*) FROM t"))
        .isEqualTo(expected.size());
    List<Integer> all = new ArrayList<>(consumed);
    all.addAll(left);
    exactlyOnce(all, expected);
  }

  @Test
  void item44_consumersTakingAHundredAtATimeWhileBatchesArriveLoseNothing() throws Exception {
    queues();
    int total = 4096;
    AtomicBoolean producing = new AtomicBoolean(true);
    CompletableFuture<Void> producer =
        background(
            () -> {
              try (Connection c = connect()) {
                for (int v = 1; v <= total; v += 16) {
                  int from = v;
                  exec(
                      c,
                      "INSERT INTO t VALUES "
                          + IntStream.range(from, from + 16)
                              .mapToObj(i -> "(" + i + ")")
                              .collect(Collectors.joining(",")));
                }
              } finally {
                producing.set(false);
              }
              return null;
            });
    Set<Integer> seenEver = ConcurrentHashMap.newKeySet();
    List<List<Integer>> got =
        parallel(
            20,
            i -> {
              Connection c = open();
              List<Integer> mine = new ArrayList<>();
              boolean more = true;
              while (more) {
                for (int k = 0; k < 100; k++) {
                  long r = queueWait(c, "'t', 1");
                  if (r == 0) {
                    more = producing.get();
                    break;
                  }
                  int v = ints(c, "SELECT v FROM t").get(0);
                  seenEver.add(v);
                  mine.add(v);
                  assertThat(value(c, "SELECT queue_end()")).isEqualTo(1);
                }
              }
              return mine;
            });
    producer.get(60, TimeUnit.SECONDS);
    Connection p = open();
    List<Integer> consumed = got.stream().flatMap(List::stream).toList();
    List<Integer> left = ints(p, "SELECT v FROM t");
    assertThat((long) consumed.size() + value(p, "SELECT COUNT(*) FROM t")).isEqualTo(total);
    List<Integer> all = new ArrayList<>(consumed);
    all.addAll(left);
    exactlyOnce(all, range(1, total));
  }

  // ---------------------------------------------------------------------------------------------
  // 12-truncate, 13-drop-table, 13-drop-table-while-waiting, 14-alter-table

  @Test
  void item45_truncateEmptiesTheTable() throws SQLException {
    queues();
    Connection c = open();
    insert(c, "t", 3);
    assertThat(ints(c, "SELECT * FROM t")).containsExactly(3);
    exec(c, "TRUNCATE t");
    assertThat(ints(c, "SELECT * FROM t")).isEmpty();
  }

  @Test
  void item46_truncateDiscardsTheOwnedRowAndNewRowsAreAllThatRemain() throws SQLException {
    assumeThat(emulated())
        .as("Q4M-only: DDL waits for owners on InnoDB (item46_emulation)")
        .isFalse();
    queues();
    Connection b = open();
    for (int n = 11; n <= 12; n++) {
      Connection a = open();
      insert(b, "t", n, n * 10);
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(n);
      assertThat(ints(b, "SELECT * FROM t")).containsExactly(n * 10);
      exec(b, "TRUNCATE t");
      insert(b, "t", n * 20);
      assertThat(ints(a, "SELECT * FROM t")).isEmpty();
      exec(a, n % 2 == 1 ? "SELECT queue_end()" : "SELECT queue_abort()");
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(n * 20);
      assertThat(ints(b, "SELECT * FROM t")).containsExactly(n * 20);
      exec(b, "TRUNCATE t");
    }
  }

  @Test
  void item46_emulation_truncateWaitsForTheOwnerThenLeavesOnlyNewRows() throws SQLException {
    assumeThat(emulated()).as("emulation of item 46").isTrue();
    queues();
    Connection b = impatient();
    for (int n = 11; n <= 12; n++) {
      Connection a = open();
      insert(b, "t", n, n * 10);
      assertThat(queueWait(a, "'t'")).isEqualTo(1);
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(n);
      assertThat(ints(b, "SELECT * FROM t")).containsExactly(n * 10);
      waitsForTheOwner(b, "TRUNCATE t");
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(n);
      exec(a, n % 2 == 1 ? "SELECT queue_end()" : "SELECT queue_abort()");
      exec(b, "TRUNCATE t");
      insert(b, "t", n * 20);
      assertThat(ints(a, "SELECT * FROM t")).containsExactly(n * 20);
      assertThat(ints(b, "SELECT * FROM t")).containsExactly(n * 20);
      exec(b, "TRUNCATE t");
    }
  }

  @Test
  void item47_dropDiscardsTheOwnedRowAndTheTable() throws SQLException {
    assumeThat(emulated())
        .as("Q4M-only: DDL waits for owners on InnoDB (item47_emulation)")
        .isFalse();
    queues();
    Connection a = open();
    Connection b = open();
    insert(b, "t", 7, 70);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    exec(b, "DROP TABLE t");
    assertThat(rows(b, "SHOW TABLES LIKE 't'")).isEmpty();
    assertThatThrownBy(() -> ints(a, "SELECT * FROM t")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> ints(b, "SELECT * FROM t")).isInstanceOf(SQLException.class);
  }

  @Test
  void item47_emulation_dropWaitsForTheOwnerInsteadOfDiscardingItsRow() throws SQLException {
    assumeThat(emulated()).as("emulation of item 47").isTrue();
    queues();
    Connection a = open();
    Connection b = impatient();
    insert(b, "t", 7, 70);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    waitsForTheOwner(b, "DROP TABLE t");
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(7);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(70);
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    exec(b, "DROP TABLE t");
    assertThat(rows(b, "SHOW TABLES LIKE 't'")).isEmpty();
    assertThatThrownBy(() -> ints(a, "SELECT * FROM t")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> ints(b, "SELECT * FROM t")).isInstanceOf(SQLException.class);
  }

  @Test
  void item48_dropWhileSomeoneWaitsSucceedsAndTheWaiterTimesOut() throws Exception {
    queues();
    Connection a = open();
    Connection b = open();
    CompletableFuture<Long> waiting = background(() -> queueWait(a, "'t', 5"));
    staysBlocked(waiting, 1_000);
    long start = System.nanoTime();
    exec(b, "DROP TABLE t");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(waiting).isNotDone();
    assertThat(rows(b, "SHOW TABLES LIKE 't'")).isEmpty();
    assertThatThrownBy(() -> ints(b, "SELECT * FROM t")).isInstanceOf(SQLException.class);
    assertThat(waiting.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
  }

  @Test
  void item49_addingAColumnWhileARowIsOwnedShowsNullForOldRows() throws SQLException {
    assumeThat(emulated())
        .as("Q4M-only: DDL waits for owners on InnoDB (item49_emulation)")
        .isFalse();
    queue("t", "v1 INT NOT NULL, v2 INT NOT NULL");
    Connection a = open();
    Connection b = open();
    exec(b, "INSERT INTO t VALUES (1,1),(10,10)");
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1));
    assertThat(rows(b, "SELECT * FROM t")).containsExactly(row(10, 10));
    exec(b, "ALTER TABLE t ADD v3 INT", "INSERT INTO t VALUES (20,20,20)");
    assertThat(rows(b, "SELECT * FROM t")).containsExactly(row(10, 10, null), row(20, 20, 20));
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1, null));
  }

  @Test
  void item50_droppingAColumnWhileARowIsOwnedKeepsTheOwnersView() throws SQLException {
    assumeThat(emulated())
        .as("Q4M-only: DDL waits for owners on InnoDB (item50_emulation)")
        .isFalse();
    queue("t", "v1 INT NOT NULL, v2 INT NOT NULL");
    Connection a = open();
    Connection b = open();
    exec(b, "INSERT INTO t VALUES (1,1),(10,10)");
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    exec(b, "ALTER TABLE t ADD v3 INT", "INSERT INTO t VALUES (20,20,20)");
    exec(b, "ALTER TABLE t DROP v1");
    exec(a, "INSERT INTO t VALUES (30,30)");
    assertThat(rows(b, "SELECT * FROM t")).containsExactly(row(10, null), row(20, 20), row(30, 30));
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, null));
  }

  /** Items 49/50 on InnoDB: the ALTER waits for A; after A gives the row back it applies. */
  private void emulatedAddColumn(Connection a, Connection b) throws SQLException {
    queue("t", "v1 INT NOT NULL, v2 INT NOT NULL");
    exec(b, "INSERT INTO t VALUES (1,1),(10,10)");
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1));
    assertThat(rows(b, "SELECT * FROM t")).containsExactly(row(10, 10));
    waitsForTheOwner(b, "ALTER TABLE t ADD v3 INT");
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1));
    assertThat(value(a, "SELECT queue_abort()")).isEqualTo(1);
    exec(b, "ALTER TABLE t ADD v3 INT", "INSERT INTO t VALUES (20,20,20)");
  }

  @Test
  void item49_emulation_addingAColumnWaitsForTheOwnerThenOldRowsReadNull() throws SQLException {
    assumeThat(emulated()).as("emulation of item 49").isTrue();
    Connection a = open();
    Connection b = impatient();
    emulatedAddColumn(a, b);
    assertThat(rows(b, "SELECT * FROM t"))
        .containsExactly(row(1, 1, null), row(10, 10, null), row(20, 20, 20));
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1, null));
  }

  @Test
  void item50_emulation_droppingAColumnWaitsForTheOwnerWhoseInsertsStillLand() throws SQLException {
    assumeThat(emulated()).as("emulation of item 50").isTrue();
    Connection a = open();
    Connection b = impatient();
    emulatedAddColumn(a, b);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    waitsForTheOwner(b, "ALTER TABLE t DROP v1");
    exec(a, "INSERT INTO t VALUES (30,30,30)");
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(1, 1, null));
    assertThat(rows(b, "SELECT * FROM t"))
        .containsExactly(row(10, 10, null), row(20, 20, 20), row(30, 30, 30));
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    exec(b, "ALTER TABLE t DROP v1");
    assertThat(rows(b, "SELECT * FROM t")).containsExactly(row(10, null), row(20, 20), row(30, 30));
    assertThat(rows(a, "SELECT * FROM t")).containsExactly(row(10, null), row(20, 20), row(30, 30));
  }

  // ---------------------------------------------------------------------------------------------
  // 15-delete

  private void ownedRowAndDeleteByOther(Connection a, Connection b) throws SQLException {
    queues();
    insert(b, "t", 2, 20);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    assertThat(b.createStatement().executeUpdate("DELETE FROM t")).isEqualTo(1);
    assertThat(ints(b, "SELECT * FROM t")).isEmpty();
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    insert(b, "t", 30);
  }

  @Test
  void item51_aDeleteByAnotherConnectionSkipsTheOwnedRow() throws SQLException {
    Connection a = open();
    Connection b = open();
    ownedRowAndDeleteByOther(a, b);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(2);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(30);
  }

  @Test
  void item52_theOwnersDeleteRemovesOnlyItsOwnRow() throws SQLException {
    Connection a = open();
    Connection b = open();
    ownedRowAndDeleteByOther(a, b);
    exec(a, "DELETE FROM t");
    assertThat(ints(a, "SELECT * FROM t")).isEmpty();
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(30);
  }

  // ---------------------------------------------------------------------------------------------
  // Derived items (code-level, no Q4M test)

  @Test
  void itemD1_aWaitThatReturnsNullStillConsumedThePreviousRow() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(b, "t", 1, 2);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(queueWait(a, "'no_such_table', 1")).isNull();
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(2);
    assertThat(value(b, "SELECT COUNT(*) FROM t")).isEqualTo(1);
  }

  @Test
  void itemD2_twoTableArgumentsMeanTheFirstTableWithTimeoutZero() throws SQLException {
    queues();
    Connection a = open();
    insert(a, "t2", 1);
    long start = System.nanoTime();
    assertThat(queueWait(a, "'t', 't2'")).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    assertThat(value(a, "SELECT queue_end()")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t2")).containsExactly(1);
    insert(a, "t", 5);
    assertThat(queueWait(a, "'t', 't2'")).isEqualTo(1);
    assertThat(ints(a, "SELECT * FROM t")).containsExactly(5);
  }

  @Test
  void itemD3_queueAbortOutsideOwnerModeIsAnSqlError() throws SQLException {
    queues();
    Connection a = open();
    assertThatThrownBy(() -> value(a, "SELECT queue_abort()"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("queue_abort(): not in owner mode");
  }

  @Test
  void itemD4_queueEndOutsideOwnerModeReturnsOne() throws SQLException {
    queues();
    assertThat(value(open(), "SELECT queue_end()")).isEqualTo(1);
  }

  @Test
  void itemD5_queueRowidAfterATimeoutIsNull() throws SQLException {
    queues();
    Connection a = open();
    assertThat(queueWait(a, "'t', 1")).isZero();
    assertThat(value(a, "SELECT queue_rowid()")).isNull();
  }

  @Test
  void itemD6_countStarOfANonOwnerIncludesRowsOwnedByOthers() throws SQLException {
    queues();
    Connection a = open();
    Connection b = open();
    insert(b, "t", 1, 2);
    assertThat(queueWait(a, "'t'")).isEqualTo(1);
    assertThat(value(b, "SELECT COUNT(*) FROM t")).isEqualTo(2);
    assertThat(ints(b, "SELECT * FROM t")).containsExactly(2);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void everyAcceptanceItemHasATest() {
    Set<String> covered = new TreeSet<>();
    for (Method m : Q4mAcceptanceSuite.class.getDeclaredMethods()) {
      Matcher id = ITEM.matcher(m.getName());
      if (m.isAnnotationPresent(Test.class) && id.find()) {
        covered.add(id.group(1));
      }
    }
    assertThat(covered).isEqualTo(ALL_ITEMS);
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  /** Counts the items whose tests passed and prints the count line after the class. */
  static final class ItemCounter implements TestWatcher, AfterAllCallback {
    private static final ConcurrentHashMap<Class<?>, Set<String>> PASSED =
        new ConcurrentHashMap<>();

    @Override
    public void testSuccessful(ExtensionContext context) {
      Matcher id = ITEM.matcher(context.getRequiredTestMethod().getName());
      if (id.find()) {
        PASSED
            .computeIfAbsent(context.getRequiredTestClass(), k -> ConcurrentHashMap.newKeySet())
            .add(id.group(1));
      }
    }

    @Override
    public void afterAll(ExtensionContext context) {
      Set<String> passed = PASSED.getOrDefault(context.getRequiredTestClass(), Set.of());
      String backend = context.getDisplayName();
      Set<String> missing = new TreeSet<>(ALL_ITEMS);
      missing.removeAll(passed);
      System.out.println(
          "Q4M acceptance ["
              + backend
              + "]: "
              + passed.size()
              + " of "
              + ALL_ITEMS.size()
              + " items covered"
              + (missing.isEmpty() ? "" : "; not passed: " + missing));
    }
  }
}
