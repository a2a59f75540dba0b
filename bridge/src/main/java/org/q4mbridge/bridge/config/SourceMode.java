package org.q4mbridge.bridge.config;

/** How a queue table is consumed (DESIGN.md §3.1): {@code mode: native | emulated}. */
public enum SourceMode {
  /**
   * The real QUEUE engine through {@code queue_wait} / {@code queue_end}, one owner per consumer.
   */
  NATIVE,
  /** The table converted to InnoDB, claimed with {@code FOR UPDATE SKIP LOCKED}. */
  EMULATED
}
