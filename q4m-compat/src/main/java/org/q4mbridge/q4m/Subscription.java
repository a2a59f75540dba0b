package org.q4mbridge.q4m;

/**
 * One argument of {@code queue_wait}: a queue table and an optional Q4M condition ({@code v>3} in
 * {@code 't:v>3'}). Several subscriptions form a priority list: earlier ones win when rows are
 * waiting in more than one.
 *
 * @param table the queue table
 * @param condition the condition text in Q4M's language, or {@code null} for every row
 */
public record Subscription(TableRef table, String condition) {

  /** {@code schema.table[:condition]}, the form {@code queue_wait} takes. */
  public String toQueueWaitArgument() {
    return condition == null ? table.toString() : table + ":" + condition;
  }

  /** Parses {@code [db.]table[:condition]}; the split is at the first colon, as in Q4M. */
  public static Subscription parse(String arg, String defaultSchema) {
    int colon = arg.indexOf(':');
    String table = colon < 0 ? arg : arg.substring(0, colon);
    String cond = colon < 0 ? null : arg.substring(colon + 1);
    return new Subscription(TableRef.parse(table.trim(), defaultSchema), cond);
  }
}
