package org.q4mbridge.q4m.server;

import java.io.ByteArrayOutputStream;
import java.sql.PreparedStatement;

/**
 * A statement prepared by COM_STMT_PREPARE: the shim's prepared statement (which gives queue
 * functions with {@code ?} arguments their Q4M meaning), the parameter types the client last sent,
 * and long data sent with COM_STMT_SEND_LONG_DATA. Owned by one connection's thread.
 */
final class ServerStatement {
  final int id;
  final String sql;
  final PreparedStatement statement;
  final int paramCount;
  final int[] types;
  final boolean[] unsigned;
  final ByteArrayOutputStream[] longData;
  boolean typesKnown;
  boolean longDataOverflow;

  ServerStatement(int id, String sql, PreparedStatement statement, int paramCount) {
    this.id = id;
    this.sql = sql;
    this.statement = statement;
    this.paramCount = paramCount;
    this.types = new int[paramCount];
    this.unsigned = new boolean[paramCount];
    this.longData = new ByteArrayOutputStream[paramCount];
  }

  void clearLongData() {
    java.util.Arrays.fill(longData, null);
    longDataOverflow = false;
  }
}
