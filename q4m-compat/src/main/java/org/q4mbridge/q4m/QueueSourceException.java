package org.q4mbridge.q4m;

/** A queue operation failed. {@link #kind()} says whether retrying can help. */
public class QueueSourceException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, as far as the caller needs to decide what to do next. */
  public enum Kind {
    /** The connection broke or the server is down; owned rows return to the queue. Retry. */
    CONNECTION_LOST,
    /** The table does not exist or is not a queue. Fatal for this queue until fixed. */
    UNKNOWN_TABLE,
    /** The account lacks a privilege; the message names it. Fatal until granted. */
    PRIVILEGE,
    /** Bad argument (condition, identifier). Fatal until the configuration is fixed. */
    INVALID,
    /** Any other server error. Retry with backoff. */
    SERVER
  }

  private final Kind kind;

  public QueueSourceException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public QueueSourceException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** True when trying again later may succeed. */
  public boolean retriable() {
    return kind == Kind.CONNECTION_LOST || kind == Kind.SERVER;
  }
}
