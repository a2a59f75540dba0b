package org.q4mbridge.q4m.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionException.TableState;
import org.q4mbridge.q4m.convert.ConversionPlan.Action;
import org.q4mbridge.q4m.emulated.EmulatedTable;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * Conversions on the real MariaDB. There is no QUEUE engine here, so sources are MyISAM and InnoDB
 * tables shaped like Q4M tables: no keys, rows in insertion order.
 */
class TableConverterIT {
  private static final String JOBS_DDL =
      "CREATE TABLE jobs (job_type VARCHAR(32) NOT NULL, payload MEDIUMTEXT,"
          + " created_at DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3), n INT UNSIGNED NULL) ENGINE=";
  private static final List<String> JOBS_COLUMNS =
      List.of("job_type", "payload", "created_at", "n");

  private static TestDatabase db;
  private final TableConverter converter = new TableConverter();
  private TableRef jobs;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = TestDatabase.create("convert");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @BeforeEach
  void noTables() throws Exception {
    db.exec("DROP TABLE IF EXISTS jobs, jobs__q4m_new, jobs__q4m_old, keyed, keyed__q4m_old");
    jobs = new TableRef(db.name(), "jobs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyISAM", "InnoDB"})
  void convertsTenThousandRowsInPlaceKeepingColumnsValuesAndOrder(String engine) throws Exception {
    db.exec(JOBS_DDL + engine);
    fillJobs(10_000);
    List<List<Object>> before = rows("SELECT * FROM jobs");
    RecordingProgress progress = new RecordingProgress();

    ConversionResult result = convert(TableConverter.Options.defaults(), progress);

    assertThat(result.rowsBefore()).isEqualTo(10_000);
    assertThat(result.rowsCopied()).isEqualTo(10_000);
    assertThat(result.rowsCaughtUp()).isZero();
    assertThat(result.oldKept()).isTrue();
    assertThat(engineOf("jobs")).isEqualTo("InnoDB");
    assertThat(columnFacts("jobs", "q4m_rowid"))
        .contains("INVISIBLE")
        .contains("auto_increment")
        .contains("PRI")
        .contains("bigint(20) unsigned");
    assertThat(columnNamesOfSelectStar("jobs")).containsExactlyElementsOf(JOBS_COLUMNS);
    assertThat(rows("SELECT * FROM jobs ORDER BY q4m_rowid")).isEqualTo(before);
    assertThat(engineOf("jobs__q4m_old")).isEqualTo(engine);
    assertThat(rows("SELECT * FROM jobs__q4m_old")).isEqualTo(before);
    assertThat(progress.copied).contains(10_000L);
    assertThat(progress.actions).containsExactlyElementsOf(allActions(result));
    try (Connection c = db.connect()) {
      EmulatedTable queue = EmulatedTable.load(c, jobs, null);
      assertThat(queue.rowIdColumn()).isEqualTo("q4m_rowid");
      assertThat(queue.rowIdVisible()).isFalse();
    }
  }

  @Test
  void convertedTableStillFillsDefaultsAndAcceptsLegacyInsertsWithoutColumnList() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    fillJobs(10);
    convert(TableConverter.Options.defaults(), TableConverter.Progress.NONE);

    db.exec(
        "INSERT INTO jobs (job_type) VALUES ('x')",
        "INSERT INTO jobs VALUES ('legacy', 'p', '2024-01-02 03:04:05.678', 7)");

