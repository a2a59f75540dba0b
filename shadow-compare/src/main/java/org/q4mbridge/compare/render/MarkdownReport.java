package org.q4mbridge.compare.render;

import static org.q4mbridge.compare.render.Text.md;
import static org.q4mbridge.compare.render.Text.num;
import static org.q4mbridge.compare.render.Text.pct;

import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.FieldDiff;
import org.q4mbridge.compare.Finding;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Histogram;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.TransportCategory;

/**
 * A report as GitHub-flavoured Markdown, to paste into a ticket: the gate verdict, the counts, the
 * top mismatches with their diffs and the first keys of every problem category. User data is
 * escaped so it can neither break a table nor inject HTML. Pure and thread-safe.
 */
public final class MarkdownReport {
  /** Keys listed per category; the JSON and HTML reports list more. */
  static final int KEYS_SHOWN = 20;

  private MarkdownReport() {}

  /** The report, with the gate's verdict when {@code gate} is not null. */
  public static String render(Report r, GateResult gate) {
    StringBuilder sb = new StringBuilder();
    Report.Outcomes o = r.outcomes();
    sb.append("## Shadow comparison: `").append(md(r.queue())).append("`\n\n");
    sb.append("Window ").append(Text.window(r)).append(" · generated ");
    sb.append(Text.time(r.generatedAt())).append("  \n");
    sb.append("Rules: ").append(md(r.rules())).append("\n\n");
    if (gate != null) {
      sb.append(gate.passed() ? "**Gate: PASSED**\n\n" : "**Gate: FAILED**\n\n");
      for (String reason : gate.reasons()) {
        sb.append("- ").append(md(reason)).append('\n');
      }
      if (!gate.reasons().isEmpty()) {
        sb.append('\n');
      }
    }

    sb.append("### Outcomes\n\n");
    sb.append("| | jobs |\n|---|---:|\n");
    sb.append("| samples | ").append(num(o.samples())).append(" |\n");
    sb.append("| match rate | ").append(pct(o.matchRate())).append(" |\n");
    sb.append("| mismatch rate (of ")
        .append(num(o.compared()))
        .append(" compared) | ")
        .append(pct(o.mismatchRate()))
        .append(" |\n");
    for (Category c : Category.values()) {
      sb.append("| ").append(c.label()).append(" | ").append(num(o.count(c))).append(" |\n");
    }
    if (o.sampledOut() > 0) {
      sb.append("| left out by sampling | ").append(num(o.sampledOut())).append(" |\n");
    }
    sb.append('\n');

    sb.append("| job duration | runs | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n");
    durations(sb, "legacy", o.legacyDurations());
    durations(sb, "candidate", o.candidateDurations());
    sb.append('\n');

    if (!o.topMismatches().isEmpty()) {
      sb.append("### Top mismatches\n\n");
      int i = 1;
      for (Report.MismatchGroup g : o.topMismatches()) {
        Finding.Mismatched m = g.example();
        sb.append("**")
            .append(i++)
            .append(". ")
            .append(md(g.signature().isEmpty() ? "(no field differs)" : g.signature()))
            .append("** — ")
            .append(num(g.count()))
            .append(g.count() == 1 ? " job" : " jobs")
            .append("  \nExample `")
            .append(md(m.key()))
            .append("`: legacy `")
            .append(md(m.legacy().outcome()))
            .append("`")
            .append(m.legacy().worker() == null ? "" : " on " + md(m.legacy().worker()))
            .append(", candidate `")
            .append(md(m.candidate().outcome()))
            .append("`")
            .append(m.candidate().worker() == null ? "" : " on " + md(m.candidate().worker()))
            .append("\n\n");
        if (!m.diffs().isEmpty()) {
          sb.append("| path | legacy | candidate |\n|---|---|---|\n");
          for (FieldDiff d : m.diffs()) {
            sb.append("| `")
                .append(md(d.path()))
                .append("` | ")
                .append(cell(d.legacy()))
                .append(" | ")
                .append(cell(d.candidate()))
                .append(" |\n");
          }
          sb.append('\n');
        }
        sb.append("Keys: ");
        g.exampleKeys().forEach(k -> sb.append('`').append(md(k)).append("` "));
        if (g.count() > g.exampleKeys().size()) {
          sb.append("…");
        }
        sb.append("\n\n");
      }
    }

    for (Category c : Category.values()) {
      if (c != Category.MATCHED) {
        keys(sb, c.label(), o.keys(c));
      }
    }

    Report.Transport t = r.transport();
    if (t.messages() > 0) {
      sb.append("### Transport (forwarded vs observed)\n\n| | messages |\n|---|---:|\n");
      for (TransportCategory c : TransportCategory.values()) {
        sb.append("| ").append(c.label()).append(" | ").append(num(t.count(c))).append(" |\n");
      }
      sb.append('\n');
      sb.append("| delivery latency | messages | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|\n");
      durations(sb, "first publish → first delivery", t.latency());
      sb.append('\n');
      for (TransportCategory c : TransportCategory.values()) {
        if (c != TransportCategory.DELIVERED) {
          keys(sb, "transport " + c.label(), t.keys(c));
        }
      }
    }
    return sb.toString();
  }

  private static String cell(String v) {
    return v == null ? "*(absent)*" : "`" + md(v) + "`";
  }

  private static void durations(StringBuilder sb, String side, Histogram h) {
    sb.append("| ").append(side).append(" | ").append(num(h.total()));
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      sb.append(" | ").append(h.total() == 0 ? "–" : Text.duration(h.quantile(q)));
    }
    sb.append(" |\n");
  }

  private static void keys(StringBuilder sb, String label, Report.KeyList k) {
    if (k.total() == 0) {
      return;
    }
    sb.append("**").append(label).append("** (").append(num(k.total())).append("): ");
    k.keys().stream().limit(KEYS_SHOWN).forEach(key -> sb.append('`').append(md(key)).append("` "));
    if (k.total() > Math.min(KEYS_SHOWN, k.keys().size())) {
      sb.append("… ")
          .append(num(k.total() - Math.min(KEYS_SHOWN, k.keys().size())))
          .append(" more");
    }
    sb.append("\n\n");
  }
}
