package org.q4mbridge.bridge.config;

import java.util.Objects;

/**
 * The admin HTTP listener ({@code admin: {listen: "127.0.0.1:9400"}}): metrics, health, status.
 *
 * @param host address to bind: an IPv4 address, a host name or an IPv6 address (without brackets)
 * @param port TCP port, 1..65535
 */
public record AdminConfig(String host, int port) {
  public AdminConfig {
    Objects.requireNonNull(host, "host");
  }

  /** {@code host:port}, with brackets around an IPv6 address. */
  public String listen() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
