package org.q4mbridge.compare;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cutover gate (DESIGN.md §6.3): does a report prove the candidate may take over? Pure and
 * thread-safe. Checks, each with a reason naming the figure and the threshold:
 *
 * <ol>
 *   <li>the report covers at least {@link Thresholds#window()};
 *   <li>at least {@link Thresholds#minSamples()} keys were compared;
 *   <li>at most {@link Thresholds#maxMissing()} jobs missing on either side;
 *   <li>a mismatch rate (mismatched / compared) of at most {@link Thresholds#maxMismatchRate()};
 *   <li>at most {@link Thresholds#maxDuplicated()} jobs the candidate ran more than once;
 *   <li>when the bridge forwarded anything in the window, the same limits on transport: missing
 *       messages, messages delivered twice, payload-differs rate.
 * </ol>
 */
public final class Gate {
  private Gate() {}

  /** Judges a report. */
  public static GateResult evaluate(Report report, Thresholds t) {
    List<String> reasons = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    String span = "in the last " + Durations.format(report.window().length());
    Report.Outcomes o = report.outcomes();

    check(
        report.window().length().compareTo(t.window()) >= 0,
        "the report covers " + Durations.format(report.window().length()),
        ", the gate needs " + Durations.format(t.window()),
        reasons,
        checks);

    long samples = o.samples();
    check(
        samples >= t.minSamples(),
        (samples >= t.minSamples() ? "" : "only ") + num(samples) + " samples " + span,
        ", need at least " + num(t.minSamples()),
        reasons,
        checks);

    long missing = o.missing();
    check(
        missing <= t.maxMissing(),
        jobs(missing)
            + " missing "
            + span
            + " ("
            + num(o.count(Category.MISSING_ON_CANDIDATE))
            + " never ran on the candidate, "
            + num(o.count(Category.MISSING_ON_LEGACY))
            + " only on the candidate)",
        ", at most " + num(t.maxMissing()) + " allowed",
        reasons,
        checks);

    if (o.compared() == 0) {
      String line = "no job was recorded exactly once on both sides " + span;
      checks.add("FAIL " + line);
      reasons.add(line + ", so no mismatch rate can be measured");
    } else {
      check(
          o.mismatchRate() <= t.maxMismatchRate(),
          "mismatch rate "
              + pct(o.mismatchRate())
              + " ("
              + num(o.count(Category.MISMATCHED))
              + " of "
              + num(o.compared())
              + " compared jobs) "
              + span,
          ", at most " + pct(t.maxMismatchRate()) + " allowed",
          reasons,
          checks);
    }

    check(
        o.candidateDuplicated() <= t.maxDuplicated(),
        jobs(o.candidateDuplicated()) + " ran more than once on the candidate " + span,
        ", at most " + num(t.maxDuplicated()) + " allowed",
        reasons,
        checks);

    Report.Transport tr = report.transport();
    if (tr.messages() > 0) {
      long lost = tr.count(TransportCategory.MISSING);
      check(
          lost <= t.maxMissing(),
          "transport: " + messages(lost) + " confirmed by a sink but never observed " + span,
          ", at most " + num(t.maxMissing()) + " allowed",
          reasons,
          checks);
      long twice = tr.count(TransportCategory.DUPLICATED);
      check(
          twice <= t.maxDuplicated(),
          "transport: " + messages(twice) + " delivered more than once " + span,
          ", at most " + num(t.maxDuplicated()) + " allowed",
          reasons,
          checks);
      long differs = tr.count(TransportCategory.PAYLOAD_DIFFERS);
      double rate = tr.compared() == 0 ? 0 : (double) differs / tr.compared();
      check(
          rate <= t.maxMismatchRate(),
          "transport: payload differs on "
              + pct(rate)
              + " ("
              + num(differs)
              + " of "
              + num(tr.compared())
              + " observed messages) "
              + span,
          ", at most " + pct(t.maxMismatchRate()) + " allowed",
          reasons,
          checks);
    }
    return new GateResult(reasons.isEmpty(), reasons, checks);
  }

  /** Judges an in-memory reconciliation taken over {@code window}. */
  public static GateResult evaluate(
      Reconciliation reconciliation, Window window, Rules rules, Thresholds t) {
    return evaluate(
        ReportBuilder.of("(in memory)", window, rules, reconciliation, null, Instant.now()), t);
  }

  private static void check(
      boolean ok, String finding, String need, List<String> reasons, List<String> checks) {
    checks.add((ok ? "ok   " : "FAIL ") + finding + need);
    if (!ok) {
      reasons.add(finding + need);
    }
  }

  private static String jobs(long n) {
    return num(n) + (n == 1 ? " job" : " jobs");
  }

  private static String messages(long n) {
    return num(n) + (n == 1 ? " message" : " messages");
  }

  static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String pct(double r) {
    return String.format(Locale.ROOT, "%.2f%%", r * 100);
  }
}
