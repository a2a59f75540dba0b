package org.q4mbridge.bridge.config;

import java.util.Locale;

/**
 * Where a queue stands in its migration (DESIGN.md §6.1), switched in YAML. The phase package
 * decides which transitions are allowed; the configuration only names the target.
 */
public enum Phase {
  /** The bridge leaves the table alone; legacy workers consume it. */
  OFF,
  /** The bridge reads the tap and publishes copies to the shadow destination. */
  MIRROR,
  /** As mirror, and new workers consume the copies with side effects off; outcomes compared. */
  SHADOW,
  /** The bridge consumes the legacy table itself and publishes to the live destination. */
  CUTOVER;

  /** The name used in the YAML file ({@code mirror}). */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
