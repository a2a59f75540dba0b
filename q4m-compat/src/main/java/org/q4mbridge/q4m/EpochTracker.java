package org.q4mbridge.q4m;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps one queue's epoch: the number that makes {@code <queue>:<epoch>:<rowid>} unique although
 * Q4M (after TRUNCATE or a re-created table) and InnoDB (AUTO_INCREMENT reset) start row ids again
 * at 1.
 *
 * <p>Rule: within one epoch a row id is never handed out twice, so a claimed row whose id this
 * process has already removed (acknowledged or dead-lettered) proves that ids restarted — the epoch
 * is bumped before the row gets its key. Backends add what they know at start-up (the emulation
 * compares the table's AUTO_INCREMENT with the highest id removed before, see {@link
 * #checkRestart(long)}). Bumping too often only changes keys (a possible duplicate, never a loss);
 * missing a restart could make a dedup key collide, so the rule errs on the side of bumping.
 *
 * <p>Thread-safe: shared by all consumers of one queue.
 */
public final class EpochTracker {
  /** Remembers epochs across restarts. */
  public interface Store {
    /** The stored state, or {@code {0, 0}} when the queue was never seen. */
    long[] load(TableRef queue) throws Exception;

    /** Persists the epoch and the highest row id removed in it. */
    void save(TableRef queue, long epoch, long maxRemovedRowId) throws Exception;

    /** A store that keeps nothing (tests, one-shot tools). */
    static Store inMemory() {
      return new Store() {
        private final Map<String, long[]> map = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public long[] load(TableRef queue) {
          return map.getOrDefault(queue.key(), new long[] {0, 0}).clone();
        }

        @Override
        public void save(TableRef queue, long epoch, long maxRemovedRowId) {
          map.put(queue.key(), new long[] {epoch, maxRemovedRowId});
        }
      };
    }
  }

  /** Ranges kept before the oldest are forgotten (ids are mostly contiguous: this is plenty). */
  private static final int MAX_RANGES = 100_000;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EpochTracker.class);
  private static final long SAVE_EVERY_MILLIS = 5_000;

  private final TableRef queue;
  private final Store store;
  private final TreeMap<Long, Long> removed = new TreeMap<>(); // start -> end, inclusive, disjoint
  private long epoch;
  private long maxRemoved;
  private long lastSaveMillis;

  private EpochTracker(TableRef queue, Store store, long epoch, long maxRemoved) {
    this.queue = queue;
    this.store = store;
    this.epoch = epoch;
    this.maxRemoved = maxRemoved;
  }

  /** Loads the queue's epoch from {@code store}. */
  public static EpochTracker open(TableRef queue, Store store) throws QueueSourceException {
    try {
      long[] s = store.load(queue);
      return new EpochTracker(queue, store, s[0], s[1]);
    } catch (Exception e) {
      throw new QueueSourceException(
          QueueSourceException.Kind.SERVER,
          "cannot read the epoch of " + queue + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * One shared tracker per queue, loaded from {@code store} on first use.
   *
   * @return a thread-safe function; it throws {@link IllegalStateException} naming the queue when
   *     the store cannot be read
   */
  public static java.util.function.Function<TableRef, EpochTracker> registry(Store store) {
    Map<String, EpochTracker> trackers = new java.util.concurrent.ConcurrentHashMap<>();
    return queue ->
        trackers.computeIfAbsent(
            queue.key(),
            k -> {
              try {
                return open(queue, store);
              } catch (QueueSourceException e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            });
  }

  public synchronized long epoch() {
    return epoch;
  }

  /**
   * Start-up check: when the next row id the table will hand out is not above the highest id
   * removed in the current epoch, ids have restarted since.
   */
  public synchronized void checkRestart(long nextRowId) {
    if (maxRemoved > 0 && nextRowId <= maxRemoved) {
      bump("next row id " + nextRowId + " <= highest removed " + maxRemoved);
    }
  }

  /**
   * Returns the epoch for a freshly claimed row, bumping it first when the id was removed before.
   */
  public synchronized long epochFor(long rowId) {
    Map.Entry<Long, Long> e = removed.floorEntry(rowId);
    if (e != null && e.getValue() >= rowId) {
      bump("row id " + rowId + " was already removed in epoch " + epoch);
    }
    return epoch;
  }

  /** Records ids removed from the queue in {@code inEpoch}. */
  public synchronized void removed(Collection<Long> rowIds, long inEpoch) {
    if (inEpoch != epoch) {
      return;
    }
    for (long id : rowIds) {
      add(id);
      maxRemoved = Math.max(maxRemoved, id);
    }
    long now = System.currentTimeMillis();
    if (now - lastSaveMillis >= SAVE_EVERY_MILLIS) {
      lastSaveMillis = now;
      save();
    }
  }

  /** Persists the current state (also called on close). */
  public synchronized void save() {
    try {
      store.save(queue, epoch, maxRemoved);
    } catch (Exception e) {
      LOG.warn("cannot save the epoch of {}: {}", queue, e.getMessage());
    }
  }

  private void bump(String why) {
    epoch++;
    removed.clear();
    maxRemoved = 0;
    LOG.warn("queue {}: row ids restarted ({}); epoch is now {}", queue, why, epoch);
    save();
  }

  private void add(long id) {
    Map.Entry<Long, Long> below = removed.floorEntry(id);
    if (below != null && below.getValue() >= id) {
      return;
    }
    long start = id;
    long end = id;
    if (below != null && below.getValue() == id - 1) {
      start = below.getKey();
    }
    Long aboveEnd = removed.get(id + 1);
    if (aboveEnd != null) {
      removed.remove(id + 1);
      end = aboveEnd;
    }
    removed.put(start, end);
    if (removed.size() > MAX_RANGES) {
      removed.pollFirstEntry();
    }
  }
}
