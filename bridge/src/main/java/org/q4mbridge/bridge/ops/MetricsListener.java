package org.q4mbridge.bridge.ops;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import java.util.concurrent.TimeUnit;
import org.q4mbridge.bridge.pump.PumpListener;

/** Feeds the pump's reports into the Dropwizard registry under {@link MetricNames}. */
public final class MetricsListener implements PumpListener {
  private final MetricRegistry registry;

  public MetricsListener(MetricRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void claimed(String queue, int rows) {
    registry.meter(MetricNames.rowsClaimed(queue)).mark(rows);
  }

  @Override
  public void acknowledged(String queue, int rows) {
    registry.meter(MetricNames.rowsAcknowledged(queue)).mark(rows);
  }

  @Override
  public void released(String queue, int rows) {
    registry.meter(MetricNames.rowsReleased(queue)).mark(rows);
  }

  @Override
  public void deadLettered(String queue, int rows, String reason) {
    registry.meter(MetricNames.rowsDeadLettered(queue)).mark(rows);
  }

  @Override
  public void sinkAnswered(
      String sink, boolean bestEffort, int confirmed, int rejected, int unknown, long nanos) {
    registry.timer(MetricNames.sinkConfirmLatency(sink)).update(nanos, TimeUnit.NANOSECONDS);
    registry.meter(MetricNames.sinkConfirmed(sink)).mark(confirmed);
    registry.meter(MetricNames.sinkRejected(sink)).mark(rejected);
    registry.meter(MetricNames.sinkUnknown(sink)).mark(unknown);
  }

  @Override
  public void bestEffortSkipped(String sink, int messages) {
    registry.meter(MetricNames.sinkSkipped(sink)).mark(messages);
  }

  @Override
  public void endToEnd(String queue, long millis) {
    registry
        .histogram(
            MetricNames.endToEndMillis(queue),
            () ->
                new com.codahale.metrics.Histogram(
                    new SlidingTimeWindowArrayReservoir(5, TimeUnit.MINUTES)))
        .update(millis);
  }

  @Override
  public void problem(String queue, String message) {
    registry.meter(MetricNames.problems(queue)).mark();
  }

  @Override
  public void backPressure(String queue, String sink) {
    registry.meter(MetricNames.backPressure(queue)).mark();
  }
}
