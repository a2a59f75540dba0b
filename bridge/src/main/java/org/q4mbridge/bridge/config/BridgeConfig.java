package org.q4mbridge.bridge.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.q4mbridge.q4m.TableRef;

/**
 * The whole configuration file, validated, with every default applied. Immutable; built only by
 * {@link ConfigLoader}, so every instance satisfies the rules the loader checks (known sink names,
 * one entry per table, valid identifiers, ranges).
 *
 * @param source where it came from ({@code /etc/q4m-bridge/bridge.yml}), for messages
 * @param database the MySQL server and the bridge's own schema
 * @param sinks broker connections by name, in file order
 * @param queues queue tables, in file order
 * @param compare shadow-comparison settings and the cutover gate
 * @param admin the admin HTTP listener
 * @param shutdown graceful stop
 * @param poll adaptive polling of emulated queues
 * @param deadLetter the dead-letter table
 * @param logging log output
 * @param referencedPaths paths of settings whose value came (wholly or partly) from a {@code
 *     ${env:…}} or {@code ${file:…}} reference ({@code database.password}); {@link #describe()}
 *     masks them
 */
public record BridgeConfig(
    String source,
    DatabaseConfig database,
    Map<String, SinkConfig> sinks,
    List<QueueConfig> queues,
    CompareConfig compare,
    AdminConfig admin,
    ShutdownConfig shutdown,
    PollConfig poll,
    DeadLetterConfig deadLetter,
    LoggingConfig logging,
    Set<String> referencedPaths) {

  public BridgeConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(database, "database");
    sinks = Collections.unmodifiableMap(new LinkedHashMap<>(sinks));
    queues = List.copyOf(queues);
    Objects.requireNonNull(compare, "compare");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(deadLetter, "deadLetter");
    Objects.requireNonNull(logging, "logging");
    referencedPaths = Set.copyOf(referencedPaths);
  }

  /** The queue for {@code table} (matched case-insensitively, as MySQL does), if configured. */
  public Optional<QueueConfig> queue(TableRef table) {
    return queues.stream().filter(q -> q.table().sameAs(table)).findFirst();
  }

  /** The sink named {@code name}, if configured. */
  public Optional<SinkConfig> sink(String name) {
    return Optional.ofNullable(sinks.get(name));
  }

  /**
   * The effective configuration as YAML — defaults filled in, secrets masked as {@code ****}:
   * passwords and keys, user-info in broker URIs, and every value that came from a {@code ${…}}
   * reference. Safe to print and log; what {@code q4m-bridge check} shows.
   */
  public String describe() {
    return ConfigRenderer.render(this);
  }

  /** What changed from this configuration to {@code next}, for reload. */
  public ConfigDiff diff(BridgeConfig next) {
    return ConfigDiff.between(this, next);
  }

  /** A summary without any setting values; use {@link #describe()} for the full picture. */
  @Override
  public String toString() {
    return "BridgeConfig[" + source + ": " + sinks.size() + " sinks, " + queues.size() + " queues]";
  }
}
