package org.q4mbridge.q4m;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.q4mbridge.q4m.QueueSourceException.Kind;

/** Classifies server errors by SQLState and vendor code, the way HikariCP evicts connections. */
public final class SqlErrors {
  private SqlErrors() {}

  /** True when the connection that raised {@code e} cannot be used again. */
  public static boolean connectionBroken(SQLException e) {
    // A batch failure (BatchUpdateException) carries the real cause underneath.
    for (Throwable t = e.getCause(); t != null && t != e; t = t.getCause()) {
      if (t instanceof SQLException inner && directlyBroken(inner)) {
        return true;
      }
    }
    SQLException next = e.getNextException();
    return directlyBroken(e) || (next != null && next != e && directlyBroken(next));
  }

  private static boolean directlyBroken(SQLException e) {
    if (e instanceof SQLRecoverableException
        || e instanceof SQLNonTransientConnectionException
        || e instanceof SQLTransientConnectionException) {
      return true;
    }
    String state = e.getSQLState();
    // 08xxx: connection exceptions. 1927 / 1053: connection killed / server shutdown in progress.
    return (state != null && state.startsWith("08"))
        || e.getErrorCode() == 1927
        || e.getErrorCode() == 1053
        || e.getErrorCode() == 2006
        || e.getErrorCode() == 2013;
  }

  /** True for "table doesn't exist" (1146) and "unknown database" (1049). */
  public static boolean unknownTable(SQLException e) {
    return e.getErrorCode() == 1146 || e.getErrorCode() == 1049 || "42S02".equals(e.getSQLState());
  }

  /** True for access-denied errors (1044, 1045, 1142, 1143, 1227, 1370). */
  public static boolean privilege(SQLException e) {
    return switch (e.getErrorCode()) {
      case 1044, 1045, 1142, 1143, 1227, 1370 -> true;
      default -> false;
    };
  }

  /** True for lock wait timeout (1205) and deadlock (1213): the transaction may be retried. */
  public static boolean lockConflict(SQLException e) {
    return e.getErrorCode() == 1205 || e.getErrorCode() == 1213;
  }

  /**
   * True when {@code e} says the connection broke, or {@code c} (the connection that raised it) is
   * closed already — the driver then reports only a secondary error such as "statement closed".
   */
  public static boolean connectionBroken(SQLException e, java.sql.Connection c) {
    if (connectionBroken(e)) {
      return true;
    }
    try {
      return c != null && c.isClosed();
    } catch (SQLException ignored) {
      return true;
    }
  }

  /** Wraps {@code e} with {@code context} (what was being done, on which table) and its kind. */
  public static QueueSourceException wrap(String context, SQLException e) {
    return wrap(context, e, connectionBroken(e));
  }

  /** Like {@link #wrap(String, SQLException)}, also checking whether {@code c} is closed. */
  public static QueueSourceException wrap(String context, SQLException e, java.sql.Connection c) {
    return wrap(context, e, connectionBroken(e, c));
  }

  private static QueueSourceException wrap(String context, SQLException e, boolean broken) {
    Kind kind;
    String what;
    if (broken) {
      kind = Kind.CONNECTION_LOST;
      what = "connection lost";
    } else if (unknownTable(e)) {
      kind = Kind.UNKNOWN_TABLE;
      what = "table not found";
    } else if (privilege(e)) {
      kind = Kind.PRIVILEGE;
      what = "missing privilege";
    } else {
      kind = Kind.SERVER;
      what = "server error";
    }
    return new QueueSourceException(
        kind,
        context
            + ": "
            + what
            + " ("
            + e.getErrorCode()
            + "/"
            + e.getSQLState()
            + "): "
            + firstLine(e.getMessage()),
        e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
