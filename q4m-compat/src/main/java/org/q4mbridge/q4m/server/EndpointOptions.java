package org.q4mbridge.q4m.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Q4mServer} listens, where it connects and whom it lets in. Immutable; every value is
 * checked when the record is built and all problems are reported together, each with the option's
 * name.
 *
 * @param host address to listen on (default {@code 127.0.0.1}: legacy applications on the same
 *     machine; listen elsewhere only on a trusted network — the protocol is not encrypted)
 * @param port TCP port; 0 picks a free port ({@link Q4mServer#port()} tells which)
 * @param backendUrl Connector/J URL of the MySQL 8.0 / MariaDB 10.6+ server that holds the queue
 *     tables, e.g. {@code jdbc:mysql://db1:3306/?useSSL=false}; a {@code jdbc:q4m:mysql:} URL is
 *     accepted too, and its shim properties ({@code q4mPollMaxMillis} …) apply. A database in the
 *     URL is the default for clients that name none.
 * @param backendUser the account the endpoint uses on the backend, for every client
 * @param backendPassword its password (plain; resolve {@code ${env:…}} before)
 * @param users the accounts clients log in with: user name to plain password (empty = no password),
 *     checked with {@code mysql_native_password}
 * @param maxConnections client connections served at once; the next one gets error 1040
 * @param maxPacketSize the largest packet a client may send (MySQL's {@code max_allowed_packet});
 *     keep it at or below the backend's
 * @param connectTimeout time a new connection has to complete the handshake
 * @param netReadTimeout time a packet that has started may take to arrive in full
 * @param idleTimeout time a client may stay silent between commands before it is disconnected (its
 *     owned row, if any, then goes back to the queue — like MySQL's {@code wait_timeout})
 * @param serverVersion the version announced in the greeting, or {@code null} to derive it from the
 *     backend at start: {@code 5.5.5-<version>-MariaDB-q4m-compat} for MariaDB (as MariaDB
 *     announces itself, so clients ask for the variables MariaDB has), {@code <version>-q4m-compat}
 *     for MySQL
 */
public record EndpointOptions(
    String host,
    int port,
    String backendUrl,
    String backendUser,
    String backendPassword,
    Map<String, String> users,
    int maxConnections,
    int maxPacketSize,
    Duration connectTimeout,
    Duration netReadTimeout,
    Duration idleTimeout,
    String serverVersion) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MAX_CONNECTIONS = 151;
  public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_NET_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(8);

  /** Largest packet limit: MySQL's own maximum for {@code max_allowed_packet}. */
  public static final int MAX_PACKET_LIMIT = 1024 * 1024 * 1024;

  public EndpointOptions {
    users = users == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(users));
    List<String> problems = new ArrayList<>();
    if (host == null || host.isBlank()) {
      problems.add("host: must be an address to listen on, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      problems.add("port: must be 0-65535 (0 picks a free port), got " + port);
    }
    if (backendUrl == null
        || !(backendUrl.startsWith("jdbc:mysql:") || backendUrl.startsWith("jdbc:q4m:mysql:"))) {
      problems.add(
          "backendUrl: must be a jdbc:mysql:// (or jdbc:q4m:mysql://) URL, got " + backendUrl);
    }
    if (backendUser == null || backendUser.isEmpty()) {
      problems.add("backendUser: must name the backend account");
    }
    if (backendPassword == null) {
      problems.add("backendPassword: must be given (empty for none)");
    }
    if (users.isEmpty()) {
      problems.add("users: at least one client account is needed");
    }
    users.forEach(
        (name, password) -> {
          if (name.isEmpty() || name.length() > 80 || name.indexOf('\0') >= 0) {
            problems.add("users['" + name + "']: a user name is 1-80 characters without NUL");
          }
          if (password == null) {
            problems.add("users['" + name + "']: password must be given (empty for none)");
          }
        });
    if (maxConnections < 1) {
      problems.add("maxConnections: must be at least 1, got " + maxConnections);
    }
    if (maxPacketSize < 1024 || maxPacketSize > MAX_PACKET_LIMIT) {
      problems.add(
          "maxPacketSize: must be 1024.." + MAX_PACKET_LIMIT + " bytes, got " + maxPacketSize);
    }
    positive(problems, "connectTimeout", connectTimeout);
    positive(problems, "netReadTimeout", netReadTimeout);
    positive(problems, "idleTimeout", idleTimeout);
    if (serverVersion != null
        && (serverVersion.isBlank()
            || !Character.isDigit(serverVersion.charAt(0))
            || serverVersion.indexOf('\0') >= 0)) {
      problems.add(
          "serverVersion: must start with a version number, e.g. 8.0.36-q4m-compat, got "
              + serverVersion);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid q4m endpoint options:\n  " + String.join("\n  ", problems));
    }
  }

  private static void positive(List<String> problems, String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
      problems.add(name + ": must be a positive duration up to ~24 days, got " + d);
    }
  }

  /** Options with the defaults; {@code backendUrl}, the backend account and users are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link EndpointOptions}; unset values take the defaults. Not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = 3307;
    private String backendUrl;
    private String backendUser;
    private String backendPassword = "";
    private final Map<String, String> users = new LinkedHashMap<>();
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration netReadTimeout = DEFAULT_NET_READ_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private String serverVersion;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder backend(String url, String user, String password) {
      this.backendUrl = url;
      this.backendUser = user;
      this.backendPassword = password;
      return this;
    }

    /** Adds a client account (plain password, empty for none). */
    public Builder user(String name, String password) {
      users.put(Objects.requireNonNull(name, "name"), password);
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    public Builder maxPacketSize(int bytes) {
      this.maxPacketSize = bytes;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder netReadTimeout(Duration d) {
      this.netReadTimeout = d;
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = d;
      return this;
    }

    public Builder serverVersion(String version) {
      this.serverVersion = version;
      return this;
    }

    public EndpointOptions build() {
      return new EndpointOptions(
          host,
          port,
          backendUrl,
          backendUser,
          backendPassword,
          users,
          maxConnections,
          maxPacketSize,
          connectTimeout,
          netReadTimeout,
          idleTimeout,
          serverVersion);
    }
  }
}
