package org.q4mbridge.compare.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.q4mbridge.compare.Category;
import org.q4mbridge.compare.FieldDiff;
import org.q4mbridge.compare.Finding;
import org.q4mbridge.compare.GateResult;
import org.q4mbridge.compare.Histogram;
import org.q4mbridge.compare.Observation;
import org.q4mbridge.compare.Report;
import org.q4mbridge.compare.TransportCategory;

/**
 * A report as JSON for machines. The shape is written out field by field here (not derived from the
 * records) so it stays stable when the Java types change: times are ISO-8601 UTC strings,
 * categories snake_case names, rates fractions in [0, 1]. Pure and thread-safe.
 */
public final class JsonReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The report, with the gate's verdict when {@code gate} is not null. */
  public static String render(Report r, GateResult gate) {
    ObjectNode root = JSON.createObjectNode();
    root.put("queue", r.queue());
    ObjectNode w = root.putObject("window");
    w.put("from", r.window().from().toString());
    w.put("to", r.window().to().toString());
    w.put("seconds", r.window().length().toSeconds());
    root.put("generatedAt", r.generatedAt().toString());
    root.put("rules", r.rules());
    if (gate != null) {
      ObjectNode g = root.putObject("gate");
      g.put("passed", gate.passed());
      strings(g.putArray("reasons"), gate.reasons());
      strings(g.putArray("checks"), gate.checks());
    }
    outcomes(root.putObject("outcomes"), r.outcomes());
    transport(root.putObject("transport"), r.transport());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always serialises", e);
    }
  }

  private static void outcomes(ObjectNode o, Report.Outcomes out) {
    o.put("samples", out.samples());
    o.put("compared", out.compared());
    o.put("sampledOut", out.sampledOut());
    o.put("matchRate", out.matchRate());
    o.put("mismatchRate", out.mismatchRate());
    o.put("candidateDuplicated", out.candidateDuplicated());
    ObjectNode counts = o.putObject("counts");
    for (Category c : Category.values()) {
      counts.put(name(c), out.count(c));
    }
    ArrayNode time = o.putArray("overTime");
    for (Report.TimeBucket b : out.overTime()) {
      ObjectNode n = time.addObject();
      n.put("start", b.start().toString());
      n.put("samples", b.samples());
      n.put("agreeing", b.agreeing());
      n.put("mismatched", b.mismatched());
    }
    ObjectNode d = o.putObject("durations");
    histogram(d.putObject("legacy"), out.legacyDurations());
    histogram(d.putObject("candidate"), out.candidateDurations());
    ArrayNode top = o.putArray("topMismatches");
    for (Report.MismatchGroup g : out.topMismatches()) {
      ObjectNode n = top.addObject();
      n.put("signature", g.signature());
      n.put("count", g.count());
      strings(n.putArray("exampleKeys"), g.exampleKeys());
      Finding.Mismatched m = g.example();
      ObjectNode ex = n.putObject("example");
      ex.put("key", m.key());
      run(ex.putObject("legacy"), m.legacy());
      run(ex.putObject("candidate"), m.candidate());
      ArrayNode diffs = ex.putArray("diffs");
      for (FieldDiff f : m.diffs()) {
        ObjectNode dn = diffs.addObject();
        dn.put("path", f.path());
        dn.put("legacy", f.legacy());
        dn.put("candidate", f.candidate());
      }
    }
    ObjectNode keys = o.putObject("keys");
    for (Category c : Category.values()) {
      if (c != Category.MATCHED) {
        keyList(keys.putObject(name(c)), out.keys(c));
      }
    }
  }

  private static void transport(ObjectNode o, Report.Transport t) {
    o.put("messages", t.messages());
    ObjectNode counts = o.putObject("counts");
    for (TransportCategory c : TransportCategory.values()) {
      counts.put(name(c), t.count(c));
    }
    histogram(o.putObject("latency"), t.latency());
    ObjectNode keys = o.putObject("keys");
    for (TransportCategory c : TransportCategory.values()) {
      if (c != TransportCategory.DELIVERED) {
        keyList(keys.putObject(name(c)), t.keys(c));
      }
    }
  }

  private static void run(ObjectNode n, Observation o) {
    n.put("outcome", o.outcome());
    n.put("worker", o.worker());
    n.put("startedAt", o.startedAt().toString());
    n.put("finishedAt", o.finishedAt().toString());
    n.put("millis", o.duration().toMillis());
  }

  private static void histogram(ObjectNode n, Histogram h) {
    ArrayNode bounds = n.putArray("boundsMillis");
    h.boundsMillis().forEach(bounds::add);
    ArrayNode counts = n.putArray("counts");
    h.counts().forEach(counts::add);
    n.put("total", h.total());
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      var v = h.quantile(q);
      String field = "p" + Math.round(q * 100) + "MillisAtMost";
      if (v == null) {
        n.putNull(field);
      } else {
        n.put(field, v.toMillis());
      }
    }
  }

  private static void keyList(ObjectNode n, Report.KeyList k) {
    n.put("total", k.total());
    n.put("truncated", k.truncated());
    strings(n.putArray("keys"), k.keys());
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
