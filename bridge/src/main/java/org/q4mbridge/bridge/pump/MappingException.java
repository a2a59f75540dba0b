package org.q4mbridge.bridge.pump;

/** A row cannot be turned into a message; the row is dead-lettered with this reason. */
public class MappingException extends Exception {
  private static final long serialVersionUID = 1L;

  public MappingException(String message) {
    super(message);
  }
}
