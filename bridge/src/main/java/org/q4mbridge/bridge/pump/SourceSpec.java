package org.q4mbridge.bridge.pump;

import java.util.List;
import org.q4mbridge.q4m.Subscription;

/**
 * Where a queue's rows come from.
 *
 * @param mode the real QUEUE engine or the InnoDB emulation
 * @param subscriptions the tables (and conditions) in priority order
 * @param rowIdColumn emulated: the row id column, or null for the default rule
 * @param whereForm native: use {@code SELECT * FROM t WHERE queue_wait(...)} (MySQL 5.1/5.5)
 */
public record SourceSpec(
    Mode mode, List<Subscription> subscriptions, String rowIdColumn, boolean whereForm) {

  /** Which backend consumes the table. */
  public enum Mode {
    NATIVE,
    EMULATED
  }

  public SourceSpec {
    subscriptions = List.copyOf(subscriptions);
  }
}
