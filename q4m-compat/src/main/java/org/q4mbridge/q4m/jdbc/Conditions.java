package org.q4mbridge.q4m.jdbc;

import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.cond.Condition;
import org.q4mbridge.q4m.cond.ConditionException;
import org.q4mbridge.q4m.emulated.EmulatedQueueSource.ConditionTranslator;
import org.q4mbridge.q4m.emulated.EmulatedTable;

/**
 * Translates Q4M conditions ({@code 't:v>3'}) to SQL for {@code queue_wait} with the condition
 * language of {@link Condition}. A condition Q4M would reject, or one naming a column the table
 * lacks or that is not an integer column, is invalid — and {@code queue_wait} returns NULL, as in
 * Q4M.
 */
final class Conditions {
  private Conditions() {}

  /** The translator the shim uses. Stateless and thread-safe. */
  static ConditionTranslator translator() {
    return Conditions::toSql;
  }

  private static String toSql(EmulatedTable table, String text) throws QueueSourceException {
    try {
      return Condition.parse(text).toSql(name -> columnSql(table, name));
    } catch (ConditionException e) {
      throw new QueueSourceException(Kind.INVALID, e.getMessage(), e);
    }
  }

  /** The quoted column for a lower-cased name, when it is an integer column of {@code table}. */
  private static String columnSql(EmulatedTable table, String lowerCaseName)
      throws ConditionException {
    for (QueueColumn c : table.columns()) {
      if (c.name().equalsIgnoreCase(lowerCaseName)) {
        if (!table.isIntegerColumn(c.name())) {
          throw new ConditionException(
              -1,
              "column '"
                  + c.name()
                  + "' of "
                  + table.ref()
                  + " is not an integer column; Q4M conditions compare integers only");
        }
        return Identifiers.quote(c.name());
      }
    }
    throw new ConditionException(
        -1, "table " + table.ref() + " has no column '" + lowerCaseName + "'");
  }
}
