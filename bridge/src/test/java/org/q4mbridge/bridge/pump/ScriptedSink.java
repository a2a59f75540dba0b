package org.q4mbridge.bridge.pump;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.q4mbridge.bridge.sink.OutboundMessage;
import org.q4mbridge.bridge.sink.Sink;
import org.q4mbridge.bridge.sink.Verdict;

/** A sink whose verdicts a test scripts per message; records what it was sent. */
final class ScriptedSink implements Sink {
  private final String name;
  volatile Function<OutboundMessage, Verdict> script = m -> Verdict.CONFIRMED;
  volatile boolean healthy = true;
  volatile boolean neverAnswer;

  /**
   * Like a broken pipeline: after the first unconfirmed message, the rest of the batch fails too.
   */
  volatile boolean failTail;

  volatile long maxBytes = 0;
  final List<OutboundMessage> received = java.util.Collections.synchronizedList(new ArrayList<>());

  ScriptedSink(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start() {}

  @Override
  public void probe(Collection<String> destinations) {}

  @Override
  public CompletionStage<List<Verdict>> publish(List<OutboundMessage> batch) {
    if (neverAnswer) {
      return new CompletableFuture<>();
    }
    List<Verdict> out = new ArrayList<>();
    boolean broken = false;
    for (OutboundMessage m : batch) {
      Verdict v = broken ? Verdict.unknown("pipeline broken") : script.apply(m);
      broken = failTail && !v.confirmed();
      if (v.confirmed()) {
        received.add(m);
      }
      out.add(v);
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public long maxMessageBytes() {
    return maxBytes;
  }

  @Override
  public void close() {}
}
