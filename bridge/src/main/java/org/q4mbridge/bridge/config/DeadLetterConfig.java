package org.q4mbridge.bridge.config;

import java.util.Objects;
import org.q4mbridge.q4m.TableRef;

/**
 * Where rows that cannot be forwarded go ({@code deadLetter:}).
 *
 * @param table the dead-letter table (default {@code q4m_dead_letter} in {@code database.schema},
 *     as created by {@code q4m-bridge migrate})
 */
public record DeadLetterConfig(TableRef table) {
  public DeadLetterConfig {
    Objects.requireNonNull(table, "table");
  }
}
