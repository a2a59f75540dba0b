package org.q4mbridge.bridge.config;

/**
 * How the native source calls {@code queue_wait} (DESIGN.md §3.1): {@code queueWaitForm: two-step |
 * where}.
 */
public enum QueueWaitForm {
  /**
   * {@code SELECT queue_wait(...)} then {@code SELECT * FROM t}; required on MySQL 5.6 and later.
   */
  TWO_STEP,
  /** {@code SELECT * FROM t WHERE queue_wait(...)}; the older form for MySQL 5.1 / 5.5. */
  WHERE
}
