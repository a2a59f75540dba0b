package org.q4mbridge.q4m.server;

/**
 * Constants of the MySQL client/server protocol that the endpoint speaks: capability flags, server
 * status flags, command bytes, column types and the error codes it sends itself (backend errors
 * keep the backend's code).
 */
final class Protocol {
  private Protocol() {}

  // Capability flags.
  static final int CLIENT_LONG_PASSWORD = 1;
  static final int CLIENT_FOUND_ROWS = 1 << 1;
  static final int CLIENT_LONG_FLAG = 1 << 2;
  static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
  static final int CLIENT_LOCAL_FILES = 1 << 7;
  static final int CLIENT_IGNORE_SPACE = 1 << 8;
  static final int CLIENT_PROTOCOL_41 = 1 << 9;
  static final int CLIENT_INTERACTIVE = 1 << 10;
  static final int CLIENT_SSL = 1 << 11;
  static final int CLIENT_IGNORE_SIGPIPE = 1 << 12;
  static final int CLIENT_TRANSACTIONS = 1 << 13;
  static final int CLIENT_RESERVED = 1 << 14;
  static final int CLIENT_SECURE_CONNECTION = 1 << 15;
  static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
  static final int CLIENT_MULTI_RESULTS = 1 << 17;
  static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
  static final int CLIENT_PLUGIN_AUTH = 1 << 19;
  static final int CLIENT_CONNECT_ATTRS = 1 << 20;
  static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
  static final int CLIENT_DEPRECATE_EOF = 1 << 24;

  /**
   * What the endpoint offers. Not offered: SSL and compression (clients fall back to plain
   * connections on loopback), LOCAL INFILE (the backend connection refuses it), session tracking
   * and query attributes (nothing to report through a JDBC connection).
   */
  static final int SERVER_CAPABILITIES =
      CLIENT_LONG_PASSWORD
          | CLIENT_FOUND_ROWS
          | CLIENT_LONG_FLAG
          | CLIENT_CONNECT_WITH_DB
          | CLIENT_IGNORE_SPACE
          | CLIENT_PROTOCOL_41
          | CLIENT_INTERACTIVE
          | CLIENT_IGNORE_SIGPIPE
          | CLIENT_TRANSACTIONS
          | CLIENT_RESERVED
          | CLIENT_SECURE_CONNECTION
          | CLIENT_MULTI_STATEMENTS
          | CLIENT_MULTI_RESULTS
          | CLIENT_PS_MULTI_RESULTS
          | CLIENT_PLUGIN_AUTH
          | CLIENT_CONNECT_ATTRS
          | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
          | CLIENT_DEPRECATE_EOF;

  // Server status flags.
  static final int SERVER_STATUS_IN_TRANS = 1;
  static final int SERVER_STATUS_AUTOCOMMIT = 1 << 1;
  static final int SERVER_MORE_RESULTS_EXISTS = 1 << 3;
  static final int SERVER_STATUS_IN_TRANS_READONLY = 1 << 13;

  /** The status bits that describe the backend session and are copied from it. */
  static final int SESSION_STATUS_MASK =
      SERVER_STATUS_IN_TRANS | SERVER_STATUS_AUTOCOMMIT | SERVER_STATUS_IN_TRANS_READONLY;

  // Commands.
  static final int COM_SLEEP = 0x00;
  static final int COM_QUIT = 0x01;
  static final int COM_INIT_DB = 0x02;
  static final int COM_QUERY = 0x03;
  static final int COM_FIELD_LIST = 0x04;
  static final int COM_STATISTICS = 0x09;
  static final int COM_PROCESS_KILL = 0x0c;
  static final int COM_DEBUG = 0x0d;
  static final int COM_PING = 0x0e;
  static final int COM_CHANGE_USER = 0x11;
  static final int COM_STMT_PREPARE = 0x16;
  static final int COM_STMT_EXECUTE = 0x17;
  static final int COM_STMT_SEND_LONG_DATA = 0x18;
  static final int COM_STMT_CLOSE = 0x19;
  static final int COM_STMT_RESET = 0x1a;
  static final int COM_SET_OPTION = 0x1b;
  static final int COM_STMT_FETCH = 0x1c;
  static final int COM_RESET_CONNECTION = 0x1f;

