package org.q4mbridge.bridge.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures this JVM's CPU time and heap, and the machine's CPU, over one scenario. Heap is sampled
 * four times a second on a daemon thread; "after GC" is the heap the most recent collection left
 * (its live set plus what it did not reclaim), which is what a heap limit has to hold.
 *
 * <p>Start with {@link #start()}, end with {@link #stop()} (idempotent); one meter per scenario.
 */
public final class ResourceMeter implements AutoCloseable {
  private static final long MB = 1024 * 1024;
  private static final Path PROC_STAT = Path.of("/proc/stat");

  private final ScheduledExecutorService sampler;
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakAfterGc = new AtomicLong();
  private final long cpuStart;
  private final long wallStart;
  private final long[] systemStart;
  private volatile ResourceUsage result;

  private ResourceMeter() {
    cpuStart = processCpuNanos();
    wallStart = System.nanoTime();
    systemStart = systemTicks();
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-heap-sampler");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleAtFixedRate(this::sample, 0, 250, TimeUnit.MILLISECONDS);
  }

  /** Starts measuring now. */
  public static ResourceMeter start() {
    return new ResourceMeter();
  }

  private void sample() {
    peakUsed.accumulateAndGet(heapUsedBytes(), Math::max);
    peakAfterGc.accumulateAndGet(heapAfterLastGcBytes(), Math::max);
  }

  /** Stops sampling and returns the usage since {@link #start()}. */
  public synchronized ResourceUsage stop() {
    if (result != null) {
      return result;
    }
    sampler.shutdownNow();
    sample();
    double wall = (System.nanoTime() - wallStart) / 1e9;
    double cpu = (processCpuNanos() - cpuStart) / 1e9;
    long[] systemEnd = systemTicks();
    Double busy = null;
    if (systemStart != null && systemEnd != null && systemEnd[1] > systemStart[1]) {
      busy = 100.0 * (systemEnd[0] - systemStart[0]) / (systemEnd[1] - systemStart[1]);
    }
    result =
        new ResourceUsage(
            cpu,
            wall > 0 ? cpu / wall : 0,
            busy,
            peakUsed.get() / MB,
            peakAfterGc.get() / MB,
            heapMaxBytes() / MB);
    return result;
  }

  @Override
  public void close() {
    stop();
  }

  /** Heap in use now, garbage included. */
  public static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The JVM's heap limit ({@code -Xmx}). */
  public static long heapMaxBytes() {
    return Runtime.getRuntime().maxMemory();
  }

  /**
   * Heap in use right after the most recent garbage collection of any collector, or 0 before the
   * first one.
   */
  public static long heapAfterLastGcBytes() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    com.sun.management.GcInfo latest = null;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun) {
        com.sun.management.GcInfo info = sun.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return 0;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : latest.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    return used;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** {busy, total} jiffies of all cores from /proc/stat, or null off Linux. */
  static long[] systemTicks() {
    try {
      String first = Files.readAllLines(PROC_STAT).get(0);
      return parseCpuLine(first);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Parses the aggregate {@code cpu} line of /proc/stat into {busy, total}; idle and iowait are
   * idle.
   */
  static long[] parseCpuLine(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 5 || !f[0].equals("cpu")) {
      return null;
    }
    long total = 0;
    // user nice system idle iowait irq softirq steal (guest columns are already in user/nice).
    int last = Math.min(f.length - 1, 8);
    for (int i = 1; i <= last; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
    return new long[] {total - idle, total};
  }
}
