package org.q4mbridge.bridge.pump;

import java.util.List;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Verdict;
import org.q4mbridge.q4m.QueueRow;

/**
 * Where a pump records what it forwarded, for transport verification (DESIGN.md §6.2): called once
 * per required sink and batch, as soon as the sink's verdicts are known and before the rows are
 * settled.
 *
 * <p><b>Threading:</b> called on the pump's consumer threads, concurrently. Implementations must
 * return at once — hand the lists to another thread, never hash, write or wait here — and must not
 * throw. The lists are immutable or no longer changed by the pump; implementations may keep them.
 */
@FunctionalInterface
public interface ForwardLog {
  /** Records nothing. */
  ForwardLog NONE = (sink, rows, messages, verdicts, publishedAtMillis) -> {};

  /**
   * A required sink answered a batch.
   *
   * @param sink the sink's name
   * @param rows the rows published, aligned with {@code messages}
   * @param messages the messages as published
   * @param verdicts the sink's verdict per message, aligned with {@code messages}
   * @param publishedAtMillis when the batch was handed to the sink (epoch millis)
   */
  void answered(
      String sink,
      List<QueueRow> rows,
      List<OutboundMessage> messages,
      List<Verdict> verdicts,
      long publishedAtMillis);
}
