package org.q4mbridge.compare.render;

import static org.q4mbridge.compare.render.Text.html;
import static org.q4mbridge.compare.render.Text.num;
import static org.q4mbridge.compare.render.Text.pct;

import java.util.List;
import java.util.Locale;
import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.FieldDiff;
import org.q4mbridge.compare.Finding;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Histogram;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.TransportCategory;

/**
 * A report as one self-contained HTML page for people: inline CSS and inline SVG charts (match rate
 * over time, job durations legacy vs candidate, counts per category, transport), the top mismatches
 * with their diffs and the keys of every problem category. No script, no external resource, so it
 * can be mailed, attached to a ticket or opened offline. Every piece of user data (queue, keys,
 * workers, outcomes, JSON values) is HTML-escaped. Pure and thread-safe.
 */
public final class HtmlReport {
  private static final String LEGACY = "#78909c";
  private static final double SAMPLE_BAND = 0.3;
  private static final String CANDIDATE = "#1e88e5";

  private HtmlReport() {}

  /** The color of a category in every chart and badge. */
  static String color(Category c) {
    return switch (c) {
      case MATCHED -> "#2e7d32";
      case MISMATCHED -> "#c62828";
      case MISSING_ON_CANDIDATE -> "#ef6c00";
      case MISSING_ON_LEGACY -> "#f9a825";
      case DUPLICATED -> "#6a1b9a";
      case LATE -> "#1565c0";
    };
  }

  static String color(TransportCategory c) {
    return switch (c) {
      case DELIVERED -> "#2e7d32";
      case LATE -> "#1565c0";
      case PAYLOAD_DIFFERS -> "#c62828";
      case DUPLICATED -> "#6a1b9a";
      case MISSING -> "#ef6c00";
      case UNCONFIRMED -> "#90a4ae";
      case UNEXPECTED -> "#f9a825";
    };
  }

  /** The page, with the gate's verdict when {@code gate} is not null. */
  public static String render(Report r, GateResult gate) {
    Report.Outcomes o = r.outcomes();
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    sb.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    sb.append("<title>Shadow comparison: ").append(html(r.queue())).append("</title>");
    sb.append("<style>").append(CSS).append("</style></head><body><main>\n");

    sb.append("<header><h1>Shadow comparison <span class=\"queue\">")
        .append(html(r.queue()))
        .append("</span></h1><p class=\"meta\">")
        .append(html(Text.window(r)))
        .append(" · generated ")
        .append(html(Text.time(r.generatedAt())))
        .append("<br>rules: ")
        .append(html(r.rules()))
        .append("</p></header>\n");

    if (gate != null) {
      gate(sb, gate);
    }

    sb.append("<section class=\"cards\">");
    card(sb, "samples", num(o.samples()), "jobs compared", null);
    card(sb, "match rate", pct(o.matchRate()), "results agree", color(Category.MATCHED));
    card(
        sb,
        "mismatched",
        num(o.count(Category.MISMATCHED)),
        pct(o.mismatchRate()) + " of " + num(o.compared()) + " compared",
        color(Category.MISMATCHED));
    card(
        sb,
        "missing",
        num(o.missing()),
        num(o.count(Category.MISSING_ON_CANDIDATE))
            + " on candidate · "
            + num(o.count(Category.MISSING_ON_LEGACY))
            + " on legacy",
        color(Category.MISSING_ON_CANDIDATE));
    card(
        sb,
        "duplicated",
        num(o.count(Category.DUPLICATED)),
        num(o.candidateDuplicated()) + " on candidate",
        color(Category.DUPLICATED));
    card(sb, "late", num(o.count(Category.LATE)), "agree, but after the SLA", color(Category.LATE));
    sb.append("</section>\n");

    sb.append("<section><h2>Match rate over time</h2>");
    matchRateChart(sb, r);
    sb.append("</section>\n");

    sb.append("<section class=\"row\"><div><h2>Job duration, legacy vs candidate</h2>");
    durationChart(sb, o);
    sb.append("</div><div class=\"narrow\"><h2>Keys per category</h2>");
    categoryChart(sb, o);
    sb.append("</div></section>\n");

    mismatches(sb, o);
    keyLists(sb, o);
    transport(sb, r.transport());

    sb.append("<footer>q4m-bridge shadow-compare · a key is counted in the window where its first")
        .append(" run started · match rate = (matched + late) / samples · mismatch rate =")
        .append(" mismatched / compared (one run on each side)</footer>");
    sb.append("</main></body></html>\n");
    return sb.toString();
  }

