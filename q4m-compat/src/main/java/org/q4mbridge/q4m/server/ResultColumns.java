package org.q4mbridge.q4m.server;

import com.mysql.cj.jdbc.result.ResultSetInternalMethods;
import com.mysql.cj.result.Field;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * How one backend result set is described to the client and how its rows are encoded.
 *
 * <p>Results that come from the backend server (through the shim, which hands Connector/J's result
 * sets on) are passed on as the server described them: the column definitions are Connector/J's
 * {@link Field}s — the server's own type ids, flags, lengths, decimals and collations — and values
 * are the bytes the server sent ({@link ResultSet#getBytes} returns them unchanged for the text
 * protocol). Results the shim builds itself (the value of a Q4M function call) have no server
 * definition; they are described from {@link ResultSetMetaData} the way MySQL describes a UDF
 * result.
 *
 * <p>Values in a character set other than the one the client asked results in (rows read on the
 * shim's queue connection, which keeps the server's own column charset) are transcoded, as the
 * server would have.
 *
 * <p>Not thread-safe; one instance per result set.
 */
final class ResultColumns {

  /** One column definition, strings already in wire bytes. */
  record Column(
      byte[] schema,
      byte[] table,
      byte[] orgTable,
      byte[] name,
      byte[] orgName,
      int collation,
      long length,
      int type,
      int flags,
      int decimals,
      Charset from,
      Charset to) {

    boolean unsigned() {
      return (flags & Protocol.FLAG_UNSIGNED) != 0;
    }
  }

  private final Column[] columns;
  private final boolean raw;

  private ResultColumns(Column[] columns, boolean raw) {
    this.columns = columns;
    this.raw = raw;
  }

  int size() {
    return columns.length;
  }

  Column column(int i) {
    return columns[i];
  }

  /**
   * Describes {@code rs}.
   *
   * @param resultsCharset the client's {@code character_set_results} (MySQL name), or {@code null}
   *     when it asked for no conversion
   * @param clientCollation the collation id to announce for converted text columns when the client
   *     asked in that collation's charset
   */
  static ResultColumns of(ResultSet rs, String resultsCharset, int clientCollation)
      throws SQLException {
    Field[] fields = fields(rs);
    if (fields != null) {
      Column[] out = new Column[fields.length];
      for (int i = 0; i < fields.length; i++) {
        out[i] = fromField(fields[i], resultsCharset, clientCollation);
      }
      return new ResultColumns(out, true);
    }
    ResultSetMetaData md = rs.getMetaData();
    Column[] out = new Column[md.getColumnCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = fromMetaData(md, i + 1, resultsCharset, clientCollation);
    }
    return new ResultColumns(out, false);
  }

  private static Field[] fields(ResultSet rs) {
    try {
      if (rs.isWrapperFor(ResultSetInternalMethods.class)) {
        return rs.unwrap(ResultSetInternalMethods.class).getColumnDefinition().getFields();
      }
    } catch (SQLException | RuntimeException e) {
      // Not a Connector/J result set: describe it from its metadata.
    }
    return null;
  }

  private static Column fromField(Field f, String resultsCharset, int clientCollation) {
    int collation = f.getCollationIndex();
    Charset from = null;
    Charset to = null;
    if (collation != Protocol.COLLATION_BINARY && resultsCharset != null) {
      String columnCharset = Charsets.charsetOf(collation);
      if (columnCharset != null && !columnCharset.equals(Charsets.normalise(resultsCharset))) {
        from = Charsets.javaOf(collation);
        to = Charsets.java(resultsCharset);
        if (from != null && to != null) {
          collation = collationFor(resultsCharset, clientCollation);
        } else {
          from = null;
          to = null;
        }
      }
    }
    int type = f.getMysqlTypeId();
    int flags = f.getFlags() & 0xFFFF;
    return new Column(
        utf8(f.getDatabaseName()),
        utf8(f.getTableName()),
        utf8(f.getOriginalTableName()),
        utf8(f.getName()),
        utf8(f.getOriginalName()),
        collation,
        wireLength(type, flags, f.getLength(), f.getDecimals()),
        type,
        wireFlags(type, flags, f.getCollationIndex()),
        wireDecimals(type, f.getDecimals()),
        from,
        to);
  }

  // Connector/J adjusts a few column-definition values as it reads them (ColumnDefinitionReader,
  // Field.adjustFlagsByMysqlType); these undo that so clients see what the server sent.

  /**
   * Integer lengths: Connector/J replaces the display width by the type's precision; the width is
   * gone, so a precision becomes MySQL's default width again (INT: 11, INT UNSIGNED: 10, …).
   * DECIMAL: it subtracts the sign and the decimal point.
   */
  static long wireLength(int type, int flags, long length, int decimals) {
    boolean unsigned = (flags & Protocol.FLAG_UNSIGNED) != 0;
    return switch (type) {
      case Protocol.TYPE_TINY -> length == 3 ? (unsigned ? 3 : 4) : length;
      case Protocol.TYPE_SHORT -> length == 5 ? (unsigned ? 5 : 6) : length;
      case Protocol.TYPE_INT24 -> length == 7 || length == 8 ? (unsigned ? 8 : 9) : length;
      case Protocol.TYPE_LONG -> length == 10 ? (unsigned ? 10 : 11) : length;
      case Protocol.TYPE_LONGLONG -> length == 19 || length == 20 ? 20 : length;
      case Protocol.TYPE_NEWDECIMAL, Protocol.TYPE_DECIMAL ->
          length + (unsigned ? 0 : 1) + (decimals > 0 ? 1 : 0);
      default -> length;
    };
  }

  /** Connector/J adds BLOB to BIT, BINARY and VARBINARY columns; the server does not. */
  static int wireFlags(int type, int flags, int collation) {
    boolean binaryString =
        (type == Protocol.TYPE_VAR_STRING || type == Protocol.TYPE_STRING)
            && collation == Protocol.COLLATION_BINARY;
    return binaryString || type == Protocol.TYPE_BIT ? flags & ~Protocol.FLAG_BLOB : flags;
  }

  /** Connector/J turns FLOAT/DOUBLE's "not fixed" decimals (31) into 0; clients round by it. */
  static int wireDecimals(int type, int decimals) {
    return (type == Protocol.TYPE_FLOAT || type == Protocol.TYPE_DOUBLE) && decimals == 0
        ? 31
        : decimals;
  }

  private static int collationFor(String charset, int clientCollation) {
    String cs = Charsets.normalise(charset);
    return cs.equals(Charsets.charsetOf(clientCollation))
        ? clientCollation
        : Charsets.defaultCollation(cs);
  }

  private static Column fromMetaData(
      ResultSetMetaData md, int i, String resultsCharset, int clientCollation) throws SQLException {
    int jdbc = md.getColumnType(i);
    int type = mysqlType(jdbc);
    boolean numeric = isNumeric(type);
    boolean text = !numeric && isText(jdbc);
    int flags = 0;
    if (md.isNullable(i) == ResultSetMetaData.columnNoNulls) {
      flags |= Protocol.FLAG_NOT_NULL;
    }
    if (numeric) {
      flags |= Protocol.FLAG_NUM;
      if (!md.isSigned(i)) {
        flags |= Protocol.FLAG_UNSIGNED;
      }
    }
    if (!text) {
      flags |= Protocol.FLAG_BINARY;
    }
    int collation =
        text
            ? collationFor(resultsCharset == null ? "utf8mb4" : resultsCharset, clientCollation)
            : Protocol.COLLATION_BINARY;
    int decimals =
        type == Protocol.TYPE_NEWDECIMAL || type == Protocol.TYPE_DOUBLE
            ? Math.max(0, Math.min(31, md.getScale(i)))
            : text ? 31 : 0;
    return new Column(
        new byte[0],
        new byte[0],
        new byte[0],
        wire(md.getColumnLabel(i)),
        new byte[0],
        collation,
        Math.max(0, md.getColumnDisplaySize(i)),
        type,
        flags,
        decimals,
        null,
        text && resultsCharset != null ? Charsets.java(resultsCharset) : null);
  }

  private static int mysqlType(int jdbc) {
    return switch (jdbc) {
      case Types.BIT, Types.BOOLEAN, Types.TINYINT -> Protocol.TYPE_TINY;
      case Types.SMALLINT -> Protocol.TYPE_SHORT;
      case Types.INTEGER -> Protocol.TYPE_LONG;
      case Types.BIGINT -> Protocol.TYPE_LONGLONG;
      case Types.REAL -> Protocol.TYPE_FLOAT;
      case Types.FLOAT, Types.DOUBLE -> Protocol.TYPE_DOUBLE;
      case Types.NUMERIC, Types.DECIMAL -> Protocol.TYPE_NEWDECIMAL;
      case Types.DATE -> Protocol.TYPE_DATE;
      case Types.TIME -> Protocol.TYPE_TIME;
      case Types.TIMESTAMP -> Protocol.TYPE_DATETIME;
      case Types.NULL -> Protocol.TYPE_NULL;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Protocol.TYPE_BLOB;
      case Types.CHAR -> Protocol.TYPE_STRING;
      default -> Protocol.TYPE_VAR_STRING;
    };
  }

  private static boolean isNumeric(int type) {
    return switch (type) {
      case Protocol.TYPE_TINY,
          Protocol.TYPE_SHORT,
          Protocol.TYPE_LONG,
          Protocol.TYPE_LONGLONG,
          Protocol.TYPE_FLOAT,
          Protocol.TYPE_DOUBLE,
          Protocol.TYPE_NEWDECIMAL ->
          true;
      default -> false;
    };
  }

  private static boolean isText(int jdbc) {
    return switch (jdbc) {
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.CLOB,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR,
          Types.NCLOB ->
          true;
      default -> false;
    };
  }

  /** Metadata strings Connector/J decoded: the server sent them as UTF-8. */
  private static byte[] utf8(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Text the shim built from the client's own statement (the label of a function call) is in the
   * client's bytes read as ISO-8859-1; give those bytes back. Anything else is UTF-8.
   */
  static byte[] wire(String s) {
    if (s == null) {
      return new byte[0];
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /** Writes column {@code i}'s definition (Protocol::ColumnDefinition41). */
  void writeDefinition(PayloadWriter w, int i, boolean withDefault) {
    Column c = columns[i];
    w.lenencBytes(new byte[] {'d', 'e', 'f'})
        .lenencBytes(c.schema())
        .lenencBytes(c.table())
        .lenencBytes(c.orgTable())
        .lenencBytes(c.name())
        .lenencBytes(c.orgName())
        .lenenc(0x0c)
        .u16(c.collation())
        .u32(Math.min(0xFFFFFFFFL, c.length()))
        .u8(c.type())
        .u16(c.flags())
        .u8(c.decimals())
        .u16(0);
    if (withDefault) {
      w.u8(0xFB);
    }
  }

  /** Column {@code i} (0-based) of the current row as text-protocol bytes; null for NULL. */
  byte[] value(ResultSet rs, int i) throws SQLException {
    Column c = columns[i];
    byte[] b;
    if (raw) {
      b = rs.getBytes(i + 1);
      if (b == null) {
        return null;
      }
      if (c.from() != null) {
        b = transcode(b, c.from(), c.to());
      }
      return b;
    }
    String s = rs.getString(i + 1);
    if (s == null) {
      return null;
    }
    return c.to() != null && !s.chars().allMatch(ch -> ch < 0x80) ? s.getBytes(c.to()) : wire(s);
  }

  private static byte[] transcode(byte[] b, Charset from, Charset to) {
    ByteBuffer out = to.encode(from.decode(ByteBuffer.wrap(b)));
    byte[] r = new byte[out.remaining()];
    out.get(r);
    return r;
  }

  /** Writes the current row in the text protocol. */
  void writeTextRow(ResultSet rs, PayloadWriter w) throws SQLException {
    for (int i = 0; i < columns.length; i++) {
      w.lenencBytes(value(rs, i));
    }
  }

  /**
   * Writes the current row in the binary protocol: header 0, NULL bitmap (offset 2), values.
   *
   * @throws SQLException when a value does not parse as its column's type
   */
  void writeBinaryRow(ResultSet rs, PayloadWriter w) throws SQLException {
    w.u8(0);
    int bitmapAt = w.length();
    int bitmapBytes = (columns.length + 7 + 2) / 8;
    w.zeros(bitmapBytes);
    for (int i = 0; i < columns.length; i++) {
      byte[] v = value(rs, i);
      Column c = columns[i];
      if (v == null || c.type() == Protocol.TYPE_NULL) {
        int bit = i + 2;
        w.set(bitmapAt + bit / 8, w.get(bitmapAt + bit / 8) | (1 << (bit % 8)));
        continue;
      }
      try {
        BinaryValues.encode(w, c.type(), c.unsigned(), v);
      } catch (RuntimeException e) {
        throw new SQLException(
            "cannot encode column "
                + new String(c.name(), StandardCharsets.UTF_8)
                + " of type "
                + c.type()
                + " in the binary protocol: "
                + e.getMessage(),
            "HY000",
            Protocol.ER_UNKNOWN_ERROR,
            e);
      }
    }
  }
}
