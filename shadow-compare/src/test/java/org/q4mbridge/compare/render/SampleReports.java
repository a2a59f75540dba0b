package org.q4mbridge.compare.render;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.q4mbridge.compare.ForwardedMessage;
import org.q4mbridge.compare.Observation;
import org.q4mbridge.compare.Reconciler;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.ReportBuilder;
import org.q4mbridge.compare.Rules;
import org.q4mbridge.compare.TransportObservation;
import org.q4mbridge.compare.TransportReconciler;
import org.q4mbridge.compare.Window;

/**
 * A day of a realistic shadow phase, made in memory with a seeded Random: invoices go wrong for a
 * few hours, a few jobs go missing or run twice, one delivery is lost; some user data is hostile to
 * HTML and Markdown.
 */
final class SampleReports {
  static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
  static final Window DAY = new Window(T0, T0.plus(Duration.ofHours(24)));
  static final String HOSTILE_KEY = "<script>alert('key')</script>|`x`";

  private SampleReports() {}

  static Report day() {
    Random rnd = new Random(42);
    List<Observation> legacy = new ArrayList<>();
    List<Observation> candidate = new ArrayList<>();
    List<ForwardedMessage> forwarded = new ArrayList<>();
    List<TransportObservation> observed = new ArrayList<>();
    String[] types = {"email", "invoice", "resize"};
    for (int i = 0; i < 2400; i++) {
      String type = types[i % 3];
      String key = i == 1201 ? HOSTILE_KEY : String.format("%064x", (long) i * 2654435761L);
      Instant start = T0.plusSeconds(i * 36L + rnd.nextInt(30));
      long legacyMs = 20 + (long) (rnd.nextGaussian() * 5 + (type.equals("resize") ? 400 : 30));
      long candMs = 5 + (long) (rnd.nextGaussian() * 3 + (type.equals("resize") ? 150 : 12));
      String json =
          "{\"type\":\""
              + type
              + "\",\"total\":"
              + (i % 97)
              + ".50,\"lines\":[{\"sku\":\"A-"
              + i
              + "\",\"qty\":1}],\"handledBy\":\"x\"}";
      legacy.add(
          new Observation(
              key,
              "ok",
              null,
              json,
              start,
              start.plusMillis(Math.max(1, legacyMs)),
              "php-pool&\"7\""));
      if (i % 400 == 17) {
        continue; // missing on candidate
      }
      String cjson = json.replace("\"handledBy\":\"x\"", "\"handledBy\":\"java\"");
      String outcome = "ok";
      boolean badHours =
          start.isAfter(T0.plus(Duration.ofHours(9)))
              && start.isBefore(T0.plus(Duration.ofHours(13)));
      if (type.equals("invoice") && badHours) {
        cjson =
            cjson.replace((i % 97) + ".50", (i % 97) + ".5").replace("\"qty\":1", "\"qty\":\"1\"");
        cjson = cjson.replace("\"total\":" + (i % 97) + ".5", "\"total\":" + (i % 97));
      }
      if (i == 1201) {
        outcome = "failed";
        cjson = "{\"error\":\"SMTP 554 <relay denied> & closed\"}";
      }
      Instant cStart = start.plusMillis(80);
      long late = i % 500 == 99 ? 120_000 : 0;
      candidate.add(
          new Observation(
              key,
              outcome,
              null,
              cjson,
              cStart,
              cStart.plusMillis(Math.max(1, candMs) + late),
              "java-worker-1"));
      if (i % 800 == 3) {
        candidate.add(
            new Observation(
                key,
                outcome,
                null,
                cjson,
                cStart.plusSeconds(5),
                cStart.plusSeconds(6),
                "java-worker-2"));
      }
      String mk = "app.jobs:1:" + i;
      forwarded.add(
          new ForwardedMessage(
              "app.jobs",
              mk,
              key,
              "d" + i,
              "shadow",
              "redis-main",
              start.minusMillis(30),
              start.minusMillis(28)));
      if (i != 1500) {
        observed.add(
            new TransportObservation(
                "app.jobs",
                "redis-main",
                "jobs.shadow",
                mk,
                key,
                "d" + i,
                start.minusMillis(30 - 2 - rnd.nextInt(12))));
      }
    }
    Rules rules = Rules.defaults().ignoring("$.handledBy");
    return ReportBuilder.of(
        "app.jobs",
        DAY,
        rules,
        Reconciler.reconcile(legacy, candidate, rules),
        TransportReconciler.reconcile(forwarded, observed, Duration.ofSeconds(5)),
        DAY.to().plusSeconds(120));
  }
}
