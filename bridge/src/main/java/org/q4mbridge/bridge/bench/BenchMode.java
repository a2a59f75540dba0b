package org.q4mbridge.bridge.bench;

/** What one {@code q4m-bridge bench} invocation measures. */
public enum BenchMode {
  /** Source ceiling, sink ceiling, one-row baseline, the pump at default settings and a sweep. */
  THROUGHPUT,
  /** Insert → confirmed latency under a steady offered load. */
  LATENCY,
  /** A large preloaded backlog drained by the pump: drain rate and heap over time. */
  BACKLOG;

  /** The lower-case name used on the command line and in file names. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