    List<List<Object>> last = rows("SELECT * FROM jobs ORDER BY q4m_rowid DESC LIMIT 2");
    assertThat(last.get(0))
        .containsExactly("legacy", "p", LocalDateTime.parse("2024-01-02T03:04:05.678"), 7L);
    assertThat(last.get(1).get(0)).isEqualTo("x");
    assertThat(last.get(1).get(1)).isNull();
    assertThat(last.get(1).get(2)).isNotNull();
    assertThat(last.get(1).get(3)).isNull();
    assertThat(rows("SELECT COUNT(*) FROM jobs").get(0).get(0)).isEqualTo(12L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyISAM", "InnoDB"})
  void producersKeepInsertingAndEveryRowEndsUpExactlyOnceInFifoOrder(String engine)
      throws Exception {
    db.exec(JOBS_DDL + engine);
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (job_type, n) VALUES (?, ?)")) {
      for (int i = 1; i <= 3000; i++) {
        ps.setString(1, "seed");
        ps.setInt(2, i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    Producers producers = new Producers(3);
    producers.start();
    try {
      producers.awaitMore(30);
      TableConverter.Progress progress =
          new TableConverter.Progress() {
            @Override
            public void stepStarted(ConversionPlan.Step step) {
              if (step.action() == Action.MARK) {
                // Rows inserted after the bulk copy: only the final copy under the lock sees them.
                producers.awaitMore(30);
              }
              if (step.action() == Action.UNLOCK) {
                // The lock is held and the RENAME waits: inserts must be queued too, so that
                // releasing the lock shows where they go.
                await().atMost(Duration.ofSeconds(30)).until(() -> waitingInserts() >= 1);
              }
            }
          };

      ConversionResult result = convert(TableConverter.Options.defaults(), progress);

      assertThat(result.rowsCopied()).isGreaterThan(3000);
      assertThat(result.rowsCaughtUp()).isZero();
      // Rows inserted after the swap go straight to the new table.
      producers.awaitMore(30);
    } finally {
      producers.stop();
    }

    assertThat(producers.errors).isEmpty();
    List<List<Object>> rows = rows("SELECT job_type, n FROM jobs ORDER BY q4m_rowid");
    assertThat(rows).hasSize(3000 + producers.inserted.size());
    List<Long> seeds = new ArrayList<>();
    Map<String, List<Long>> byProducer = new HashMap<>();
    Set<Long> seen = new HashSet<>();
    for (List<Object> row : rows) {
      long n = (Long) row.get(1);
      if (row.get(0).equals("seed")) {
        seeds.add(n);
        continue;
      }
      assertThat(seen.add(n)).as("row %s appears once", n).isTrue();
      byProducer.computeIfAbsent((String) row.get(0), k -> new ArrayList<>()).add(n);
    }
    assertThat(seeds).hasSize(3000).isSorted();
    assertThat(rows.subList(0, 3000)).allSatisfy(r -> assertThat(r.get(0)).isEqualTo("seed"));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(producers.inserted);
    // Each producer's rows keep the order it inserted them in.
    assertThat(byProducer.values()).allSatisfy(ns -> assertThat(ns).isSorted());
  }

  @Test
  void dryRunPrintsTheScriptAndChangesNothing() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    fillJobs(100);
    String definition = showCreate("jobs");
    List<List<Object>> tables = rows("SHOW TABLES");
    List<List<Object>> before = rows("SELECT * FROM jobs");

    String sql;
    try (Connection c = db.connect()) {
      sql = converter.plan(c, jobs, TableConverter.Options.defaults()).toSql();
    }

    String q = "`" + db.name() + "`.";
    assertThat(sql)
        .contains("CREATE TABLE " + q + "`jobs__q4m_new` (")
        .contains("`q4m_rowid` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE")
        .contains(
            "INSERT INTO "
                + q
                + "`jobs__q4m_new` (`job_type`, `payload`, `created_at`, `n`) SELECT `job_type`,"
                + " `payload`, `created_at`, `n` FROM "
                + q
                + "`jobs`;")
        .contains(
            "RENAME TABLE "
                + q
                + "`jobs` TO "
                + q
                + "`jobs__q4m_old`, "
                + q
                + "`jobs__q4m_new` TO "
                + q
                + "`jobs`;");
    assertThat(rows("SHOW TABLES")).isEqualTo(tables);
    assertThat(showCreate("jobs")).isEqualTo(definition);
    assertThat(rows("SELECT * FROM jobs")).isEqualTo(before);
  }

  @Test
  void unknownTableIsReportedWithTableAndDatabase() throws Exception {
    try (Connection c = db.connect()) {
      assertThatThrownBy(
              () ->
                  converter.plan(
                      c, new TableRef(db.name(), "nope"), TableConverter.Options.defaults()))
          .isInstanceOfSatisfying(
              ConversionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_TABLE);
                assertThat(e.state()).isEqualTo(TableState.NOT_STARTED);
              })
          .hasMessageContaining("'nope'")
          .hasMessageContaining("'" + db.name() + "'");
      assertThatThrownBy(
              () ->
                  converter.plan(
                      c, new TableRef("no_such_db_q4m", "jobs"), TableConverter.Options.defaults()))
          .hasMessageContaining("database 'no_such_db_q4m' does not exist");
    }
  }

