package org.q4mbridge.q4m.emulated;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;

/**
 * A Q4M queue emulated on InnoDB: the table, its row id column and its payload columns, read from
 * INFORMATION_SCHEMA. The row id is an INVISIBLE {@code q4m_rowid BIGINT UNSIGNED AUTO_INCREMENT
 * PRIMARY KEY} (so legacy {@code INSERT INTO t VALUES (...)} and {@code SELECT *} keep working) or
 * an existing AUTO_INCREMENT primary key. FIFO order is row id order.
 *
 * <p>Immutable and thread-safe; builds the SQL that consumers run.
 */
public final class EmulatedTable {
  /** The row id column that {@code q4m-bridge convert} adds. */
  public static final String DEFAULT_ROW_ID_COLUMN = "q4m_rowid";

  private final TableRef ref;
  private final String rowIdColumn;
  private final boolean rowIdVisible;
  private final List<QueueColumn> columns;
  private final String selectList;

  EmulatedTable(TableRef ref, String rowIdColumn, boolean rowIdVisible, List<QueueColumn> columns) {
    this.ref = ref;
    this.rowIdColumn = Identifiers.require(rowIdColumn, "row id column");
    this.rowIdVisible = rowIdVisible;
    this.columns = List.copyOf(columns);
    StringJoiner list = new StringJoiner(", ");
    for (QueueColumn c : this.columns) {
      list.add(Identifiers.quote(c.name()));
    }
    list.add(Identifiers.quote(rowIdColumn));
    this.selectList = list.toString();
  }

