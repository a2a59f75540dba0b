package org.q4mbridge.q4m.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** {@link EndpointStats} that counts what it hears, for assertions. */
final class RecordingStats implements EndpointStats {
  final AtomicLong opened = new AtomicLong();
  final AtomicLong closed = new AtomicLong();
  final AtomicLong statements = new AtomicLong();
  final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> queueCalls = new ConcurrentHashMap<>();

  @Override
  public void connectionOpened() {
    opened.incrementAndGet();
  }

  @Override
  public void connectionClosed() {
    closed.incrementAndGet();
  }

  @Override
  public void connectionRejected(String reason) {
    rejected.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
  }

  @Override
  public void statementExecuted() {
    statements.incrementAndGet();
  }

  @Override
  public void queueFunctionCalled(String function) {
    queueCalls.computeIfAbsent(function, k -> new AtomicLong()).incrementAndGet();
  }

  long rejected(String reason) {
    AtomicLong n = rejected.get(reason);
    return n == null ? 0 : n.get();
  }

  long queueCalls(String function) {
    AtomicLong n = queueCalls.get(function);
    return n == null ? 0 : n.get();
  }
}
