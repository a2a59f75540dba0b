package org.q4mbridge.q4m.cond;

/**
 * A Q4M condition that Q4M itself would reject (so {@code queue_wait} would return NULL), or a
 * condition that cannot be turned into SQL, e.g. because it names a column the table does not have.
 * The message names the condition, the 0-based character position and what was expected there.
 */
public class ConditionException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int position;

  /**
   * @param position 0-based character offset into the condition text, or -1 when the problem is not
   *     tied to one place
   * @param message the complete message
   */
  public ConditionException(int position, String message) {
    super(message);
    this.position = position;
  }

  /**
   * Builds the standard message: {@code invalid Q4M condition '<text>' at position <p>: <detail>}.
   */
  ConditionException(String text, int position, String detail) {
    this(
        position,
        "invalid Q4M condition '"
            + text
            + "'"
            + (position >= 0 ? " at position " + position : "")
            + ": "
            + detail);
  }

  /** 0-based character offset into the condition text, or -1 when not positional. */
  public int position() {
    return position;
  }
}
