package org.q4mbridge.bridge.ops;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Dropwizard registry in Prometheus' text format, through the Prometheus client's own
 * Dropwizard bridge ({@code prometheus-metrics-instrumentation-dropwizard}). Per-queue and per-sink
 * names ({@link MetricNames#FAMILIES}) become one family with a {@code queue} or {@code sink}
 * label; meters become {@code _total} counters, timers and histograms summaries (timers in
 * seconds).
 *
 * <p>Thread-safe; {@link #write} takes a fresh snapshot each call.
 */
public final class PrometheusMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public PrometheusMetrics(MetricRegistry metrics) {
    DropwizardExports.builder()
        .dropwizardRegistry(metrics)
        .customLabelMapper(new CustomLabelMapper(mapperConfigs()))
        .register(registry);
  }

  /** One mapping per family: the glob {@code *} matches one dot-free part of the name. */
  static List<MapperConfig> mapperConfigs() {
    List<MapperConfig> out = new ArrayList<>();
    for (MetricNames.Family f : MetricNames.FAMILIES) {
      if (f.label() == MetricNames.Label.QUEUE) {
        // Queue names are schema.table: two parts, joined again in the label.
        out.add(
            new MapperConfig(
                f.prefix() + ".*.*", f.prometheusName(), Map.of("queue", "${0}.${1}")));
      } else {
        out.add(new MapperConfig(f.prefix() + ".*", f.prometheusName(), Map.of("sink", "${0}")));
      }
    }
    return out;
  }

  /** The Content-Type of {@link #write}: text format 0.0.4. */
  public String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric. */
  public void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