  @Test
  void alreadyConvertedTableIsRefused() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    fillJobs(5);
    convert(TableConverter.Options.defaults(), TableConverter.Progress.NONE);
    db.exec("DROP TABLE jobs__q4m_old");

    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> converter.plan(c, jobs, TableConverter.Options.defaults()))
          .isInstanceOfSatisfying(
              ConversionException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
          .hasMessageContaining("already converted")
          .hasMessageContaining("q4m_rowid");
    }
  }

  @Test
  void leftoverTwinIsReportedWithWhatToDrop() throws Exception {
    db.exec(JOBS_DDL + "MyISAM", "CREATE TABLE jobs__q4m_new (x INT)");

    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> converter.plan(c, jobs, TableConverter.Options.defaults()))
          .isInstanceOfSatisfying(
              ConversionException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID))
          .hasMessageContaining("jobs__q4m_new already exists")
          .hasMessageContaining("DROP TABLE `" + db.name() + "`.`jobs__q4m_new`");
    }
  }

  @Test
  void leftoverPlaceholderIsRecognisedAsSuch() throws Exception {
    db.exec(JOBS_DDL + "MyISAM", "CREATE TABLE jobs__q4m_old (q4m_sentry TINYINT)");

    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> converter.plan(c, jobs, TableConverter.Options.defaults()))
          .hasMessageContaining("placeholder of an interrupted conversion")
          .hasMessageContaining("DROP TABLE `" + db.name() + "`.`jobs__q4m_old`");
    }
  }

  @Test
  void accountWithoutCreatePrivilegeIsToldWhichGrantItNeeds() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    String user = "conv_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    db.exec(
        "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT, INSERT ON `" + db.name() + "`.* TO '" + user + "'@'%'");
    try (Connection c = DriverManager.getConnection(db.url(), user, "pw")) {
      assertThatThrownBy(() -> converter.plan(c, jobs, TableConverter.Options.defaults()))
          .isInstanceOfSatisfying(
              ConversionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(Kind.PRIVILEGE);
                assertThat(e.state()).isEqualTo(TableState.NOT_STARTED);
              })
          .hasMessageContaining(
              "GRANT CREATE, DROP, ALTER, LOCK TABLES ON `"
                  + db.name()
                  + "`.* TO '"
                  + user
                  + "'@'%'");
    } finally {
      db.exec("DROP USER IF EXISTS '" + user + "'@'%'");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyISAM", "InnoDB"})
  void rowsConsumedDuringTheCopyStopTheConversionBeforeTheSwap(String engine) throws Exception {
    db.exec(JOBS_DDL + engine);
    fillJobs(1000);
    TableConverter.Progress consumer =
        new TableConverter.Progress() {
          @Override
          public void stepStarted(ConversionPlan.Step step) {
            if (step.action() == Action.MARK) {
              // A consumer that was not stopped takes the head row and a producer adds one, so
              // the row count alone would not notice. MyISAM even puts the new row into the
              // deleted row's place, so positions do not shift either: only the content differs.
              try {
                db.exec(
                    "DELETE FROM jobs LIMIT 1",
                    "INSERT INTO jobs (job_type, n) VALUES ('late', 1)");
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            }
          }
        };
    List<List<Object>> tables = rows("SHOW TABLES");

    assertThatThrownBy(() -> convert(TableConverter.Options.defaults(), consumer))
        .isInstanceOfSatisfying(
            ConversionException.class, e -> assertThat(e.state()).isEqualTo(TableState.UNCHANGED))
        .hasMessageContaining("the copied rows differ from the source's")
        .hasMessageContaining("Nothing was swapped")
        .hasMessageContaining("Dropped what this run created");

    assertThat(engineOf("jobs")).isEqualTo(engine);
    assertThat(rows("SELECT COUNT(*) FROM jobs").get(0).get(0)).isEqualTo(1000L);
    assertThat(rows("SHOW TABLES")).isEqualTo(tables);
  }

  @Test
  void failureWhileTheRenameWaitsLeavesTheSourceUnchanged() throws Exception {
    db.exec(JOBS_DDL + "InnoDB");
    fillJobs(200);
    List<List<Object>> before = rows("SELECT * FROM jobs");
    TableConverter.Progress failing =
        new TableConverter.Progress() {
          @Override
          public void stepStarted(ConversionPlan.Step step) {
            if (step.action() == Action.DROP_PLACEHOLDER) {
              // The RENAME is queued behind the lock; the placeholder must make it fail.
              throw new IllegalStateException("simulated crash before the placeholder is dropped");
            }
          }
        };

    assertThatThrownBy(() -> convert(TableConverter.Options.defaults(), failing))
        .isInstanceOfSatisfying(
            ConversionException.class, e -> assertThat(e.state()).isEqualTo(TableState.UNCHANGED))
        .hasMessageContaining("simulated crash")
        .hasMessageContaining("Nothing was swapped");

    assertThat(rows("SHOW TABLES")).containsExactly(List.of("jobs"));
    assertThat(rows("SELECT * FROM jobs")).isEqualTo(before);
    assertThat(columnFacts("jobs", "q4m_rowid")).isEmpty();
  }

  @Test
  void failureAfterTheSwapSaysHowToFinishByHand() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    fillJobs(50);
    TableConverter.Progress failing =
        new TableConverter.Progress() {
          @Override
          public void stepStarted(ConversionPlan.Step step) {
            if (step.action() == Action.CATCH_UP) {
              throw new IllegalStateException("simulated failure after the swap");
            }
          }
        };

    assertThatThrownBy(() -> convert(TableConverter.Options.defaults(), failing))
        .isInstanceOfSatisfying(
            ConversionException.class, e -> assertThat(e.state()).isEqualTo(TableState.SWAPPED))
        .hasMessageContaining("the swap happened")
        .hasMessageContaining(
            "FROM `" + db.name() + "`.`jobs__q4m_old` LIMIT 50, 18446744073709551615");

    assertThat(engineOf("jobs")).isEqualTo("InnoDB");
    assertThat(rows("SELECT COUNT(*) FROM jobs").get(0).get(0)).isEqualTo(50L);
    assertThat(rows("SELECT COUNT(*) FROM jobs__q4m_old").get(0).get(0)).isEqualTo(50L);
  }

  @Test
  void keyedSourceIsCopiedInKeyOrderInBatchesAndKeepsItsUniqueness() throws Exception {
    db.exec(
        "CREATE TABLE keyed (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(20) NOT NULL) ENGINE=InnoDB");
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= 1000; i++) {
      ids.add(i * 7919 % 100_003);
    }
    try (Connection c = db.connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO keyed VALUES (?, ?)")) {
      for (long id : ids) {
        ps.setLong(1, id);
        ps.setString(2, "v" + id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    TableRef keyed = new TableRef(db.name(), "keyed");
    RecordingProgress progress = new RecordingProgress();

    ConversionResult result;
    try (Connection c = db.connect()) {
      ConversionPlan plan =
          converter.plan(c, keyed, TableConverter.Options.defaults().withBatchRows(300));
      result = converter.run(db.connections(), plan, progress);
    }

    assertThat(result.rowsCopied()).isEqualTo(1000);
    assertThat(progress.copied).contains(300L, 600L, 900L, 1000L);
    List<Object> inRowIdOrder =
        rows("SELECT id FROM keyed ORDER BY q4m_rowid").stream().map(r -> r.get(0)).toList();
    assertThat(inRowIdOrder).hasSize(1000);
    assertThat(inRowIdOrder.stream().map(o -> (Long) o).toList()).isSorted();
    assertThatThrownBy(
            () -> db.exec("INSERT INTO keyed (id, v) VALUES (" + ids.get(0) + ", 'dup')"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Duplicate entry");
  }

  @Test
  void keepOldFalseDropsTheOriginalOnceEveryRowIsCopied() throws Exception {
    db.exec(JOBS_DDL + "MyISAM");
    fillJobs(20);

    ConversionResult result =
        convert(TableConverter.Options.defaults().withKeepOld(false), TableConverter.Progress.NONE);

    assertThat(result.oldKept()).isFalse();
    assertThat(rows("SHOW TABLES")).containsExactly(List.of("jobs"));
    assertThat(rows("SELECT COUNT(*) FROM jobs").get(0).get(0)).isEqualTo(20L);
  }

  // ---------------------------------------------------------------------------------------------

  private ConversionResult convert(TableConverter.Options options, TableConverter.Progress progress)
      throws Exception {
    ConversionPlan plan;
    try (Connection c = db.connect()) {
      plan = converter.plan(c, jobs, options);
    }
    return converter.run(db.connections(), plan, progress);
  }

  /** Rows with NULLs, multibyte text, explicit and default timestamps. */
  private static void fillJobs(int count) throws SQLException {
    try (Connection c = db.connections().open();
        PreparedStatement explicit =
            c.prepareStatement(
                "INSERT INTO jobs (job_type, payload, created_at, n) VALUES (?, ?, ?, ?)");
        PreparedStatement defaulted =
            c.prepareStatement("INSERT INTO jobs (job_type, payload, n) VALUES (?, ?, ?)")) {
      LocalDateTime t0 = LocalDateTime.parse("2023-05-06T07:08:09.123");
      for (int i = 0; i < count; i++) {
        String payload = i % 10 == 3 ? null : "héllo 日本語 🎉 #" + i + "x".repeat(i % 50);
        Long n = i % 13 == 5 ? null : (long) i + 4_000_000_000L;
        PreparedStatement ps = i % 4 == 0 ? defaulted : explicit;
        ps.setString(1, "type-" + (i % 7));
        ps.setString(2, payload);
        if (ps == explicit) {
          ps.setObject(3, t0.plusNanos(1_000_000L * i));
          ps.setObject(4, n);
        } else {
          ps.setObject(3, n);
        }
        ps.addBatch();
      }
      explicit.executeBatch();
      defaulted.executeBatch();
    }
  }

  private static List<List<Object>> rows(String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<String> columnNamesOfSelectStar(String table) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        names.add(rs.getMetaData().getColumnName(i));
      }
    }
    return names;
  }

  private static String engineOf(String table) throws SQLException {
    return (String)
        rows("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + db.name()
                + "' AND TABLE_NAME = '"
                + table
                + "'")
            .get(0)
            .get(0);
  }

  /** COLUMN_TYPE, COLUMN_KEY and EXTRA of a column, or empty when it does not exist. */
  private static String columnFacts(String table, String column) throws SQLException {
    List<List<Object>> r =
        rows(
            "SELECT CONCAT_WS(' ', COLUMN_TYPE, COLUMN_KEY, EXTRA) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = '"
                + db.name()
                + "' AND TABLE_NAME = '"
                + table
                + "' AND COLUMN_NAME = '"
                + column
                + "'");
    return r.isEmpty() ? "" : (String) r.get(0).get(0);
  }

  /** Producer inserts of this test database waiting for a metadata lock. */
  private static long waitingInserts() throws SQLException {
    return (Long)
        rows("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = '"
                + db.name()
                + "' AND STATE LIKE '%metadata lock%' AND INFO LIKE 'INSERT INTO jobs%'")
            .get(0)
            .get(0);
  }

  private static String showCreate(String table) throws SQLException {
    return (String) rows("SHOW CREATE TABLE " + table).get(0).get(1);
  }

  private static List<Action> allActions(ConversionResult result) {
    List<Action> all = new ArrayList<>(List.of(Action.values()));
    all.remove(Action.DROP_OLD);
    return result.oldKept() ? all : List.of(Action.values());
  }

  private static final class RecordingProgress implements TableConverter.Progress {
    final List<Action> actions = new CopyOnWriteArrayList<>();
    final List<Long> copied = new CopyOnWriteArrayList<>();

    @Override
    public void stepStarted(ConversionPlan.Step step) {
      actions.add(step.action());
    }

    @Override
    public void rowsCopied(long rows, long total) {
      copied.add(rows);
    }
  }

  /**
   * Producer threads, each on its own connection, inserting rows with unique numbers through plain
   * autocommit INSERTs, as legacy producers do. Any error is recorded (the conversion should cause
   * none, not even a momentary "table doesn't exist").
   */
  private static final class Producers {
    final ConcurrentLinkedQueue<Long> inserted = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final int count;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong total = new AtomicLong();
    private final ExecutorService threads;
    private final List<Future<?>> running = new ArrayList<>();

    Producers(int count) {
      this.count = count;
      this.threads = Executors.newFixedThreadPool(count);
    }

    void start() {
      AtomicInteger ids = new AtomicInteger();
      for (int p = 0; p < count; p++) {
        int producer = ids.incrementAndGet();
        running.add(
            threads.submit(
                () -> {
                  try (Connection c = db.connect();
                      PreparedStatement ps =
                          c.prepareStatement("INSERT INTO jobs (job_type, n) VALUES (?, ?)")) {
                    for (long seq = 1; !stop.get(); seq++) {
                      long n = producer * 1_000_000L + seq;
                      ps.setString(1, "p" + producer);
                      ps.setLong(2, n);
                      try {
                        ps.executeUpdate();
                        inserted.add(n);
                        total.incrementAndGet();
                      } catch (SQLException e) {
                        errors.add(n + ": " + e.getErrorCode() + " " + e.getMessage());
                      }
                    }
                  }
                  return null;
                }));
      }
    }

    /** Waits until the producers inserted {@code rows} more rows. */
    void awaitMore(long rows) {
      long target = total.get() + rows;
      await().atMost(Duration.ofSeconds(30)).until(() -> total.get() >= target);
    }

    void stop() throws Exception {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      threads.shutdownNow();
    }
  }
}
