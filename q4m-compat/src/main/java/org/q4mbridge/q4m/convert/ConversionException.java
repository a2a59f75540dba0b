package org.q4mbridge.q4m.convert;

import org.q4mbridge.q4m.QueueSourceException;

/**
 * A conversion could not be planned or did not complete. {@link #state()} says where the tables
 * are; the message names the tables and says what to do next (which table to drop, which statement
 * to run by hand, which GRANT is missing).
 */
public final class ConversionException extends QueueSourceException {
  private static final long serialVersionUID = 1L;

  /** Where the tables are after the failure. */
  public enum TableState {
    /** Planning or validation failed; nothing was created or changed. */
    NOT_STARTED,
    /**
     * Failed before the swap: the source table is unchanged and producers keep using it; no row was
     * moved or deleted. The tables this run created were dropped unless the message lists them.
     */
    UNCHANGED,
    /**
     * The swap happened: the table is now the InnoDB emulated queue and the original is kept under
     * the {@code __q4m_old} name; a later step failed (the message says which and what to run).
     */
    SWAPPED,
    /** The connection was lost around the swap and the state could not be read back. */
    UNKNOWN
  }

  private final TableState state;

  public ConversionException(Kind kind, TableState state, String message, Throwable cause) {
    super(kind, message, cause);
    this.state = state;
  }

  public ConversionException(Kind kind, TableState state, String message) {
    this(kind, state, message, null);
  }

  public TableState state() {
    return state;
  }
}
