package org.q4mbridge.bridge.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;

/**
 * What every scenario of one run shares: the settings, the scratch database, the broker and the
 * progress output. Confined to the bench's main thread, except {@link #say}, which any thread may
 * call.
 */
final class BenchContext {
  private static final String PASSWORD_VARIABLE = "Q4M_BENCH_PASSWORD";

  final BenchSettings settings;
  final BenchDatabase db;
  final SinkTarget target;
  private final PrintWriter out;

  BenchContext(BenchSettings settings, BenchDatabase db, SinkTarget target, PrintWriter out) {
    this.settings = settings;
    this.db = db;
    this.target = target;
    this.out = out;
  }

  /** Prints one progress line at once. */
  void say(String format, Object... args) {
    synchronized (out) {
      out.println(String.format(Locale.ROOT, format, args));
      out.flush();
    }
  }

  /** The consumers × batch size a queue gets when its configuration names neither. */
  Sweep defaultShape() {
    var q = config(target.destination("defaults"), null, true).queues().get(0);
    return new Sweep(q.consumers(), q.batchSize());
  }

  /**
   * The bridge configuration of one scenario: the scratch queue in cutover (consumed from the table
   * itself), the bench's sink, and {@code shape}'s consumers and batch size — left out when {@code
   * defaults}, so the configuration's own defaults apply, as they would for a user.
   */
  BridgeConfig config(String destination, Sweep shape, boolean defaults) {
    StringBuilder y = new StringBuilder();
    y.append("database:\n")
        .append("  url: ")
        .append(SinkTarget.quote(db.url()))
        .append('\n')
        .append("  user: ")
        .append(SinkTarget.quote(settings.user()))
        .append('\n')
        .append("  password: \"${env:" + PASSWORD_VARIABLE + "}\"\n")
        .append(
            settings.pollMaxInterval() == null
                ? ""
                : "poll:\n  maxInterval: "
                    + org.q4mbridge.bridge.config.Durations.format(settings.pollMaxInterval())
                    + "\n")
        .append("sinks:\n")
        .append("  bench: ")
        .append(target.sinkYaml())
        .append('\n')
        .append("queues:\n")
        .append("  - table: ")
        .append(BenchDatabase.TABLE)
        .append('\n')
        .append("    mode: emulated\n")
        .append("    phase: cutover\n")
        .append("    sinks: [bench]\n")
        .append("    destination: ")
        .append(SinkTarget.quote(destination))
        .append('\n');
    if (!defaults) {
      y.append("    consumers: ").append(shape.consumers()).append('\n');
      y.append("    batchSize: ").append(shape.batchSize()).append('\n');
    }
    try {
      return ConfigLoader.parse(
          y.toString(),
          "bench configuration",
          n -> PASSWORD_VARIABLE.equals(n) ? settings.password() : System.getenv(n));
    } catch (ConfigException e) {
      throw new IllegalStateException(
          "bench configuration is invalid: " + String.join("; ", e.errors()), e);
    }
  }
}
