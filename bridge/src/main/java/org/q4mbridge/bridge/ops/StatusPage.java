package org.q4mbridge.bridge.ops;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * {@code /status} as a small HTML page a person can read: one row per queue (phase, backlog, oldest
 * row, in flight, rates, progress), sink health, the last reload error and the last errors per
 * queue. Self-contained (inline CSS, no scripts, no external assets) and refreshed by the browser
 * every 5 seconds. Every value from configuration or errors is HTML-escaped.
 */
public final class StatusPage {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private StatusPage() {}

  /** The page for {@code s}. */
  public static String render(Status s) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\">")
        .append("<title>q4m-bridge ")
        .append(s.ready() ? "ready" : "NOT READY")
        .append("</title><style>")
        .append(
            "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}"
                + "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}"
                + ".meta{color:#5b6475;margin-bottom:12px}"
                + ".banner{padding:10px 14px;border-radius:6px;font-weight:600;margin:12px 0}"
                + ".ok{background:#dff3e4;color:#135d2b}.bad{background:#fbe3e3;color:#8a1c1c}"
                + ".warn{background:#fff3d6;color:#7a5200}"
                + "table{border-collapse:collapse;background:#fff;width:100%;"
                + "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
                + "th,td{padding:6px 10px;border-bottom:1px solid #e3e6eb;text-align:left;"
                + "vertical-align:top}th{background:#eef0f4;font-weight:600}"
                + "td.n{text-align:right;font-variant-numeric:tabular-nums}"
                + ".phase{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;"
                + "font-weight:600}.off{background:#8a93a3}.mirror{background:#5470c6}"
                + ".shadow{background:#9a60b4}.cutover{background:#2f9e44}"
                + ".err{color:#8a1c1c;font-size:12px}.small{font-size:12px;color:#5b6475}"
                + "td.w{word-break:break-all;max-width:220px;font-size:13px}")
        .append("</style></head><body>");
    h.append("<h1>q4m-bridge</h1><div class=\"meta\">version ")
        .append(esc(s.version()))
        .append(" &middot; ")
        .append(esc(s.state()))
        .append(" &middot; up ")
        .append(duration(s.uptimeSeconds()))
        .append(" &middot; ")
        .append(TIME.format(s.generatedAt()))
        .append("</div>");
    if (s.ready()) {
      h.append("<div class=\"banner ok\">READY: every queue is making progress or has no backlog")
          .append("</div>");
    } else {
      h.append("<div class=\"banner bad\">NOT READY<ul>");
      for (String r : s.notReady()) {
        h.append("<li>").append(esc(r)).append("</li>");
      }
      h.append("</ul></div>");
    }
    if (s.lastReloadError() != null) {
      h.append("<div class=\"banner warn\">Last reload refused: ")
          .append(esc(s.lastReloadError()))
          .append("</div>");
    }
    h.append("<h2>Queues</h2><table><tr><th>Queue</th><th>Phase</th><th>Backlog</th>")
        .append("<th>Oldest row</th><th>In flight</th><th>Acked/s</th><th>Dead-lettered/s</th>")
        .append("<th>Last progress</th><th>Destination</th><th>Sinks</th><th>Consumers</th></tr>");
    for (Status.Queue q : s.queues()) {
      h.append("<tr><td><b>")
          .append(esc(q.name()))
          .append("</b>")
          .append(q.sourceTables().equals(List.of(q.name())) ? "" : "<div class=\"small\">reads ")
          .append(
              q.sourceTables().equals(List.of(q.name()))
                  ? ""
                  : esc(String.join(", ", q.sourceTables())) + "</div>")
          .append("</td><td><span class=\"phase ")
          .append(esc(q.phase()))
          .append("\">")
          .append(esc(q.phase()))
          .append("</span>")
          .append(q.ready() ? "" : "<div class=\"err\">" + esc(q.notReadyReason()) + "</div>")
          .append("</td><td class=\"n\">")
          .append(
              off(q)
                  ? "&ndash;"
                  : q.backlog() == null ? "?" : String.format(Locale.ROOT, "%,d", q.backlog()))
          .append(
              q.backlogError() == null
                  ? ""
                  : "<div class=\"err\">" + esc(q.backlogError()) + "</div>")
          .append("</td><td class=\"n\">")
          .append(q.oldestAgeSeconds() == null ? "&ndash;" : duration(q.oldestAgeSeconds()))
          .append("</td><td class=\"n\">")
          .append(off(q) ? "&ndash;" : String.format(Locale.ROOT, "%,d", q.inFlight()))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,.1f", q.ackedPerSecond()))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,.1f", q.deadLetteredPerSecond()))
          .append("</td><td class=\"n\">")
          .append(
              q.secondsSinceProgress() == null
                  ? "&ndash;"
                  : duration(q.secondsSinceProgress()) + " ago")
          .append("</td><td class=\"w\">")
          .append(esc(q.destination() == null ? "" : q.destination()))
          .append("</td><td class=\"w\">")
          .append(esc(String.join(", ", q.sinks())))
          .append(
              q.bestEffort().isEmpty()
                  ? ""
                  : "<div class=\"small\">best effort: "
                      + esc(String.join(", ", q.bestEffort()))
                      + "</div>")
          .append("</td><td class=\"n\">")
          .append(off(q) ? "&ndash;" : String.valueOf(q.consumers()))
          .append("</td></tr>");
    }
    h.append("</table>");
    h.append("<h2>Sinks</h2><table><tr><th>Sink</th><th>Health</th><th>Confirmed</th>")
        .append("<th>Rejected</th><th>No answer</th></tr>");
    for (Status.Sink k : s.sinks()) {
      h.append("<tr><td><b>")
          .append(esc(k.name()))
          .append("</b></td><td>")
          .append(k.healthy() ? "healthy" : "<span class=\"err\">UNHEALTHY</span>")
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", k.confirmed()))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", k.rejected()))
          .append("</td><td class=\"n\">")
          .append(String.format(Locale.ROOT, "%,d", k.unknown()))
          .append("</td></tr>");
    }
    h.append("</table>");
    boolean anyErrors = s.queues().stream().anyMatch(q -> !q.lastErrors().isEmpty());
    if (anyErrors) {
      h.append("<h2>Last errors</h2><table><tr><th>Queue</th><th>Last seen</th><th>Times</th>")
          .append("<th>Error</th></tr>");
      for (Status.Queue q : s.queues()) {
        for (Activity.Error e : q.lastErrors()) {
          h.append("<tr><td>")
              .append(esc(q.name()))
              .append("</td><td>")
              .append(TIME.format(e.last()))
              .append("</td><td class=\"n\">")
              .append(e.count())
              .append("</td><td>")
              .append(esc(e.message()))
              .append("</td></tr>");
        }
      }
      h.append("</table>");
    }
    h.append(
            "<p class=\"small\">JSON: <code>/status</code> &middot; metrics: <code>/metrics</code>")
        .append(" &middot; probes: <code>/health/live</code>, <code>/health/ready</code></p>")
        .append("</body></html>\n");
    return h.toString();
  }

  private static boolean off(Status.Queue q) {
    return q.phase().equals("off");
  }

  /** {@code 42 s}, {@code 3 min 5 s}, {@code 2 h 10 min}, {@code 3 d 4 h}. */
  static String duration(long seconds) {
    Duration d = Duration.ofSeconds(Math.max(0, seconds));
    if (d.toMinutes() == 0) {
      return d.toSeconds() + " s";
    }
    if (d.toHours() == 0) {
      return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
    if (d.toDays() == 0) {
      return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
    return d.toDays() + " d " + d.toHoursPart() + " h";
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
