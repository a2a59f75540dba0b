package org.q4mbridge.bridge.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.q4mbridge.bridge.config.BridgeConfig;
import org.q4mbridge.bridge.config.ConfigException;
import org.q4mbridge.bridge.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The {@code --config} option shared by every command that reads the YAML file. */
public final class ConfigOption {
  /** Where systemd's unit and the runbooks put the file. */
  public static final String DEFAULT = "/etc/q4m-bridge/bridge.yml";

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The bridge's YAML file (default: $Q4M_BRIDGE_CONFIG, else " + DEFAULT + ").")
  Path file;

  /** The file to read. */
  public Path path() {
    if (file != null) {
      return file;
    }
    String env = System.getenv("Q4M_BRIDGE_CONFIG");
    return Path.of(env == null || env.isBlank() ? DEFAULT : env);
  }

  /** Loads and validates the file; every problem becomes one line of the error. */
  public BridgeConfig load() {
    Path p = path();
    if (!Files.exists(p)) {
      throw new CliException(
          ExitCode.CONFIG,
          "configuration file "
              + p
              + " does not exist (pass --config FILE; 'q4m-bridge check --example' prints a"
              + " commented example)");
    }
    try {
      return ConfigLoader.load(p);
    } catch (ConfigException e) {
      throw new CliException(ExitCode.CONFIG, String.join("\nq4m-bridge: ", e.errors()), e);
    }
  }
}
