package org.q4mbridge.q4m.jdbc;

import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource.ConditionTranslator;

/** Translates Q4M conditions ({@code 't:v>3'}) to SQL for {@code queue_wait}. */
final class Conditions {
  private Conditions() {}

  /** The translator the shim uses: an invalid condition makes {@code queue_wait} return NULL. */
  static ConditionTranslator translator() {
    return (table, condition) -> {
      throw new QueueSourceException(
          Kind.INVALID, "conditional subscriptions are not available yet: '" + condition + "'");
    };
  }
}
