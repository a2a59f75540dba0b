package org.q4mbridge.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.q4mbridge.compare.CorrelationKeys.KeyColumn;
import org.q4mbridge.compare.CorrelationKeys.Kind;

/**
 * The Java and SQL forms of the correlation key agree on the same rows of a real MariaDB table:
 * NULLs, negative numbers, decimals of several scales, multibyte text in utf8mb4 and latin1
 * columns, binary values, temporal values with fractions, TIMESTAMPs read in another session zone.
 */
class CorrelationKeysIT {
  private static TestDatabase db;

  @BeforeAll
  static void createTable() throws Exception {
    db = TestDatabase.create("compare_keys");
    db.exec(
        """
        CREATE TABLE jobs (
          id BIGINT NOT NULL PRIMARY KEY,
          small TINYINT NULL,
          big BIGINT UNSIGNED NULL,
          padded INT(6) ZEROFILL NULL,
          amount DECIMAL(12,3) NULL,
          whole DECIMAL(10,0) NULL,
          title VARCHAR(100) NULL,
          note_latin1 VARCHAR(50) CHARACTER SET latin1 NULL,
          body TEXT NULL,
          kind ENUM('email','invoice') NULL,
          blob_val VARBINARY(20) NULL,
          due DATE NULL,
          at_dt DATETIME(6) NULL,
          dur TIME(2) NULL,
          ts TIMESTAMP(3) NULL
        )""",
        "INSERT INTO jobs (id) VALUES (1)",
        """
        INSERT INTO jobs VALUES (2, -128, 18446744073709551615, 42, -12.500, -100, '', 'é',
          'N', 'email', x'00ff10', '2024-02-29', '2024-01-02 03:04:05.500000', '-12:00:01.50',
          '2024-01-02 03:04:05.120')""",
        """
        INSERT INTO jobs VALUES (3, 0, 0, 0, 0.000, 0, '日本語のジョブ 🎉', 'naïve café',
          'line1\\nline2;x=y\\tz', 'invoice', x'', '1999-12-31', '2024-01-02 03:04:05',
          '00:00:00', '2038-01-19 03:14:07.999')""",
        """
        INSERT INTO jobs VALUES (4, 127, 1, 999999, 123456789.100, 12345, 'it''s \\\\ back',
          NULL, NULL, NULL, NULL, NULL, '2024-06-30 23:59:59.000001', '838:59:59', NULL)""",
        """
        INSERT INTO jobs VALUES (5, -1, 10, 1, -0.001, -1, 'Ünïcödé ✓ Ελληνικά Кириллица',
          'Zürich', REPEAT('ü', 300), 'email', x'7f80', '2000-01-01', '2000-01-01 00:00:00.100000',
          '-00:00:00.01', '1970-01-01 00:00:01.000')""");
  }

  @AfterAll
  static void drop() throws Exception {
    db.close();
  }

  @Test
  void javaAndSqlFormsAgreeOnEveryRow() throws Exception {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      List<KeyColumn> columns = keyColumns(st);
      List<String> sqlKeys = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT " + CorrelationKeys.sql(columns, "j") + " FROM jobs j ORDER BY id")) {
        while (rs.next()) {
          sqlKeys.add(rs.getString(1));
        }
      }
      List<String> javaKeys = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT * FROM jobs ORDER BY id")) {
        while (rs.next()) {
          javaKeys.add(CorrelationKeys.of(columns, values(rs, columns)));
        }
      }
      assertThat(javaKeys).hasSize(5).doesNotHaveDuplicates();
      assertThat(sqlKeys).containsExactlyElementsOf(javaKeys);
    }
  }

  @Test
  void keysDoNotDependOnTheSessionTimeZone() throws Exception {
    List<KeyColumn> columns;
    List<String> utc = new ArrayList<>();
    List<String> tokyo = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      columns = keyColumns(st);
      String sql = "SELECT " + CorrelationKeys.sql(columns, null) + " FROM jobs ORDER BY id";
      st.execute("SET time_zone = '+00:00'");
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          utc.add(rs.getString(1));
        }
      }
      st.execute("SET time_zone = '+09:00'");
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          tokyo.add(rs.getString(1));
        }
      }
    }
    assertThat(tokyo).containsExactlyElementsOf(utc);
  }

  @Test
  void businessKeysAgreeBetweenJavaAndSql() throws Exception {
    KeyColumn amount = new KeyColumn("amount", Kind.DECIMAL);
    KeyColumn title = new KeyColumn("title", Kind.TEXT);
    KeyColumn big = new KeyColumn("big", Kind.INTEGER);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT amount, title, big, "
                    + CorrelationKeys.businessKeySql(amount, null)
                    + ", "
                    + CorrelationKeys.businessKeySql(title, null)
                    + ", "
                    + CorrelationKeys.businessKeySql(big, null)
                    + " FROM jobs WHERE id > 1 ORDER BY id")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertThat(rs.getString(4))
            .isEqualTo(CorrelationKeys.businessKey(amount, rs.getBigDecimal(1)));
        assertThat(rs.getString(5)).isEqualTo(CorrelationKeys.businessKey(title, rs.getString(2)));
        assertThat(rs.getString(6)).isEqualTo(CorrelationKeys.businessKey(big, rs.getObject(3)));
      }
      assertThat(rows).isEqualTo(4);
    }
  }

  private static List<KeyColumn> keyColumns(Statement st) throws Exception {
    List<KeyColumn> columns = new ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'jobs' ORDER BY ORDINAL_POSITION")) {
      while (rs.next()) {
        columns.add(KeyColumn.of(rs.getString(1), rs.getString(2)));
      }
    }
    return columns;
  }

  // Values as a Java worker would read them: JDBC's own types where they are exact, the server's
  // text where java.sql types cannot hold the value (TIME beyond 24 h or negative).
  private static List<Object> values(ResultSet rs, List<KeyColumn> columns) throws Exception {
    ResultSetMetaData md = rs.getMetaData();
    List<Object> values = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      Kind kind = columns.get(i - 1).kind();
      Object v =
          switch (kind) {
            case TEMPORAL ->
                md.getColumnTypeName(i).startsWith("DATETIME")
                    ? rs.getObject(i, LocalDateTime.class)
                    : rs.getString(i);
            case TIMESTAMP -> rs.getTimestamp(i);
            default -> rs.getObject(i);
          };
      values.add(v);
    }
    return values;
  }
}
