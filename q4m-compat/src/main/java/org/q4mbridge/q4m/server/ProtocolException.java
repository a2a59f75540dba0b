package org.q4mbridge.q4m.server;

/**
 * A protocol-level failure the endpoint reports to its client as an error packet: a malformed or
 * oversized packet, an unknown command, refused authentication. {@link #fatal()} says whether the
 * connection must be closed afterwards (the packet stream can no longer be trusted, or the client
 * may not go on).
 */
final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String sqlState;
  private final boolean fatal;

  ProtocolException(int code, String sqlState, String message, boolean fatal) {
    super(message);
    this.code = code;
    this.sqlState = sqlState;
    this.fatal = fatal;
  }

  /** A payload that does not parse: reported, and the connection goes on (framing is intact). */
  static ProtocolException malformed(String what) {
    return new ProtocolException(
        Protocol.ER_MALFORMED_PACKET,
        "08S01",
        "Malformed communication packet (" + what + ")",
        false);
  }

  int code() {
    return code;
  }

  String sqlState() {
    return sqlState;
  }

  boolean fatal() {
    return fatal;
  }
}
