package org.q4mbridge.bridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Relaunches the bench in a child JVM with a given heap limit: the backlog target is about the
 * bridge's heap, and only a JVM started with {@code -Xmx} can show that the drain fits in it. The
 * child inherits stdin, stdout and stderr, so its progress lines appear as the parent's, and it
 * records the parent's command line.
 */
public final class ChildJvm {
  /** Carries the user's command line into the child, which records it in the results. */
  public static final String COMMAND_VARIABLE = "Q4M_BENCH_COMMAND";

  private ChildJvm() {}

  /** True when this JVM may use more heap than {@code limitBytes}. */
  public static boolean heapAbove(long limitBytes) {
    return ResourceMeter.heapMaxBytes() > limitBytes;
  }

  /**
   * Runs {@code mainClass args…} in a JVM with {@code -Xmx<heap>} and this JVM's class path, and
   * waits for it.
   *
   * @return the child's exit code
   */
  public static int run(String heap, String mainClass, List<String> args, String command)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Xmx" + heap);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().put(COMMAND_VARIABLE, command);
    Process p = pb.start();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      // The caller gives up: the child must not outlive it with the scratch database in use.
      p.destroy();
      throw e;
    }
  }
}
