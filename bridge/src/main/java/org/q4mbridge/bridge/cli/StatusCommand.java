package org.q4mbridge.bridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code q4m-bridge status}: asks the running daemon's admin listener for {@code /status} and
 * prints one line per queue. Reads only; waits at most a few seconds.
 */
@Command(
    name = "status",
    description = {
      "Show what the running daemon is doing.",
      "Readiness, and per queue the phase, backlog, age of the oldest row, rows in flight, rates and the last error. Asks the admin listener",
      "(admin.listen); exit 4 when the daemon does not answer."
    })
public final class StatusCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:9400",
      description = "The daemon's admin listener (default ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--json", description = "Print the daemon's JSON as it is.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(url.replaceAll("/+$", "") + "/status");
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--url " + url + ": not a URL");
    }
    String body = fetch(uri);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(body);
      out.flush();
      return ExitCode.OK.code();
    }
    JsonNode s;
    try {
      s = new ObjectMapper().readTree(body);
    } catch (IOException e) {
      throw new CliException(ExitCode.FAILED, uri + " did not answer JSON: " + e.getMessage(), e);
    }
    print(out, s);
    out.flush();
    return ExitCode.OK.code();
  }

  private static String fetch(URI uri) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(5))
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CliException(
          ExitCode.UNAVAILABLE,
          "no answer from "
              + uri
              + " ("
              + why
              + "): is the daemon running (systemctl status q4m-bridge) and is --url its"
              + " admin.listen?",
          e);
    }
    if (response.statusCode() != 200) {
      throw new CliException(
          ExitCode.FAILED, uri + " answered HTTP " + response.statusCode() + ": not q4m-bridge?");
    }
    return response.body();
  }

  static void print(PrintWriter out, JsonNode s) {
    boolean ready = s.path("ready").asBoolean();
    out.printf(
        Locale.ROOT,
        "q4m-bridge %s: %s, %s, up %s%n",
        s.path("version").asText("?"),
        ready ? "READY" : "NOT READY",
        s.path("state").asText("?"),
        duration(s.path("uptimeSeconds").asLong()));
    for (JsonNode r : s.path("notReady")) {
      out.println("  not ready: " + r.asText());
    }
    if (!s.path("lastReloadError").isNull() && s.has("lastReloadError")) {
      out.println("  last reload refused: " + s.path("lastReloadError").asText());
    }
    out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "QUEUE",
          "PHASE",
          "BACKLOG",
          "OLDEST",
          "IN-FLIGHT",
          "ACKED/S",
          "DEAD/S",
          "SINKS",
          "LAST ERROR"
        });
    for (JsonNode q : s.path("queues")) {
      boolean off = q.path("phase").asText().equals("off");
      JsonNode errors = q.path("lastErrors");
      rows.add(
          new String[] {
            q.path("name").asText(),
            q.path("phase").asText() + (q.path("ready").asBoolean(true) ? "" : " (stuck)"),
            off ? "-" : q.path("backlog").isNull() ? "?" : fmt(q.path("backlog").asLong()),
            q.path("oldestAgeSeconds").isNull() || off
                ? "-"
                : duration(q.path("oldestAgeSeconds").asLong()),
            off ? "-" : fmt(q.path("inFlight").asLong()),
            off ? "-" : String.format(Locale.ROOT, "%.1f", q.path("ackedPerSecond").asDouble()),
            off
                ? "-"
                : String.format(Locale.ROOT, "%.1f", q.path("deadLetteredPerSecond").asDouble()),
            join(q.path("sinks")),
            errors.isEmpty() ? "" : errors.get(0).path("message").asText()
          });
    }
    table(out, rows, Set.of(2, 3, 4, 5, 6));
    out.println();
    List<String[]> sinks = new ArrayList<>();
    sinks.add(new String[] {"SINK", "HEALTH", "CONFIRMED", "REJECTED", "NO ANSWER"});
    for (JsonNode k : s.path("sinks")) {
      sinks.add(
          new String[] {
            k.path("name").asText(),
            k.path("healthy").asBoolean() ? "healthy" : "UNHEALTHY",
            fmt(k.path("confirmed").asLong()),
            fmt(k.path("rejected").asLong()),
            fmt(k.path("unknown").asLong())
          });
    }
    table(out, sinks, Set.of(2, 3, 4));
  }

  private static void table(PrintWriter out, List<String[]> rows, Set<Integer> numeric) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        // Text left-aligned, numbers right-aligned.
        String cell = r[i];
        if (numeric.contains(i)) {
          line.append(" ".repeat(width[i] - cell.length())).append(cell).append("  ");
        } else {
          line.append(cell).append(" ".repeat(width[i] - cell.length())).append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return String.join(",", out);
  }

  private static String fmt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + seconds % 60 + "s";
    }
    if (seconds < 86400) {
      return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
    }
    return seconds / 86400 + "d" + seconds % 86400 / 3600 + "h";
  }
}