  /**
   * Reads the table's definition.
   *
   * @param rowIdColumn the row id column, or {@code null} to use {@code q4m_rowid} when present,
   *     else the AUTO_INCREMENT primary key
   * @throws QueueSourceException UNKNOWN_TABLE naming the table and database when it does not
   *     exist, INVALID when it has no usable row id or is still a QUEUE table
   */
  public static EmulatedTable load(Connection c, TableRef ref, String rowIdColumn)
      throws QueueSourceException {
    String engine;
    List<Object[]> cols = new ArrayList<>();
    try {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
        ps.setString(1, ref.schema());
        ps.setString(2, ref.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new QueueSourceException(
                Kind.UNKNOWN_TABLE,
                "queue table '"
                    + ref.table()
                    + "' does not exist in database '"
                    + ref.schema()
                    + "' (or this account cannot see it)");
          }
          engine = rs.getString(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_KEY, EXTRA"
                  + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                  + " ORDER BY ORDINAL_POSITION")) {
        ps.setString(1, ref.schema());
        ps.setString(2, ref.table());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            cols.add(
                new Object[] {
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5)
                });
          }
        }
      }
    } catch (SQLException e) {
      throw SqlErrors.wrap("reading the definition of " + ref, e);
    }
    if ("QUEUE".equalsIgnoreCase(engine)) {
      throw new QueueSourceException(
          Kind.INVALID,
          "table "
              + ref
              + " uses the QUEUE engine: consume it with mode: native, or convert it to InnoDB"
              + " first (q4m-bridge convert)");
    }
    String rowId = null;
    boolean visible = true;
    for (Object[] col : cols) {
      String name = (String) col[0];
      String extra = ((String) col[4]).toLowerCase(Locale.ROOT);
      boolean matches =
          rowIdColumn != null
              ? name.equalsIgnoreCase(rowIdColumn)
              : name.equalsIgnoreCase(DEFAULT_ROW_ID_COLUMN);
      if (matches) {
        rowId = name;
        visible = !extra.contains("invisible");
      }
    }
    if (rowId == null && rowIdColumn == null) {
      for (Object[] col : cols) {
        if ("PRI".equals(col[3])
            && ((String) col[4]).toLowerCase(Locale.ROOT).contains("auto_increment")) {
          rowId = (String) col[0];
          visible = !((String) col[4]).toLowerCase(Locale.ROOT).contains("invisible");
        }
      }
    }
    if (rowId == null) {
      throw new QueueSourceException(
          Kind.INVALID,
          "table "
              + ref
              + " has no row id column"
              + (rowIdColumn == null ? "" : " named '" + rowIdColumn + "'")
              + ": expected an INVISIBLE q4m_rowid BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY"
              + " (q4m-bridge convert adds it) or an AUTO_INCREMENT primary key");
    }
    List<QueueColumn> columns = new ArrayList<>();
    for (Object[] col : cols) {
      String name = (String) col[0];
      if (name.equalsIgnoreCase(rowId) && !visible) {
        continue;
      }
      if (!Identifiers.isValid(name)) {
        throw new QueueSourceException(
            Kind.INVALID,
            "table "
                + ref
                + " has column '"
                + name
                + "' whose name this bridge cannot quote safely");
      }
      columns.add(
          new QueueColumn(
              name,
              sqlType((String) col[1], (String) col[2]),
              ((String) col[2]).toUpperCase(Locale.ROOT)));
    }
    return new EmulatedTable(ref, rowId, visible, columns);
  }

  /** Maps INFORMATION_SCHEMA's DATA_TYPE to a {@link Types} constant. */
  static int sqlType(String dataType, String columnType) {
    return switch (dataType.toLowerCase(Locale.ROOT)) {
      case "tinyint" -> Types.TINYINT;
      case "smallint" -> Types.SMALLINT;
      case "mediumint", "int", "integer" -> Types.INTEGER;
      case "bigint" -> Types.BIGINT;
      case "decimal", "numeric" -> Types.DECIMAL;
      case "float" -> Types.REAL;
      case "double", "real" -> Types.DOUBLE;
      case "bit" -> Types.BIT;
      case "date" -> Types.DATE;
      case "time" -> Types.TIME;
      case "datetime", "timestamp" -> Types.TIMESTAMP;
      case "year" -> Types.SMALLINT;
      case "char" -> Types.CHAR;
      case "varchar", "enum", "set" -> Types.VARCHAR;
      case "tinytext", "text", "mediumtext", "longtext", "json" -> Types.LONGVARCHAR;
      case "binary" -> Types.BINARY;
      case "varbinary" -> Types.VARBINARY;
      case "tinyblob", "blob", "mediumblob", "longblob" -> Types.LONGVARBINARY;
      default -> Types.OTHER;
    };
  }

  public TableRef ref() {
    return ref;
  }

  /** The row id column's name. */
  public String rowIdColumn() {
    return rowIdColumn;
  }

  /** False when the row id column is INVISIBLE (and so not among {@link #columns()}). */
  public boolean rowIdVisible() {
    return rowIdVisible;
  }

  /** Payload columns in table order. */
  public List<QueueColumn> columns() {
    return columns;
  }

  /** True when {@code name} is an integer column, the only kind Q4M conditions may reference. */
  public boolean isIntegerColumn(String name) {
    for (QueueColumn c : columns) {
      if (c.name().equalsIgnoreCase(name)) {
        return switch (c.sqlType()) {
          case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> true;
          default -> false;
        };
      }
    }
    if (name.equalsIgnoreCase(rowIdColumn)) {
      return true;
    }
    return false;
  }

  /**
   * {@code SELECT <columns>, <rowid> FROM t [WHERE <where>] ORDER BY <rowid> LIMIT ? FOR UPDATE
   * SKIP LOCKED}: the claim. The last selected column is the row id.
   *
   * @param whereSql a predicate built only from validated identifiers and literals, or {@code null}
   */
  public String claimSql(String whereSql) {
    return "SELECT "
        + selectList
        + " FROM "
        + ref.quoted()
        + (whereSql == null ? "" : " WHERE " + whereSql)
        + " ORDER BY "
        + Identifiers.quote(rowIdColumn)
        + " LIMIT ? FOR UPDATE SKIP LOCKED";
  }

  /**
   * {@code DELETE FROM t WHERE <rowid> = ?}, run as a batch. Deliberately not {@code IN (...)}: the
   * server may turn an IN list into a range scan that waits for the lock on the next record — a row
   * another consumer has claimed — and deadlocks; a unique point lookup locks only its own row.
   */
  public String deleteOneSql() {
    return "DELETE FROM " + ref.quoted() + " WHERE " + Identifiers.quote(rowIdColumn) + " = ?";
  }

  /** {@code INSERT INTO t (<columns>) VALUES (?, ...)} — every payload column, no row id. */
  public String insertSql() {
    StringJoiner names = new StringJoiner(", ");
    StringJoiner marks = new StringJoiner(", ");
    for (QueueColumn c : columns) {
      if (c.name().equalsIgnoreCase(rowIdColumn)) {
        continue;
      }
      names.add(Identifiers.quote(c.name()));
      marks.add("?");
    }
    return "INSERT INTO " + ref.quoted() + " (" + names + ") VALUES (" + marks + ")";
  }

  @Override
  public String toString() {
    return ref + " (row id " + rowIdColumn + ", " + columns.size() + " columns)";
  }
}
