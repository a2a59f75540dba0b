package org.q4mbridge.q4m.jdbc;

import org.q4mbridge.q4m.emulated.EmulatedTable;

/** A shim connection's Q4M owner mode (Q4M-SEMANTICS.md §2.4). */
sealed interface Ownership {

  /** Not in owner mode: queue tables show every row nobody owns. */
  record None() implements Ownership {}

  /** Owner mode without a row (the last {@code queue_wait} timed out): queue tables look empty. */
  record Empty() implements Ownership {}

  /**
   * Owner mode with a row. While {@code gone} is false the queue connection's open transaction
   * holds the row's lock, which is the ownership; once the owner deleted the row itself, that
   * transaction was committed and the table looks empty to the owner.
   *
   * @param table the owned row's table
   * @param rowId the owned row's id
   * @param gone true after the owner deleted the row
   */
  record Row(EmulatedTable table, long rowId, boolean gone) implements Ownership {
    /** True while the queue connection holds this row's lock. */
    boolean held() {
      return !gone;
    }
  }

  Ownership NONE = new None();
  Ownership EMPTY = new Empty();
}
