package org.q4mbridge.q4m.jdbc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.q4mbridge.q4m.IdleWait;
import org.q4mbridge.q4m.TableRef;

/**
 * What this JVM's shim connections know about each queue table: the counters {@code queue_stats}
 * reports, and the connections waiting in {@code queue_wait} — so an insert, abort or close through
 * one shim connection wakes the waiters of another at once instead of at their next poll.
 *
 * <p>Q4M keeps these per server; the emulation can only see its own process, so the counters count
 * what went through shim connections of this JVM since it started. Thread-safe.
 */
final class LocalQueues {
  /** One per JVM: the counters are process-wide, like Q4M's are server-wide. */
  static final LocalQueues INSTANCE = new LocalQueues();

  private final ConcurrentMap<String, Activity> tables = new ConcurrentHashMap<>();

  /** The activity of {@code table} on the server {@code server} (host:port). */
  Activity of(String server, TableRef table) {
    return tables.computeIfAbsent(server + '/' + table.key(), k -> new Activity());
  }

  /**
   * Starts {@code table}'s counters over (it was dropped). A connection still waiting on the old
   * table keeps polling it until its timeout, as a Q4M waiter on a dropped table does.
   */
  void forget(String server, TableRef table) {
    tables.remove(server + '/' + table.key());
  }

  /** Counters and waiters of one table. */
  static final class Activity {
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong rowsRemoved = new AtomicLong();
    final AtomicLong waitImmediate = new AtomicLong();
    final AtomicLong waitDelayed = new AtomicLong();
    final AtomicLong waitTimeout = new AtomicLong();
    final AtomicLong restoredByAbort = new AtomicLong();
    final AtomicLong restoredByClose = new AtomicLong();
    private final Set<IdleWait> waiters = ConcurrentHashMap.newKeySet();

    void addWaiter(IdleWait w) {
      waiters.add(w);
    }

    void removeWaiter(IdleWait w) {
      waiters.remove(w);
    }

    /** Rows may be available: every waiter looks again now. */
    void wake() {
      for (IdleWait w : waiters) {
        w.wakeup();
      }
    }

    /**
     * The nine lines of Q4M's {@code queue_stats()}. Byte counters are 0: the emulation does not
     * see row sizes.
     */
    String stats() {
      return "rows_written: "
          + rowsWritten.get()
          + "\nrows_removed: "
          + rowsRemoved.get()
          + "\nwait_immediate: "
          + waitImmediate.get()
          + "\nwait_delayed: "
          + waitDelayed.get()
          + "\nwait_timeout: "
          + waitTimeout.get()
          + "\nrestored_by_abort: "
          + restoredByAbort.get()
          + "\nrestored_by_close: "
          + restoredByClose.get()
          + "\nbytes_total: 0\nbytes_removed: 0\n";
    }
  }
}
