package org.q4mbridge.bridge.config;

import java.util.Objects;

/**
 * Log output ({@code logging:}).
 *
 * @param format plain text or JSON lines (default plain)
 * @param logPayloads whether payloads may appear in logs (default false: jobs carry personal data)
 */
public record LoggingConfig(Format format, boolean logPayloads) {
  public LoggingConfig {
    Objects.requireNonNull(format, "format");
  }

  /** Log line format. */
  public enum Format {
    PLAIN,
    JSON
  }
}
