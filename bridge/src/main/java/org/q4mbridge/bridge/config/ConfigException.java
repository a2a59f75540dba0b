package org.q4mbridge.bridge.config;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, one line each, each starting with the
 * path of the setting ({@code queues[0].batchSize: …}) or with the file and position for YAML
 * syntax errors ({@code bridge.yml line 4, column 3: …}). Messages never contain secret values.
 */
public class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The problems, in the order they appear in the file. */
  private final List<String> errors;

  public ConfigException(List<String> errors) {
    super(String.join("\n", errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, one line each. */
  public List<String> errors() {
    return errors;
  }
}
