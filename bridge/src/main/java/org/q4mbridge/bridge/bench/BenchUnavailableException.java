package org.q4mbridge.bridge.bench;

/**
 * A server the bench needs (the database or the broker) cannot be reached; nothing was measured.
 */
public final class BenchUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
