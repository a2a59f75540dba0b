package org.q4mbridge.q4m.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.emulated.EmulatedTable;

/**
 * The shim's own connection properties, read from the URL's query string or the {@link Properties}
 * given to the driver (the properties win). Connector/J ignores them.
 *
 * @param rowIdColumn {@value #ROW_ID_COLUMN}: the column that makes an InnoDB table a queue table
 *     and orders it (default {@code q4m_rowid})
 * @param minPoll {@value #POLL_MIN_MILLIS}: the first pause of {@code queue_wait} between two looks
 *     at its tables (default 2 ms)
 * @param maxPoll {@value #POLL_MAX_MILLIS}: the longest pause while idle, which bounds the latency
 *     of a row inserted by another process (default 100 ms; inserts through a shim connection of
 *     the same JVM wake waiters at once)
 */
record ShimOptions(String rowIdColumn, Duration minPoll, Duration maxPoll) {
  static final String ROW_ID_COLUMN = "q4mRowIdColumn";
  static final String POLL_MIN_MILLIS = "q4mPollMinMillis";
  static final String POLL_MAX_MILLIS = "q4mPollMaxMillis";

  static ShimOptions from(String url, Properties info) throws SQLException {
    Properties merged = new Properties();
    int q = url.indexOf('?');
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          merged.setProperty(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        merged.setProperty(name, info.getProperty(name));
      }
    }
    String rowId = merged.getProperty(ROW_ID_COLUMN, EmulatedTable.DEFAULT_ROW_ID_COLUMN);
    if (!Identifiers.isValid(rowId)) {
      throw invalid(
          ROW_ID_COLUMN, rowId, "a column name of 1-64 characters of A-Z, a-z, 0-9, _ or $");
    }
    long min = millis(merged, POLL_MIN_MILLIS, 2);
    long max = millis(merged, POLL_MAX_MILLIS, 100);
    if (min < 1 || max < min) {
      throw invalid(
          POLL_MIN_MILLIS + "/" + POLL_MAX_MILLIS,
          min + "/" + max,
          "1 <= " + POLL_MIN_MILLIS + " <= " + POLL_MAX_MILLIS);
    }
    return new ShimOptions(rowId, Duration.ofMillis(min), Duration.ofMillis(max));
  }

  private static long millis(Properties p, String name, long dflt) throws SQLException {
    String v = p.getProperty(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw invalid(name, v, "a whole number of milliseconds");
    }
  }

  private static SQLException invalid(String name, String value, String expected) {
    return new SQLException(
        "invalid q4m shim property " + name + "='" + value + "': expected " + expected, "HY024");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
