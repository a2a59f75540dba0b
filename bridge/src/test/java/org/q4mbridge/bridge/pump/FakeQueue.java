package org.q4mbridge.bridge.pump;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.q4mbridge.q4m.Claim;
import org.q4mbridge.q4m.DeadLetter;
import org.q4mbridge.q4m.QueueColumn;
import org.q4mbridge.q4m.QueueRow;
import org.q4mbridge.q4m.QueueSource;
import org.q4mbridge.q4m.QueueSourceException;
import org.q4mbridge.q4m.TableRef;

/** An in-memory queue with the claim contract, for unit-testing the pump's logic. */
final class FakeQueue {
  final TableRef ref = new TableRef("app", "jobs");
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeMap<Long, List<Object>> rows = new TreeMap<>();
  private final Set<Long> owned = new HashSet<>();
  final Map<Long, DeadLetter> deadLetters = new java.util.concurrent.ConcurrentHashMap<>();
  final List<Long> ackOrder = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<QueueColumn> columns =
      List.of(
          new QueueColumn("job_type", java.sql.Types.VARCHAR, "VARCHAR(32)"),
          new QueueColumn("payload", java.sql.Types.LONGVARCHAR, "TEXT"));
  private long nextId = 1;
  volatile int claims;

  /** The size of every non-empty claim, in order. */
  final List<Integer> claimSizes = java.util.Collections.synchronizedList(new ArrayList<>());

  long add(String type, String payload) {
    lock.lock();
    try {
      long id = nextId++;
      rows.put(id, java.util.Arrays.asList(type, payload));
      changed.signalAll();
      return id;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return rows.size();
    } finally {
      lock.unlock();
    }
  }

  int ownedCount() {
    lock.lock();
    try {
      return owned.size();
    } finally {
      lock.unlock();
    }
  }

  QueueSource source() {
    return new QueueSource() {
      private volatile boolean woken;

      @Override
      public TableRef queue() {
        return ref;
      }

      @Override
      public Claim poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
          while (true) {
            List<QueueRow> out = new ArrayList<>();
            for (Map.Entry<Long, List<Object>> e : rows.entrySet()) {
              if (out.size() == max) {
                break;
              }
              if (!owned.contains(e.getKey())) {
                out.add(new QueueRow(ref, e.getKey(), 0, columns, e.getValue()));
              }
            }
            if (!out.isEmpty()) {
              out.forEach(r -> owned.add(r.rowId()));
              claims++;
              claimSizes.add(out.size());
              return claim(out);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || woken) {
              woken = false;
              return claim(List.of());
            }
            changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
          }
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void wakeup() {
        woken = true;
      }

      @Override
      public void close() {}
    };
  }

  private Claim claim(List<QueueRow> claimed) {
    return new Claim() {
      boolean settled = claimed.isEmpty();

      @Override
      public List<QueueRow> rows() {
        return claimed;
      }

      @Override
      public void settle(Collection<Long> acked, Collection<DeadLetter> dead)
          throws QueueSourceException {
        lock.lock();
        try {
          settled = true;
          for (long id : acked) {
            rows.remove(id);
            ackOrder.add(id);
          }
          for (DeadLetter d : dead) {
            rows.remove(d.rowId());
            deadLetters.put(d.rowId(), d);
          }
          claimed.forEach(r -> owned.remove(r.rowId()));
          changed.signalAll();
        } finally {
          lock.unlock();
        }
      }

      @Override
      public void close() {
        if (!settled) {
          try {
            settle(List.of(), List.of());
          } catch (QueueSourceException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    };
  }
}
