package org.q4mbridge.q4m.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.DeadLetterTable;
import org.q4mbridge.q4m.EpochTracker;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.Subscription;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.testing.TestDatabase;

/**
 * The native backend speaks only Q4M's SQL functions; here it runs unchanged through the jdbc:q4m:
 * shim against InnoDB queues (DESIGN.md §3.4), which gives it Q4M's semantics without a QUEUE
 * engine.
 */
class NativeQueueSourceIT {
  private static TestDatabase db;

  @BeforeAll
  static void create() throws Exception {
    db = TestDatabase.create("native");
    db.applyBridgeSchema();
  }

  @AfterAll
  static void drop() throws Exception {
    db.close();
  }

  @BeforeEach
  void tables() throws Exception {
    db.exec(
        "DROP TABLE IF EXISTS hi",
        "DROP TABLE IF EXISTS lo",
        "DELETE FROM q4m_dead_letter",
        "CREATE TABLE hi (v INT NOT NULL, q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE"
            + " PRIMARY KEY) ENGINE=InnoDB",
        "CREATE TABLE lo LIKE hi");
  }

  private ConnectionFactory shim() {
    return ConnectionFactory.jdbc(db.shimUrl(), TestDatabase.USER, TestDatabase.PASSWORD, null);
  }

  private NativeQueueSource open(boolean whereForm, Subscription... subs)
      throws QueueSourceException {
    return NativeQueueSource.open(
        new NativeQueueSource.Options(
            shim(),
            List.of(subs),
            whereForm,
            new DeadLetterTable(new TableRef(db.name(), "q4m_dead_letter")),
            EpochTracker.registry(EpochTracker.Store.inMemory()),
            Duration.ofSeconds(1)));
  }

  private Subscription sub(String table, String cond) {
    return new Subscription(new TableRef(db.name(), table), cond);
  }

  private List<Integer> left(String table) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT v FROM " + table + " ORDER BY q4m_rowid")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  @Test
  void ownsOneRowAtATimeAcksWithQueueEndAndReleasesWithQueueAbort() throws Exception {
    db.exec("INSERT INTO hi VALUES (1), (2), (3)");
    try (NativeQueueSource s = open(false, sub("hi", null))) {
      Claim first = s.poll(100, Duration.ofSeconds(2));
      assertThat(first.rows())
          .singleElement()
          .satisfies(r -> assertThat(r.value("v")).isEqualTo(1));
      assertThat(first.rows().get(0).messageKey()).isEqualTo(db.name() + ".hi:0:1");
      first.releaseAll();
      Claim again = s.poll(100, Duration.ofSeconds(2));
      assertThat(again.rows().get(0).rowId()).as("aborted row comes back first").isEqualTo(1);
      again.settle(List.of(1L), List.of());
      Claim next = s.poll(1, Duration.ofSeconds(2));
      next.settle(List.of(), List.of(new DeadLetter(next.rows().get(0).rowId(), "poison", 1, 0)));
    }
    assertThat(left("hi")).containsExactly(3);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT row_id, reason FROM q4m_dead_letter")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(2);
      assertThat(rs.getString(2)).isEqualTo("poison");
    }
  }

  @Test
  void severalTablesArePolledInPriorityOrderWithConditions() throws Exception {
    db.exec("INSERT INTO lo VALUES (10), (11)", "INSERT INTO hi VALUES (1), (2), (3)");
    List<Integer> got = new ArrayList<>();
    try (NativeQueueSource s = open(false, sub("hi", "v % 2 = 1"), sub("lo", null))) {
      for (int i = 0; i < 4; i++) {
        Claim c = s.poll(1, Duration.ofSeconds(2));
        got.add((Integer) c.rows().get(0).value("v"));
        c.settle(List.of(c.rows().get(0).rowId()), List.of());
      }
      assertThat(s.poll(1, Duration.ZERO).isEmpty()).isTrue();
    }
    assertThat(got).containsExactly(1, 3, 10, 11);
    assertThat(left("hi")).containsExactly(2);
  }

  @Test
  void theWhereFormOfOldMysqlWorksToo() throws Exception {
    db.exec("INSERT INTO hi VALUES (7)");
    try (NativeQueueSource s = open(true, sub("hi", null))) {
      Claim c = s.poll(1, Duration.ofSeconds(2));
      assertThat(c.rows()).singleElement().satisfies(r -> assertThat(r.value("v")).isEqualTo(7));
      c.settle(List.of(c.rows().get(0).rowId()), List.of());
    }
    assertThat(left("hi")).isEmpty();
  }

  @Test
  void aNullFromQueueWaitIsAnErrorNamingTheArguments() throws Exception {
    try (NativeQueueSource s = open(false, sub("no_such_table", null))) {
      assertThatThrownBy(() -> s.poll(1, Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(
              QueueSourceException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNKNOWN_TABLE))
          .hasMessageContaining("no_such_table")
          .hasMessageContaining("returned NULL");
    }
  }

  @Test
  void closingWhileOwningGivesTheRowBack() throws Exception {
    db.exec("INSERT INTO hi VALUES (5)");
    NativeQueueSource s = open(false, sub("hi", null));
    Claim c = s.poll(1, Duration.ofSeconds(2));
    assertThat(c.rows()).hasSize(1);
    s.close();
    try (NativeQueueSource other = open(false, sub("hi", null))) {
      Claim again = other.poll(1, Duration.ofSeconds(2));
      assertThat(again.rows())
          .singleElement()
          .satisfies(r -> assertThat(r.value("v")).isEqualTo(5));
      again.close();
    }
  }
}
