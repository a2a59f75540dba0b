package org.q4mbridge.bridge.ops;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sd_notify(3)} in Java: sends state lines ({@code READY=1}, {@code RELOADING=1}, {@code
 * STOPPING=1}, {@code WATCHDOG=1}, {@code STATUS=…}) as one datagram to the AF_UNIX socket named by
 * {@code $NOTIFY_SOCKET} — a path, or {@code @name} for Linux's abstract namespace.
 *
 * <p>Java 17's {@code DatagramChannel} cannot use Unix domain sockets (JEP 380 added stream sockets
 * only), so the datagram goes through junixsocket. The daemon sends from its own process, which is
 * what {@code NotifyAccess=main} accepts; running {@code systemd-notify} instead would send from a
 * child whose PID systemd may reject or fail to attribute.
 *
 * <p>Never throws: a notification that cannot be sent is logged once and dropped (the service then
 * fails the way systemd decides, e.g. a start timeout), because the bridge's work must not depend
 * on its supervisor. Thread-safe.
 */
public final class SystemdNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);

  /** Sends nothing: not started by systemd (no {@code $NOTIFY_SOCKET}). */
  public static final SystemdNotifier NONE = new SystemdNotifier(null, null, null);

  private final String socketName;
  private final SocketAddress address;
  private final Duration watchdogInterval;
  private AFUNIXDatagramChannel channel;
  private boolean warned;

  private SystemdNotifier(String socketName, SocketAddress address, Duration watchdogInterval) {
    this.socketName = socketName;
    this.address = address;
    this.watchdogInterval = watchdogInterval;
  }

  /**
   * The notifier systemd asked for through the environment: {@code NOTIFY_SOCKET}, and {@code
   * WATCHDOG_USEC} / {@code WATCHDOG_PID} for the watchdog. {@link #NONE} when there is no socket.
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env, long pid) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isEmpty()) {
      return NONE;
    }
    SocketAddress address;
    try {
      if (socket.startsWith("@")) {
        address = AFUNIXSocketAddress.inAbstractNamespace(socket.substring(1));
      } else if (socket.startsWith("/")) {
        address = AFUNIXSocketAddress.of(Path.of(socket));
      } else {
        // e.g. vsock: addresses (systemd in VMs); not needed for a service on a host.
        LOG.warn("NOTIFY_SOCKET={} is not a Unix socket; systemd notifications are off", socket);
        return NONE;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "NOTIFY_SOCKET={} unusable ({}); systemd notifications are off", socket, e.toString());
      return NONE;
    }
    return new SystemdNotifier(socket, address, watchdogInterval(env, pid));
  }

  /** Half of {@code WATCHDOG_USEC}, as sd_watchdog_enabled(3) advises; null when not asked for. */
  static Duration watchdogInterval(Map<String, String> env, long pid) {
    String usec = env.get("WATCHDOG_USEC");
    if (usec == null || usec.isEmpty()) {
      return null;
    }
    String forPid = env.get("WATCHDOG_PID");
    if (forPid != null && !forPid.isEmpty() && !forPid.equals(Long.toString(pid))) {
      return null; // meant for another process (we were started by a wrapper)
    }
    try {
      long micros = Long.parseLong(usec);
      return micros <= 0 ? null : Duration.ofNanos(micros * 1000 / 2);
    } catch (NumberFormatException e) {
      LOG.warn("WATCHDOG_USEC={} is not a number; watchdog pings are off", usec);
      return null;
    }
  }

  /** Whether notifications go anywhere. */
  public boolean enabled() {
    return address != null;
  }

  /** How often to send {@code WATCHDOG=1}, or null when systemd runs no watchdog. */
  public Duration watchdogInterval() {
    return watchdogInterval;
  }

  /**
   * Sends {@code state}: newline-separated assignments, e.g. {@code "READY=1\nSTATUS=running"}.
   *
   * @return whether the datagram was sent
   */
  public synchronized boolean send(String state) {
    if (address == null) {
      return false;
    }
    try {
      if (channel == null) {
        channel = AFUNIXDatagramChannel.open();
      }
      channel.send(ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8)), address);
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      // LinkageError: junixsocket's native library could not be loaded (e.g. a noexec tmpdir).
      if (!warned) {
        warned = true;
        LOG.warn("cannot notify systemd at {}: {}", socketName, e.toString());
      }
      closeChannel();
      return false;
    }
  }

  /** {@code CLOCK_MONOTONIC} in µs, as {@code MONOTONIC_USEC=} wants (see {@link #reloading()}). */
  static long monotonicMicros() {
    // HotSpot implements System.nanoTime() with clock_gettime(CLOCK_MONOTONIC) on Linux.
    return System.nanoTime() / 1000;
  }

  /** {@code RELOADING=1} with the {@code MONOTONIC_USEC} systemd 253+ requires beside it. */
  public boolean reloading(String status) {
    return send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros() + "\nSTATUS=" + oneLine(status));
  }

  /** {@code READY=1} with a status line. */
  public boolean ready(String status) {
    return send("READY=1\nSTATUS=" + oneLine(status));
  }

  /** {@code STOPPING=1} with a status line. */
  public boolean stopping(String status) {
    return send("STOPPING=1\nSTATUS=" + oneLine(status));
  }

  /** {@code WATCHDOG=1}. */
  public boolean watchdog() {
    return send("WATCHDOG=1");
  }

  /** {@code STATUS=…}. */
  public boolean status(String status) {
    return send("STATUS=" + oneLine(status));
  }

  static String oneLine(String s) {
    String line = s.replace('\n', ' ').replace('\r', ' ');
    return line.length() > 400 ? line.substring(0, 397) + "..." : line;
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing left to release.
      }
      channel = null;
    }
  }

  @Override
  public synchronized void close() {
    closeChannel();
  }
}
