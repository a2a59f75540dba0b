package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.q4m.SqlErrors;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.tap.Tap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code q4m-bridge tap plan|install|remove}: the dual-write tap of a queue, by hand. */
@Command(
    name = "tap",
    description = {
      "Show, install or remove the tap of a queue.",
      "The tap is an AFTER INSERT trigger copying every insert into the <table>__tap twin.",
      "The daemon installs and removes it itself on phase changes; use 'plan' for DBA review and",
      "'install'/'remove' when the bridge account may not run DDL. All three are idempotent."
    })
public final class TapCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Parameters(index = "0", paramLabel = "plan|install|remove", description = "What to do.")
  String action;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SCHEMA.TABLE",
      description = "The legacy queue table.")
  String queue;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BridgeConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    TableRef table;
    try {
      table = TableRef.parse(queue, c.database().schema());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--queue: " + e.getMessage());
    }
    Tap tap = new Tap(table);
    try (Connection conn = Assembly.connections(c.database()).open()) {
      switch (action) {
        case "plan" -> out.print(tap.planSql(conn));
        case "install" ->
            out.println(
                tap.install(conn)
                    ? "tap installed: every insert into " + table + " is copied to " + tap.twin()
                    : "tap already installed on " + table);
        case "remove" -> {
          tap.remove(conn);
          out.println("tap removed from " + table);
        }
        default ->
            throw new CliException(
                ExitCode.USAGE,
                "tap: unknown action '" + action + "' (expected plan, install or remove)");
      }
      out.flush();
      return ExitCode.OK.code();
    } catch (SQLException e) {
      throw new CliException(
          SqlErrors.privilege(e) || e.getMessage().contains("GRANT")
              ? ExitCode.PRIVILEGE
              : SqlErrors.unknownTable(e) ? ExitCode.CONFIG : ExitCode.FAILED,
          "tap " + action + " " + table + ": " + e.getMessage(),
          e);
    }
  }
}