  private static void gate(StringBuilder sb, GateResult gate) {
    sb.append("<section id=\"gate\" class=\"gate ")
        .append(gate.passed() ? "pass" : "fail")
        .append("\"><h2>")
        .append(gate.passed() ? "Gate passed" : "Gate failed")
        .append("</h2><ul>");
    for (String c : gate.checks()) {
      boolean ok = c.startsWith("ok");
      sb.append("<li class=\"")
          .append(ok ? "ok" : "bad")
          .append("\">")
          .append(ok ? "✔ " : "✘ ")
          .append(html(c.substring(5)))
          .append("</li>");
    }
    sb.append("</ul></section>\n");
  }

  private static void card(
      StringBuilder sb, String title, String value, String note, String color) {
    sb.append("<div class=\"card\"")
        .append(color == null ? "" : " style=\"border-top-color:" + color + "\"")
        .append("><div class=\"t\">")
        .append(html(title))
        .append("</div><div class=\"v\">")
        .append(html(value))
        .append("</div><div class=\"n\">")
        .append(html(note))
        .append("</div></div>");
  }

  // ---- charts -------------------------------------------------------------------------------

  private static void matchRateChart(StringBuilder sb, Report r) {
    List<Report.TimeBucket> buckets = r.outcomes().overTime();
    int w = 1120;
    int h = 260;
    int left = 56;
    int right = 56;
    int top = 14;
    int bottom = 34;
    double pw = w - left - right;
    double ph = h - top - bottom;
    long maxSamples = buckets.stream().mapToLong(Report.TimeBucket::samples).max().orElse(0);
    double minRate =
        buckets.stream()
            .filter(b -> b.samples() > 0)
            .mapToDouble(Report.TimeBucket::matchRate)
            .min()
            .orElse(1);
    // Zoom in when every bucket is good, so 99 % and 100 % do not look alike.
    double floor = Math.max(0, Math.min(90, Math.floor(minRate * 10 - 0.0001) * 10));
    svgOpen(sb, "chart-match-rate", w, h, "match rate per time bucket");
    for (int i = 0; i <= 4; i++) {
      double v = floor + (100 - floor) * i / 4;
      double y = top + ph - ph * i / 4;
      sb.append(line(left, y, left + pw, y, "#e3e7ea"));
      sb.append(text(left - 6, y + 4, fmt(v) + "%", "end", "axis"));
    }
    double bw = pw / buckets.size();
    StringBuilder path = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < buckets.size(); i++) {
      Report.TimeBucket b = buckets.get(i);
      double x = left + i * bw;
      if (b.samples() > 0) {
        // Volume is context, not the message: it stays in the lower third under the rate line.
        double bh = ph * SAMPLE_BAND * b.samples() / maxSamples;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"samples\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
                    + " fill=\"#dfe6ec\"><title>%s</title></rect>",
                x + 0.5,
                top + ph - bh,
                Math.max(0.5, bw - 1),
                bh,
                html(
                    Text.time(b.start())
                        + ": "
                        + num(b.samples())
                        + " samples, "
                        + num(b.mismatched())
                        + " mismatched, match rate "
                        + pct(b.matchRate()))));
        double rate = b.matchRate() * 100;
        double y = top + ph - ph * Math.max(0, rate - floor) / (100 - floor);
        path.append(pen ? " L" : " M").append(fmt(x + bw / 2)).append(' ').append(fmt(y));
        pen = true;
      } else {
        pen = false;
      }
    }
    if (!path.isEmpty()) {
      sb.append("<path d=\"")
          .append(path.toString().strip())
          .append("\" fill=\"none\" stroke=\"")
          .append(color(Category.MATCHED))
          .append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>");
      for (int i = 0; i < buckets.size(); i++) {
        Report.TimeBucket b = buckets.get(i);
        if (b.samples() > 0 && b.mismatched() > 0) {
          double rate = b.matchRate() * 100;
          double y = top + ph - ph * Math.max(0, rate - floor) / (100 - floor);
          sb.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
                  left + i * bw + bw / 2,
                  y,
                  color(Category.MISMATCHED)));
        }
      }
    } else {
      sb.append(text(left + pw / 2, top + ph / 2, "no samples in this window", "middle", "empty"));
    }
    int every = Math.max(1, buckets.size() / 8);
    for (int i = 0; i < buckets.size(); i += every) {
      double x = left + i * bw;
      sb.append(line(x, top + ph, x, top + ph + 4, "#90a4ae"));
      sb.append(
          text(
              x,
              top + ph + 18,
              Text.axisTime(buckets.get(i).start(), r.window().length()),
              "middle",
              "axis"));
    }
    sb.append(line(left, top + ph, left + pw, top + ph, "#90a4ae"));
    sb.append("</svg>");
    sb.append("<p class=\"legend\"><i style=\"background:")
        .append(color(Category.MATCHED))
        .append("\"></i>match rate <i style=\"background:#dfe6ec\"></i>samples per bucket (max ")
        .append(num(maxSamples))
        .append(")")
        .append(" <i class=\"dot\" style=\"background:")
        .append(color(Category.MISMATCHED))
        .append("\"></i>bucket with mismatches · times UTC</p>");
  }

  private static void durationChart(StringBuilder sb, Report.Outcomes o) {
    histogramChart(
        sb,
        "chart-durations",
        "job duration histogram, legacy vs candidate",
        o.legacyDurations(),
        o.candidateDurations());
    sb.append("<p class=\"legend\"><i style=\"background:")
        .append(LEGACY)
        .append("\"></i>legacy <i style=\"background:")
        .append(CANDIDATE)
        .append("\"></i>candidate · share of each side's runs per duration bin</p>");
    sb.append("<table class=\"q\"><tr><th></th><th>runs</th><th>p50</th><th>p95</th><th>p99</th>")
        .append("</tr>");
    quantiles(sb, "legacy", o.legacyDurations());
    quantiles(sb, "candidate", o.candidateDurations());
    sb.append("</table>");
  }

  private static void quantiles(StringBuilder sb, String label, Histogram h) {
    sb.append("<tr><th>").append(label).append("</th><td>").append(num(h.total())).append("</td>");
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      sb.append("<td>")
          .append(h.total() == 0 ? "–" : html(Text.duration(h.quantile(q))))
          .append("</td>");
    }
    sb.append("</tr>");
  }

  /** Grouped bars: one group per bin, one bar per series, as the share of that series' total. */
  private static void histogramChart(
      StringBuilder sb, String id, String title, Histogram first, Histogram second) {
    int w = 700;
    int h = 240;
    int left = 44;
    int top = 12;
    int bottom = 40;
    double pw = w - left - 10;
    double ph = h - top - bottom;
    int bins = first.counts().size();
    double max = 0;
    for (int i = 0; i < bins; i++) {
      max = Math.max(max, share(first, i));
      if (second != null) {
        max = Math.max(max, share(second, i));
      }
    }
    max = max == 0 ? 1 : Math.min(1, Math.ceil(max * 10) / 10);
    svgOpen(sb, id, w, h, title);
    for (int i = 0; i <= 4; i++) {
      double y = top + ph - ph * i / 4;
      sb.append(line(left, y, left + pw, y, "#e3e7ea"));
      sb.append(text(left - 6, y + 4, fmt(max * 100 * i / 4) + "%", "end", "axis"));
    }
    double gw = pw / bins;
    double bw = second == null ? gw * 0.7 : gw * 0.38;
    for (int i = 0; i < bins; i++) {
      double gx = left + i * gw + gw * 0.12;
      bar(
          sb,
          gx,
          top,
          ph,
          bw,
          share(first, i) / max,
          second == null ? CANDIDATE : LEGACY,
          first.label(i) + ": " + num(first.counts().get(i)));
      if (second != null) {
        bar(
            sb,
            gx + bw,
            top,
            ph,
            bw,
            share(second, i) / max,
            CANDIDATE,
            second.label(i) + ": " + num(second.counts().get(i)));
      }
      if (i % 2 == 0 || bins <= 10) {
        sb.append(
            text(left + i * gw + gw / 2, top + ph + 16, first.label(i), "middle", "axis small"));
      }
    }
    sb.append(line(left, top + ph, left + pw, top + ph, "#90a4ae"));
    if (first.total() == 0 && (second == null || second.total() == 0)) {
      sb.append(text(left + pw / 2, top + ph / 2, "no runs in this window", "middle", "empty"));
    }
    sb.append("</svg>");
  }

  private static double share(Histogram h, int i) {
    return h.total() == 0 ? 0 : (double) h.counts().get(i) / h.total();
  }

  private static void bar(
      StringBuilder sb,
      double x,
      int top,
      double ph,
      double w,
      double frac,
      String fill,
      String tip) {
    double bh = ph * frac;
    if (frac > 0 && bh < 1) {
      bh = 1;
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
            x,
            top + ph - bh,
            w,
            bh,
            fill,
            html(tip)));
  }

  private static void categoryChart(StringBuilder sb, Report.Outcomes o) {
    Category[] cats = Category.values();
    String[] labels = new String[cats.length];
    long[] counts = new long[cats.length];
    String[] colors = new String[cats.length];
    for (int i = 0; i < cats.length; i++) {
      labels[i] = cats[i].label();
      counts[i] = o.count(cats[i]);
      colors[i] = color(cats[i]);
    }
    hbars(sb, "chart-categories", "jobs per category", labels, counts, colors);
  }

  /** Horizontal bars with the label on the left and the count at the bar's end. */
  private static void hbars(
      StringBuilder sb, String id, String title, String[] labels, long[] counts, String[] colors) {
    int w = 400;
    int row = 30;
    int left = 150;
    int h = row * labels.length + 8;
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    svgOpen(sb, id, w, h, title);
    for (int i = 0; i < labels.length; i++) {
      double y = 4 + i * row;
      double bw = (w - left - 70) * (double) counts[i] / max;
      if (counts[i] > 0 && bw < 2) {
        bw = 2;
      }
      sb.append(text(left - 8, y + 19, labels[i], "end", "label"));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"20\" rx=\"3\" fill=\"%s\"/>",
              left,
              y + 4,
              bw,
              colors[i]));
      sb.append(text(left + bw + 6, y + 19, num(counts[i]), "start", "label strong"));
    }
    sb.append("</svg>");
  }

  // ---- tables -------------------------------------------------------------------------------

  private static void mismatches(StringBuilder sb, Report.Outcomes o) {
    sb.append("<section id=\"mismatches\"><h2>Top mismatches</h2>");
    if (o.topMismatches().isEmpty()) {
      sb.append("<p class=\"none\">No mismatches in this window.</p></section>\n");
      return;
    }
    int i = 1;
    for (Report.MismatchGroup g : o.topMismatches()) {
      Finding.Mismatched m = g.example();
      sb.append("<article class=\"mm\"><h3><span class=\"rank\">")
          .append(i++)
          .append("</span>")
          .append(html(g.signature().isEmpty() ? "(no field differs)" : g.signature()))
          .append(" <span class=\"count\">")
          .append(num(g.count()))
          .append(g.count() == 1 ? " job" : " jobs")
          .append("</span></h3>");
      sb.append("<p class=\"ex\">example <code>")
          .append(html(m.key()))
          .append("</code> · legacy <b>")
          .append(html(m.legacy().outcome()))
          .append("</b>")
          .append(worker(m.legacy().worker()))
          .append(" · candidate <b>")
          .append(html(m.candidate().outcome()))
          .append("</b>")
          .append(worker(m.candidate().worker()))
          .append("</p>");
      if (!m.diffs().isEmpty()) {
        sb.append("<table class=\"diff\"><tr><th>path</th><th>legacy</th><th>candidate</th></tr>");
        for (FieldDiff d : m.diffs()) {
          sb.append("<tr><td><code>")
              .append(html(d.path()))
              .append("</code></td><td class=\"l\">")
              .append(valueCell(d.legacy()))
              .append("</td><td class=\"c\">")
              .append(valueCell(d.candidate()))
              .append("</td></tr>");
        }
        sb.append("</table>");
      }
      sb.append("<p class=\"keys\">keys: ");
      for (String k : g.exampleKeys()) {
        sb.append("<code>").append(html(k)).append("</code> ");
      }
      if (g.count() > g.exampleKeys().size()) {
        sb.append("and ").append(num(g.count() - g.exampleKeys().size())).append(" more");
      }
      sb.append("</p></article>");
    }
    sb.append("</section>\n");
  }

  private static String worker(String w) {
    return w == null ? "" : " on " + html(w);
  }

  private static String valueCell(String v) {
    return v == null ? "<span class=\"absent\">(absent)</span>" : "<code>" + html(v) + "</code>";
  }

  private static void keyLists(StringBuilder sb, Report.Outcomes o) {
    boolean any = false;
    for (Category c : Category.values()) {
      if (c != Category.MATCHED && o.keys(c).total() > 0) {
        if (!any) {
          sb.append("<section id=\"keys\"><h2>Keys to look at</h2>");
          any = true;
        }
        keyList(sb, c.label(), color(c), o.keys(c));
      }
    }
    if (any) {
      sb.append("</section>\n");
    }
  }

  private static void keyList(StringBuilder sb, String label, String color, Report.KeyList k) {
    sb.append("<details><summary><i style=\"background:")
        .append(color)
        .append("\"></i>")
        .append(html(label))
        .append(" <b>")
        .append(num(k.total()))
        .append("</b></summary><p class=\"keys\">");
    for (String key : k.keys()) {
      sb.append("<code>").append(html(key)).append("</code> ");
    }
    if (k.truncated()) {
      sb.append("… ")
          .append(num(k.total() - k.keys().size()))
          .append(" more (see the JSON report)");
    }
    sb.append("</p></details>");
  }

  private static void transport(StringBuilder sb, Report.Transport t) {
    sb.append("<section id=\"transport\"><h2>Transport: forwarded vs observed</h2>");
    if (t.messages() == 0) {
      sb.append("<p class=\"none\">The bridge recorded no forwarded or observed message in this")
          .append(" window.</p></section>\n");
      return;
    }
    TransportCategory[] cats = TransportCategory.values();
    String[] labels = new String[cats.length];
    long[] counts = new long[cats.length];
    String[] colors = new String[cats.length];
    for (int i = 0; i < cats.length; i++) {
      labels[i] = cats[i].label();
      counts[i] = t.count(cats[i]);
      colors[i] = color(cats[i]);
    }
    sb.append("<div class=\"row\"><div><h3>Delivery latency (first publish → first delivery)</h3>");
    histogramChart(sb, "chart-transport-latency", "delivery latency histogram", t.latency(), null);
    sb.append("<table class=\"q\"><tr><th></th><th>messages</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th></tr>");
    quantiles(sb, "latency", t.latency());
    sb.append("</table></div><div class=\"narrow\"><h3>Messages per category</h3>");
    hbars(sb, "chart-transport", "messages per transport category", labels, counts, colors);
    sb.append("</div></div>");
    for (TransportCategory c : cats) {
      if (c != TransportCategory.DELIVERED && t.keys(c).total() > 0) {
        keyList(sb, c.label(), color(c), t.keys(c));
      }
    }
    sb.append("</section>\n");
  }

  // ---- svg primitives -----------------------------------------------------------------------

  private static void svgOpen(StringBuilder sb, String id, int w, int h, String title) {
    sb.append("<svg id=\"")
        .append(id)
        .append("\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" role=\"img\" aria-label=\"")
        .append(html(title))
        .append("\"><title>")
        .append(html(title))
        .append("</title>");
  }

  private static String line(double x1, double y1, double x2, double y2, String stroke) {
    return String.format(
        Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>",
        x1,
        y1,
        x2,
        y2,
        stroke);
  }

  private static String text(double x, double y, String s, String anchor, String cls) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">%s</text>",
        x,
        y,
        anchor,
        cls,
        html(s));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static final String CSS =
      """
      *{box-sizing:border-box}
      body{margin:0;background:#f4f6f8;color:#1f2933;font:14px/1.45 "DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
      main{max-width:1200px;margin:0 auto;padding:24px 28px 40px}
      header h1{margin:0 0 4px;font-size:24px;font-weight:600}
      header .queue{font-family:"DejaVu Sans Mono",ui-monospace,monospace;background:#e3e8ee;border-radius:4px;padding:1px 8px;font-size:20px}
      .meta{margin:0 0 18px;color:#52606d;font-size:13px}
      h2{font-size:17px;margin:0 0 10px;font-weight:600}
      h3{font-size:15px;margin:0 0 8px;font-weight:600}
      section{background:#fff;border:1px solid #dde3e9;border-radius:8px;padding:16px 18px;margin:0 0 16px}
      .gate{border-width:1px 1px 1px 6px}
      .gate.pass{border-left-color:#2e7d32;background:#f1f8f1}
      .gate.fail{border-left-color:#c62828;background:#fdf2f2}
      .gate h2{font-size:20px}
      .gate.pass h2{color:#2e7d32}.gate.fail h2{color:#c62828}
      .gate ul{margin:0;padding:0;list-style:none}
      .gate li{padding:2px 0}
      .gate li.bad{color:#b71c1c;font-weight:600}
      .gate li.ok{color:#3e4c59}
      .cards{display:grid;grid-template-columns:repeat(6,1fr);gap:12px;background:none;border:none;padding:0}
      .card{background:#fff;border:1px solid #dde3e9;border-top:4px solid #52606d;border-radius:8px;padding:10px 12px}
      .card .t{color:#52606d;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
      .card .v{font-size:26px;font-weight:600;margin:2px 0}
      .card .n{color:#616e7c;font-size:12px}
      .row{display:flex;gap:16px;background:none;border:none;padding:0}
      .row>div{flex:1.7;background:#fff;border:1px solid #dde3e9;border-radius:8px;padding:16px 18px}
      .row>div.narrow{flex:1}
      section .row>div{border:none;padding:0}
      svg.chart{width:100%;height:auto;display:block}
      svg text.axis{font-size:11px;fill:#616e7c}
      svg text.small{font-size:10px}
      svg text.label{font-size:13px;fill:#1f2933}
      svg text.strong{font-weight:600}
      svg text.empty{font-size:14px;fill:#9aa5b1}
      .legend{margin:6px 0 0;color:#52606d;font-size:12px}
      .legend i,summary i{display:inline-block;width:12px;height:12px;border-radius:2px;margin:0 5px -1px 10px;vertical-align:baseline}
      .legend i:first-child{margin-left:0}
      .legend i.dot{border-radius:6px}
      table{border-collapse:collapse;margin-top:8px}
      table.q td,table.q th{padding:3px 12px 3px 0;text-align:right;font-size:13px}
      table.q th:first-child{text-align:left}
      .mm{border-top:1px solid #e4e7eb;padding:12px 0 4px}
      .mm:first-of-type{border-top:none;padding-top:0}
      .mm h3 code,.mm h3{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:14px}
      .rank{display:inline-block;min-width:22px;height:22px;border-radius:11px;background:#c62828;color:#fff;text-align:center;font:600 12px/22px "DejaVu Sans",sans-serif;margin-right:8px}
      .count{font-family:"DejaVu Sans",sans-serif;color:#c62828;font-weight:600;margin-left:6px}
      .ex,.keys{margin:4px 0;color:#3e4c59;font-size:13px}
      code{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12.5px;background:#f0f3f6;border-radius:3px;padding:0 4px;word-break:break-all}
      table.diff{width:100%;table-layout:fixed}
      table.diff th{text-align:left;font-size:12px;color:#52606d;border-bottom:1px solid #dde3e9;padding:4px 8px}
      table.diff td{padding:4px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
      table.diff td.l{background:#fdf3e7}
      table.diff td.c{background:#e8f1fb}
      table.diff td.l code,table.diff td.c code{background:none;padding:0}
      .absent{color:#9aa5b1;font-style:italic}
      details{margin:4px 0}
      summary{cursor:pointer;font-size:14px}
      summary i{margin-left:0}
      .none{color:#52606d;margin:0}
      footer{color:#7b8794;font-size:12px;margin-top:8px}
      @media (max-width:900px){.cards{grid-template-columns:repeat(3,1fr)}.row{flex-direction:column}}
      """;
}
