package org.q4mbridge.bridge.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.convert.ConversionPlan;
import org.q4mbridge.q4m.convert.ConversionResult;
import org.q4mbridge.q4m.convert.TableConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge convert}: turn a QUEUE table into an emulated queue on InnoDB, in place. */
@Command(
    name = "convert",
    description = {
      "Convert a QUEUE table into an emulated queue on InnoDB.",
      "In place, without losing a row.",
      "Creates the InnoDB twin (same columns + an invisible q4m_rowid), copies the rows in FIFO",
      "order while producers keep inserting, and swaps the names with one RENAME TABLE. Stop the",
      "table's consumers first. --dry-run prints the SQL for review and changes nothing."
    })
public final class ConvertCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--table",
      required = true,
      paramLabel = "[SCHEMA.]TABLE",
      description = "The table to convert.")
  String table;

  @Option(names = "--dry-run", description = "Print the statements and change nothing.")
  boolean dryRun;

  @Option(
      names = "--drop-old",
      description = "Drop the old table after the swap (default: keep it as <table>__q4m_old).")
  boolean dropOld;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BridgeConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref;
    try {
      ref = TableRef.parse(table, c.database().schema());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--table: " + e.getMessage());
    }
    TableConverter converter = new TableConverter();
    TableConverter.Options options = TableConverter.Options.defaults().withKeepOld(!dropOld);
    try (Connection conn = Assembly.connections(c.database()).open()) {
      ConversionPlan plan = converter.plan(conn, ref, options);
      if (dryRun) {
        out.print(plan.toSql());
        out.flush();
        return ExitCode.OK.code();
      }
      ConversionResult r =
          converter.run(
              Assembly.connections(c.database()),
              plan,
              new TableConverter.Progress() {
                @Override
                public void stepStarted(ConversionPlan.Step step) {
                  out.println("convert: step " + step.number() + ": " + step.comment());
                  out.flush();
                }

                @Override
                public void rowsCopied(long copied, long total) {
                  out.printf(Locale.ROOT, "convert: %,d / %,d rows copied%n", copied, total);
                  out.flush();
                }
              });
      out.println("convert: done: " + r);
      return ExitCode.OK.code();
    } catch (QueueSourceException e) {
      throw new CliException(
          switch (e.kind()) {
            case PRIVILEGE -> ExitCode.PRIVILEGE;
            case CONNECTION_LOST -> ExitCode.UNAVAILABLE;
            default -> ExitCode.FAILED;
          },
          e.getMessage(),
          e);
    } catch (SQLException e) {
      throw new CliException(ExitCode.UNAVAILABLE, "cannot connect: " + e.getMessage(), e);
    }
  }
}
