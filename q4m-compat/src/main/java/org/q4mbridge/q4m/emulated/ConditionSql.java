package org.q4mbridge.q4m.emulated;

import java.util.Locale;
import org.q4mbridge.q4m.Identifiers;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.QueueSourceException.Kind;
import org.q4mbridge.q4m.cond.Condition;
import org.q4mbridge.q4m.cond.ConditionException;

/**
 * Translates Q4M conditions to SQL over an emulated table's columns: only integer columns may be
 * referenced (as in Q4M), BIGINT UNSIGNED is read as signed like Q4M does, and an invalid condition
 * is reported with its position and what was expected.
 */
public final class ConditionSql implements EmulatedQueueSource.ConditionTranslator {
  public static final ConditionSql INSTANCE = new ConditionSql();

  private ConditionSql() {}

  @Override
  public String toSql(EmulatedTable table, String condition) throws QueueSourceException {
    try {
      return Condition.parse(condition).toSql(name -> column(table, name));
    } catch (ConditionException e) {
      throw new QueueSourceException(
          Kind.INVALID, "queue " + table.ref() + ": " + e.getMessage(), e);
    }
  }

  /** The SQL for a referenced column, or a ConditionException naming what is allowed. */
  public static String column(EmulatedTable table, String lowerName) throws ConditionException {
    for (QueueColumn c : table.columns()) {
      if (c.name().toLowerCase(Locale.ROOT).equals(lowerName)) {
        if (!table.isIntegerColumn(c.name())) {
          throw new ConditionException(
              -1,
              "column '"
                  + c.name()
                  + "' is "
                  + c.typeName()
                  + ": Q4M conditions can only use integer columns");
        }
        String q = Identifiers.quote(c.name());
        return c.typeName().contains("UNSIGNED") && c.typeName().startsWith("BIGINT")
            ? "CAST(" + q + " AS SIGNED)"
            : q;
      }
    }
    throw new ConditionException(-1, "table " + table.ref() + " has no column '" + lowerName + "'");
  }
}
