package org.q4mbridge.bridge.sink;

/**
 * What a broker said about one message. One bad message never fails its batch: each message gets
 * its own verdict.
 */
public sealed interface Verdict {

  /** The broker has the message (persisted, per its confirm semantics). */
  record Confirmed() implements Verdict {}

  /**
   * The broker refused the message.
   *
   * @param reason what was wrong, for logs and the dead-letter table
   * @param retriable false when sending it again cannot help (oversize, unroutable, malformed): the
   *     row is dead-lettered at once
   */
  record Rejected(String reason, boolean retriable) implements Verdict {}

  /**
   * No answer in time, or the connection broke before the answer: treat as not confirmed. Sending
   * again is safe because the message key deduplicates.
   */
  record Unknown(String reason) implements Verdict {}

  Verdict CONFIRMED = new Confirmed();

  static Verdict rejected(String reason, boolean retriable) {
    return new Rejected(reason, retriable);
  }

  static Verdict unknown(String reason) {
    return new Unknown(reason);
  }

  default boolean confirmed() {
    return this instanceof Confirmed;
  }
}
