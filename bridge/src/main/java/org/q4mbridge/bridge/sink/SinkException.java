package org.q4mbridge.bridge.sink;

/** A sink could not start or a probe failed; the message is one clear line for the operator. */
public class SinkException extends Exception {
  private static final long serialVersionUID = 1L;

  public SinkException(String message) {
    super(message);
  }

  public SinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
