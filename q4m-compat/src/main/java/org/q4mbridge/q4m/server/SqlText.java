package org.q4mbridge.q4m.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little the endpoint itself needs to know about statement text: where a multi-statement string
 * splits, and the few statements it handles instead of the backend ({@code KILL} of an endpoint
 * connection, {@code COMMIT}/{@code ROLLBACK}). Everything else — including all Q4M semantics — is
 * the shim's business. Text is the client's bytes read as ISO-8859-1, so this works for every
 * ASCII-compatible character set. Stateless and thread-safe.
 */
final class SqlText {
  private SqlText() {}

  /** {@code KILL [CONNECTION|QUERY] <id>} of an endpoint connection. */
  record Kill(boolean queryOnly, long connectionId) {}

  private static final Pattern KILL =
      Pattern.compile(
          "\\s*KILL\\s+(?:(?:HARD|SOFT)\\s+)?(?:(CONNECTION|QUERY)\\s+)?(\\d{1,18})\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern TRANSACTION_END =
      Pattern.compile("\\s*(COMMIT|ROLLBACK)(?:\\s+WORK)?\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

  private static final Pattern SET_AUTOCOMMIT =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+|@@SESSION\\.|@@LOCAL\\.|LOCAL\\s+|@@)?autocommit\\s*:?=\\s*"
              + "(0|1|ON|OFF|TRUE|FALSE)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern QUEUE_FUNCTION =
      Pattern.compile(
          "\\b(queue_(?:wait|end|abort|rowid|set_srcid|stats|compact))\\s*\\(",
          Pattern.CASE_INSENSITIVE);

  private static final Pattern CHARSET_SET =
      Pattern.compile(
          "\\s*SET\\s.*\\b(NAMES|CHARACTER|CHARSET|character_set_results)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern COMPOUND_CREATE =
      Pattern.compile(
          "\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:DEFINER\\s*=\\s*\\S+\\s+)?"
              + "(?:AGGREGATE\\s+)?(?:PROCEDURE|FUNCTION|TRIGGER|EVENT|PACKAGE)\\b.*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern BEGIN_NOT_ATOMIC =
      Pattern.compile(
          "\\s*(?:\\w+\\s*:\\s*)?BEGIN\\s+NOT\\s+ATOMIC\\b.*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  static Kill kill(String sql) {
    if (sql.length() > 80) {
      return null;
    }
    Matcher m = KILL.matcher(sql);
    if (!m.matches()) {
      return null;
    }
    return new Kill(
        m.group(1) != null && m.group(1).equalsIgnoreCase("QUERY"), Long.parseLong(m.group(2)));
  }

  /**
   * {@code COMMIT} or {@code ROLLBACK} (plain, with optional {@code WORK}): {@code "commit"},
   * {@code "rollback"} or {@code null}. The endpoint runs them through the JDBC methods so the shim
   * hears of them (a commit wakes its local waiters at once).
   */
  static String transactionEnd(String sql) {
    if (sql.length() > 40) {
      return null;
    }
    Matcher m = TRANSACTION_END.matcher(sql);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /**
   * {@code SET autocommit = 0|1|ON|OFF} on its own: the value, else {@code null}. The endpoint runs
   * it through {@link java.sql.Connection#setAutoCommit} so the backend driver knows the mode (it
   * refuses commit() and rollback() in a mode it believes is auto-commit).
   */
  static Boolean setAutocommit(String sql) {
    if (sql.length() > 60) {
      return null;
    }
    Matcher m = SET_AUTOCOMMIT.matcher(sql);
    if (!m.matches()) {
      return null;
    }
    String v = m.group(1).toUpperCase(Locale.ROOT);
    return v.equals("1") || v.equals("ON") || v.equals("TRUE");
  }

  /** True for a SET statement that may change the session's result character set. */
  static boolean mayChangeCharset(String sql) {
    int i = 0;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    if (!sql.regionMatches(true, i, "SET", 0, 3)) {
      return false;
    }
    return CHARSET_SET.matcher(sql).lookingAt();
  }

  /** The Q4M functions a statement calls, lower case, in text order (for statistics only). */
  static List<String> queueFunctions(String sql) {
    if (!containsIgnoreCase(sql, "queue_")) {
      return List.of();
    }
    List<String> out = new ArrayList<>(1);
    Matcher m = QUEUE_FUNCTION.matcher(sql);
    while (m.find()) {
      out.add(m.group(1).toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static boolean containsIgnoreCase(String s, String needle) {
    int n = needle.length();
    for (int i = 0; i + n <= s.length(); i++) {
      if (s.regionMatches(true, i, needle, 0, n)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Splits a multi-statement string at the semicolons outside strings, quoted identifiers and
   * comments, so every statement reaches the shim on its own and keeps its Q4M meaning. Stored
   * program definitions ({@code CREATE PROCEDURE … BEGIN …; …; END}) and anonymous blocks have
   * semicolons inside: they are never split. A single statement, with or without a trailing
   * semicolon, comes back unchanged.
   *
   * @return the statements, at least one
   */
  static List<String> split(String sql) {
    if (sql.indexOf(';') < 0
        || COMPOUND_CREATE.matcher(sql).matches()
        || BEGIN_NOT_ATOMIC.matcher(sql).matches()) {
      return List.of(sql);
    }
    List<String> out = new ArrayList<>();
    int n = sql.length();
    int start = 0;
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = quotedEnd(sql, i, c);
      } else if (c == '#' || (c == '-' && sql.startsWith("--", i) && dashComment(sql, i))) {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == ';') {
        addStatement(out, sql.substring(start, i));
        start = i + 1;
        i++;
      } else {
        i++;
      }
    }
    addStatement(out, sql.substring(start));
    if (out.size() <= 1) {
      return List.of(sql);
    }
    return out;
  }

  private static void addStatement(List<String> out, String s) {
    if (!isBlankOrComment(s)) {
      out.add(s.strip());
    }
  }

  /** True when only whitespace and comments remain (nothing for the server to run). */
  private static boolean isBlankOrComment(String s) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#' || (c == '-' && s.startsWith("--", i) && dashComment(s, i))) {
        int nl = s.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && s.startsWith("/*", i) && !s.startsWith("/*!", i)) {
        int close = s.indexOf("*/", i + 2);
        if (close < 0) {
          return false;
        }
        i = close + 2;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean dashComment(String s, int i) {
    return i + 2 >= s.length() || Character.isWhitespace(s.charAt(i + 2));
  }

  /** Offset after the closing quote (or the end of the text when it never closes). */
  private static int quotedEnd(String s, int start, char quote) {
    int n = s.length();
    int j = start + 1;
    while (j < n) {
      char d = s.charAt(j);
      if (d == '\\' && quote != '`') {
        j += 2;
      } else if (d == quote) {
        if (j + 1 < n && s.charAt(j + 1) == quote) {
          j += 2;
        } else {
          return j + 1;
        }
      } else {
        j++;
      }
    }
    return n;
  }
}
