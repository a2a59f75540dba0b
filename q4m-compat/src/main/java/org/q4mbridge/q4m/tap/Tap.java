package org.q4mbridge.q4m.tap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;

/**
 * The tap (DESIGN.md §6.1): dual-write without touching producers or legacy workers. An {@code
 * AFTER INSERT} trigger on the legacy table copies every row into a twin table {@code <table>__tap}
 * (same definition: QUEUE engine for a native queue, InnoDB with the invisible row id for an
 * emulated one) that only the bridge consumes. Legacy workers keep consuming the original rows.
 *
 * <p>The DDL is generated from the live table's columns (INFORMATION_SCHEMA), printed for review by
 * {@link #plan}, and applied idempotently by {@link #install} / {@link #remove}.
 */
public final class Tap {
  /** Suffix of the twin table. */
  public static final String TABLE_SUFFIX = "__tap";

  /** Suffix of the trigger. */
  public static final String TRIGGER_SUFFIX = "__q4m_tap";

  private final TableRef table;
  private final TableRef twin;
  private final String trigger;

  public Tap(TableRef table) {
    this.table = table;
    this.twin = new TableRef(table.schema(), table.table() + TABLE_SUFFIX);
    this.trigger = Identifiers.require(table.table() + TRIGGER_SUFFIX, "trigger name");
  }

  public TableRef table() {
    return table;
  }

  /** {@code <table>__tap}. */
  public TableRef twin() {
    return twin;
  }

  /** A statement of the plan, with the reason it is there. */
  public record Step(String comment, String sql) {}

  /**
   * The statements that install the tap, for review; nothing is changed.
   *
   * @throws SQLException when the table cannot be read (the message names it)
   */
  public List<Step> plan(Connection c) throws SQLException {
    List<String> cols = insertableColumns(c);
    if (cols.isEmpty()) {
      throw new SQLException(
          "table '" + table.table() + "' does not exist in database '" + table.schema() + "'",
          "42S02",
          1146);
    }
    StringBuilder names = new StringBuilder();
    StringBuilder news = new StringBuilder();
    for (String col : cols) {
      names.append(names.length() == 0 ? "" : ", ").append(Identifiers.quote(col));
      news.append(news.length() == 0 ? "NEW." : ", NEW.").append(Identifiers.quote(col));
    }
    List<Step> steps = new ArrayList<>();
    steps.add(
        new Step(
            "the twin table only the bridge consumes (same definition and engine as the table)",
            "CREATE TABLE IF NOT EXISTS " + twin.quoted() + " LIKE " + table.quoted()));
    steps.add(
        new Step(
            "copy every new row into the twin; producers and legacy workers are untouched",
            "CREATE TRIGGER "
                + triggerQuoted()
                + " AFTER INSERT ON "
                + table.quoted()
                + " FOR EACH ROW INSERT INTO "
                + twin.quoted()
                + " ("
                + names
                + ") VALUES ("
                + news
                + ")"));
    return steps;
  }

  private String triggerQuoted() {
    return Identifiers.quote(table.schema()) + "." + Identifiers.quote(trigger);
  }

  /** The plan as a script a DBA can read and run. */
  public String planSql(Connection c) throws SQLException {
    StringBuilder sb = new StringBuilder("-- q4m-bridge tap for " + table + "\n");
    for (Step s : plan(c)) {
      sb.append("-- ").append(s.comment()).append('\n').append(s.sql()).append(";\n");
    }
    return sb.toString();
  }

  /** True when the trigger exists. */
  public boolean installed(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, trigger);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** True when the twin table exists. */
  public boolean twinExists(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, twin.schema());
      ps.setString(2, twin.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Creates the twin and the trigger unless they exist. Idempotent.
   *
   * @return true when something was created
   * @throws SQLException with a message naming the GRANT needed when a privilege is missing
   */
  public boolean install(Connection c) throws SQLException {
    boolean changed = false;
    List<Step> steps = plan(c);
    try (Statement st = c.createStatement()) {
      if (!twinExists(c)) {
        st.execute(steps.get(0).sql());
        changed = true;
      }
      if (!installed(c)) {
        st.execute(steps.get(1).sql());
        changed = true;
      }
    } catch (SQLException e) {
      throw explain(e, "install");
    }
    return changed;
  }

  /** Drops the trigger only: no more copies; the twin keeps what it has. Idempotent. */
  public void stop(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER IF EXISTS " + triggerQuoted());
    } catch (SQLException e) {
      throw explain(e, "remove");
    }
  }

  /** Drops the trigger and the twin table. Idempotent. */
  public void remove(Connection c) throws SQLException {
    stop(c);
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + twin.quoted());
    } catch (SQLException e) {
      throw explain(e, "remove");
    }
  }

  /** Rows waiting in the twin. */
  public long backlog(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + twin.quoted())) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private SQLException explain(SQLException e, String what) {
    if (SqlErrors.privilege(e) || e.getErrorCode() == 1419) {
      String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      String grant =
          msg.contains("trigger") || e.getErrorCode() == 1419
              ? "GRANT TRIGGER ON "
                  + table.quoted()
                  + " TO <bridge account>"
                  + (e.getErrorCode() == 1419
                      ? " (with binary logging on, also SET GLOBAL log_bin_trust_function_creators = 1"
                          + " or grant SUPER)"
                      : "")
              : "GRANT CREATE, DROP, INSERT ON "
                  + Identifiers.quote(table.schema())
                  + ".* TO <bridge account>";
      return new SQLException(
          "cannot " + what + " the tap of " + table + ": " + e.getMessage() + " — needed: " + grant,
          e.getSQLState(),
          e.getErrorCode(),
          e);
    }
    return e;
  }

  /** Columns a plain INSERT writes: visible, not generated, not auto-increment. */
  private List<String> insertableColumns(Connection c) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COLUMN_NAME, EXTRA FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String extra = rs.getString(2).toLowerCase(Locale.ROOT);
          if (extra.contains("auto_increment")
              || extra.contains("generated")
              || extra.contains("virtual")
              || extra.contains("stored")) {
            continue;
          }
          cols.add(Identifiers.require(rs.getString(1), "column"));
        }
      }
    }
    return cols;
  }
}