  // Column types.
  static final int TYPE_DECIMAL = 0;
  static final int TYPE_TINY = 1;
  static final int TYPE_SHORT = 2;
  static final int TYPE_LONG = 3;
  static final int TYPE_FLOAT = 4;
  static final int TYPE_DOUBLE = 5;
  static final int TYPE_NULL = 6;
  static final int TYPE_TIMESTAMP = 7;
  static final int TYPE_LONGLONG = 8;
  static final int TYPE_INT24 = 9;
  static final int TYPE_DATE = 10;
  static final int TYPE_TIME = 11;
  static final int TYPE_DATETIME = 12;
  static final int TYPE_YEAR = 13;
  static final int TYPE_NEWDATE = 14;
  static final int TYPE_VARCHAR = 15;
  static final int TYPE_BIT = 16;
  static final int TYPE_TIMESTAMP2 = 17;
  static final int TYPE_DATETIME2 = 18;
  static final int TYPE_TIME2 = 19;
  static final int TYPE_JSON = 245;
  static final int TYPE_NEWDECIMAL = 246;
  static final int TYPE_ENUM = 247;
  static final int TYPE_SET = 248;
  static final int TYPE_TINY_BLOB = 249;
  static final int TYPE_MEDIUM_BLOB = 250;
  static final int TYPE_LONG_BLOB = 251;
  static final int TYPE_BLOB = 252;
  static final int TYPE_VAR_STRING = 253;
  static final int TYPE_STRING = 254;
  static final int TYPE_GEOMETRY = 255;

  // Column flags.
  static final int FLAG_NOT_NULL = 1;
  static final int FLAG_BLOB = 1 << 4;
  static final int FLAG_UNSIGNED = 1 << 5;
  static final int FLAG_BINARY = 1 << 7;
  static final int FLAG_ENUM = 1 << 8;
  static final int FLAG_AUTO_INCREMENT = 1 << 9;
  static final int FLAG_SET = 1 << 11;
  static final int FLAG_NUM = 1 << 15;

  /** The {@code binary} collation: bytes, no character set. */
  static final int COLLATION_BINARY = 63;

  /** {@code utf8mb4_general_ci}: offered in the greeting, known to MySQL 5.5+ and MariaDB. */
  static final int COLLATION_UTF8MB4_GENERAL_CI = 45;

  static final String NATIVE_PASSWORD = "mysql_native_password";

  /** Packets of this length or longer continue in the next packet. */
  static final int MAX_PACKET_CHUNK = 0xFFFFFF;

  // Error codes the endpoint raises itself, with their SQLSTATEs.
  static final int ER_CON_COUNT_ERROR = 1040; // 08004
  static final int ER_HANDSHAKE_ERROR = 1043; // 08S01
  static final int ER_ACCESS_DENIED_ERROR = 1045; // 28000
  static final int ER_UNKNOWN_COM_ERROR = 1047; // 08S01
  static final int ER_NO_SUCH_THREAD = 1094; // HY000
  static final int ER_KILL_DENIED_ERROR = 1095; // HY000
  static final int ER_UNKNOWN_ERROR = 1105; // HY000
  static final int ER_NET_PACKET_TOO_LARGE = 1153; // 08S01
  static final int ER_NET_PACKETS_OUT_OF_ORDER = 1156; // 08S01
  static final int ER_NET_READ_INTERRUPTED = 1159; // 08S01
  static final int ER_NOT_SUPPORTED_YET = 1235; // 42000
  static final int ER_UNKNOWN_STMT_HANDLER = 1243; // HY000
  static final int ER_WRONG_ARGUMENTS = 1210; // HY000
  static final int ER_SERVER_SHUTDOWN = 1053; // 08S01
  static final int ER_QUERY_INTERRUPTED = 1317; // 70100
  static final int ER_STMT_HAS_NO_OPEN_CURSOR = 1421; // HY000
  static final int ER_MALFORMED_PACKET = 1835; // 08S01
}
