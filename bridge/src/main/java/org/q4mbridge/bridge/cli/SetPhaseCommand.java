package org.q4mbridge.bridge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;
import org.q4mbridge.bridge.config.Phase;
import org.q4mbridge.bridge.config.QueueConfig;
import org.q4mbridge.q4m.TableRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code q4m-bridge set-phase}: edits one queue's {@code phase:} (and {@code force:}) in the YAML
 * file, keeping every other line and comment, and validates the result before replacing the file.
 * It does not apply anything: reload the service afterwards (the runbooks do both).
 */
@Command(
    name = "set-phase",
    description = {
      "Set a queue's phase in the YAML file.",
      "Comments and layout are kept; the result is validated before saving.",
      "Apply it with 'systemctl reload q4m-bridge' (SIGHUP). Guarded moves (into or out of",
      "cutover) are checked by the daemon on reload; --force writes force: true to override a",
      "refusing gate or a missing drain-back (logged as forced)."
    })
public final class SetPhaseCommand implements Callable<Integer> {
  private static final Pattern ITEM =
      Pattern.compile("^(\\s*)-\\s+table:\\s*\"?([^\"#\\s]+)\"?.*$");

  @Mixin ConfigOption config;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "[SCHEMA.]TABLE",
      description = "The queue.")
  String queue;

  @Parameters(index = "0", paramLabel = "PHASE", description = "off, mirror, shadow or cutover.")
  String phase;

  @Option(names = "--force", description = "Also write force: true (otherwise force: false).")
  boolean force;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Phase target;
    try {
      target = Phase.valueOf(phase.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCode.USAGE, "phase '" + phase + "' is not one of off, mirror, shadow, cutover");
    }
    BridgeConfig before = config.load();
    TableRef wanted;
    try {
      wanted = TableRef.parse(queue, before.database().schema());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--queue: " + e.getMessage());
    }
    QueueConfig q =
        before
            .queue(wanted)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCode.CONFIG,
                        "--queue " + wanted + ": not a queue of " + config.path()));
    Path file = config.path();
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    int start = -1;
    String indent = null;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ITEM.matcher(lines.get(i));
      if (m.matches() && TableRef.parse(m.group(2), before.database().schema()).sameAs(q.table())) {
        start = i;
        indent = m.group(1) + "  ";
        break;
      }
    }
    if (start < 0) {
      throw new CliException(
          ExitCode.CONFIG,
          "cannot find '- table: "
              + q.table().table()
              + "' in "
              + file
              + " (set the phase by hand)");
    }
    int end = start + 1;
    while (end < lines.size()
        && (lines.get(end).isBlank() || lines.get(end).startsWith(indent))
        && !lines.get(end).trim().startsWith("- ")) {
      end++;
    }
    setKey(lines, start, end, indent, "phase", target.yamlName());
    end = blockEnd(lines, start, indent);
    setKey(lines, start, end, indent, "force", String.valueOf(force));
    String text = String.join("\n", lines) + "\n";
    try {
      ConfigLoader.parse(text, file.toString(), System::getenv);
    } catch (ConfigException e) {
      throw new CliException(
          ExitCode.CONFIG,
          "the edited file would be invalid, nothing saved: " + String.join("; ", e.errors()));
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".q4m-tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    spec.commandLine()
        .getOut()
        .println(
            q.table()
                + ": phase "
                + q.phase().yamlName()
                + " -> "
                + target.yamlName()
                + (force ? " (force: true)" : "")
                + " written to "
                + file
                + "; reload the service to apply");
    return ExitCode.OK.code();
  }

  private static int blockEnd(List<String> lines, int start, String indent) {
    int end = start + 1;
    while (end < lines.size()
        && (lines.get(end).isBlank() || lines.get(end).startsWith(indent))
        && !lines.get(end).trim().startsWith("- ")) {
      end++;
    }
    return end;
  }

  private static void setKey(
      List<String> lines, int start, int end, String indent, String key, String value) {
    Pattern p =
        Pattern.compile(
            "^" + Pattern.quote(indent) + Pattern.quote(key) + ":\\s*[^#]*?(\\s*#.*)?$");
    for (int i = start + 1; i < end; i++) {
      Matcher m = p.matcher(lines.get(i));
      if (m.matches()) {
        lines.set(i, indent + key + ": " + value + (m.group(1) == null ? "" : m.group(1)));
        return;
      }
    }
    lines.add(start + 1, indent + key + ": " + value);
  }
}
