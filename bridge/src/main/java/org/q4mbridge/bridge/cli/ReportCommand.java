package org.q4mbridge.bridge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Assembly;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.Durations;
import org.q4mbridge.bridge.phase.ComparisonGate;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.render.HtmlReport;
import org.q4mbridge.compare.render.JsonReport;
import org.q4mbridge.compare.render.MarkdownReport;
import org.q4mbridge.q4m.TableRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code q4m-bridge report}: the comparison report of a queue, as HTML, Markdown or JSON. */
@Command(
    name = "report",
    description = {
      "Render the comparison report of a queue over a window.",
      "One self-contained HTML page with charts (match rate over time, latency legacy vs new, categories, top mismatches), Markdown",
      "for tickets, or JSON for machines. Includes the gate's verdict."
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "SCHEMA.TABLE",
      description = "The queue.")
  String queue;

  @Option(
      names = "--since",
      defaultValue = "24h",
      description = "The window, ending now (default 24h).")
  String since;

  @Option(
      names = "--format",
      defaultValue = "html",
      description = "html, md or json (default html).")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE (default: standard output).")
  Path output;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BridgeConfig c = config.load();
    TableRef t = TableRef.parse(queue, c.database().schema());
    Duration window;
    try {
      window = Durations.parse(since);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--since: " + e.getMessage());
    }
    ComparisonGate gate =
        new ComparisonGate(
            Assembly.connections(c.database()),
            c.database().schema(),
            c.compare().gate(),
            java.time.Clock.systemUTC());
    Report report;
    try {
      report = gate.report(t.toString(), window);
    } catch (java.sql.SQLException e) {
      throw new CliException(
          ExitCode.UNAVAILABLE, "report: cannot read the comparison data: " + e.getMessage(), e);
    }
    GateResult verdict = gate.evaluate(report);
    String text =
        switch (format) {
          case "html" -> HtmlReport.render(report, verdict);
          case "md", "markdown" -> MarkdownReport.render(report, verdict);
          case "json" -> JsonReport.render(report, verdict);
          default ->
              throw new CliException(
                  ExitCode.USAGE, "--format: expected html, md or json, got '" + format + "'");
        };
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(output, text);
      spec.commandLine().getOut().println("report written to " + output);
    }
    return ExitCode.OK.code();
  }
}
