package org.q4mbridge.bridge.cli;

import java.util.concurrent.Callable;
import org.flywaydb.core.api.FlywayException;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.ops.BridgeSchema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code q4m-bridge migrate}: create or upgrade the bridge's own tables (Flyway). */
@Command(
    name = "migrate",
    description = {
      "Create or upgrade the bridge's own tables (Flyway).",
      "Dead letters, epochs, phase log and ledger live in database.schema. The daemon never",
      "migrates by itself: it refuses to start until this ran."
    })
public final class MigrateCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BridgeConfig c = config.load();
    try {
      String summary =
          new BridgeSchema(
                  Assembly.plainUrl(c.database().url()),
                  c.database().user(),
                  c.database().password().map(s -> s.reveal()).orElse(null),
                  c.database().schema())
              .migrate();
      spec.commandLine().getOut().println(summary);
      return ExitCode.OK.code();
    } catch (FlywayException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE, "migrate failed: " + firstLine(e.getMessage()), e);
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
