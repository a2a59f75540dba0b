package org.q4mbridge.bridge.ops;

import java.util.List;
import java.util.Map;
import org.q4mbridge.bridge.pump.QueuePlan;
import org.q4mbridge.bridge.pump.QueuePump;
import org.q4mbridge.bridge.sink.Sink;

/**
 * What operations reads of the running bridge (implemented by {@code Bridge}). Read from the
 * operations thread only, never from an HTTP request: {@link #pump(String)} may wait while a reload
 * drains a queue.
 */
public interface BridgeView {
  /** The plans in force; never blocks. */
  List<QueuePlan> plans();

  /** The pump of a running queue, or null when the queue is off or unknown. */
  QueuePump pump(String queue);

  /** Every configured sink by name; never blocks. */
  Map<String, Sink> sinks();

  /** True once a stop was requested (signal or fatal error); never blocks. */
  boolean stopping();
}
