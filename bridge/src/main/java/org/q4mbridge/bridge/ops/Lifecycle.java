package org.q4mbridge.bridge.ops;

/**
 * What the daemon tells operations about its lifecycle, so systemd, the status page and the
 * readiness probe follow it. The daemon calls these from its start path and its signal handlers;
 * implementations return quickly and never throw. Every method has a no-op default.
 *
 * <p>Order: (start, probes pass) → {@link Operations#ready} → any number of {@link #reloading()} /
 * {@link #reloaded(boolean, String)} pairs → {@link #stopping()} (first SIGTERM) → {@link
 * #stopped()} (every row settled, sinks closed). A stop caused by a fatal error skips {@link
 * #stopping()}; operations notices it on its own.
 */
public interface Lifecycle {
  /** Does nothing. */
  Lifecycle NONE = new Lifecycle() {};

  /** A reload (SIGHUP) begins: the file is about to be read and queues may drain. */
  default void reloading() {}

  /**
   * The reload is over.
   *
   * @param applied whether the new configuration is in force
   * @param error why it was refused, or null
   */
  default void reloaded(boolean applied, String error) {}

  /** A graceful stop begins (first SIGTERM). */
  default void stopping() {}

  /** The bridge has stopped: release listeners and threads. Idempotent. */
  default void stopped() {}
}
