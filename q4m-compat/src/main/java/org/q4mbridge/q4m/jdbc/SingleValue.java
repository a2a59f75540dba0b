package org.q4mbridge.q4m.jdbc;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;

/**
 * The one-row, one-column result of a Q4M function call, built in memory (the JDK's {@link
 * CachedRowSet}) — no server round trip, and the column is labelled exactly as MySQL labels it: the
 * alias, or the call's text ({@code queue_wait('t', 10)}).
 */
final class SingleValue {
  private SingleValue() {}

  /**
   * @param label the column label
   * @param value a {@link Long} (BIGINT, like Q4M's {@code RETURNS INT} functions), a {@link
   *     String} (for {@code queue_stats}) or {@code null}
   * @param text true for a string-valued function
   */
  static ResultSet of(String label, Object value, boolean text) throws SQLException {
    CachedRowSet rs = RowSetProvider.newFactory().createCachedRowSet();
    RowSetMetaDataImpl md = new RowSetMetaDataImpl();
    md.setColumnCount(1);
    md.setColumnName(1, label);
    md.setColumnLabel(1, label);
    md.setColumnType(1, text ? Types.VARCHAR : Types.BIGINT);
    md.setColumnTypeName(1, text ? "VARCHAR" : "BIGINT");
    md.setNullable(1, ResultSetMetaData.columnNullable);
    md.setSigned(1, true);
    md.setColumnDisplaySize(1, text ? 4096 : 21);
    rs.setMetaData(md);
    rs.moveToInsertRow();
    if (value == null) {
      rs.updateNull(1);
    } else if (value instanceof Long l) {
      rs.updateLong(1, l);
    } else {
      rs.updateString(1, value.toString());
    }
    rs.insertRow();
    rs.moveToCurrentRow();
    rs.beforeFirst();
    return rs;
  }
}
