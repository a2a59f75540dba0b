package org.q4mbridge.bridge.cli;

import java.util.concurrent.Callable;
import org.q4mbridge.bridge.Daemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code q4m-bridge run}: the daemon. */
@Command(
    name = "run",
    description = {
      "Run the bridge: forward every queue's rows to its sinks until SIGTERM.",
      "Start order: validate the file, connect to MySQL, check the bridge schema, start and probe",
      "every sink (failing fast with one line), then consume. SIGTERM stops claiming, settles what",
      "is in flight within shutdown.grace and exits 0; a second SIGTERM releases the rest at once.",
      "SIGHUP re-reads the file and restarts only the queues whose settings changed."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Override
  public Integer call() throws Exception {
    return Daemon.run(config.path(), config.load()).code();
  }
}
