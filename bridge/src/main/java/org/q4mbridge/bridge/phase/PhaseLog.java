package org.q4mbridge.bridge.phase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.q4mbridge.q4m.ConnectionFactory;
import org.q4mbridge.q4m.TableRef;

/**
 * The phase log ({@code sql/V2__phase_log.sql}): every applied transition and every drain-back run.
 * Each call uses a short connection of its own.
 */
public final class PhaseLog {
  /** One entry. */
  public record Entry(
      long id,
      String queue,
      String event,
      String from,
      String to,
      Instant at,
      String configDigest,
      boolean forced,
      String actor,
      String note) {}

  public static final String TRANSITION = "transition";
  public static final String DRAIN_BACK = "drain-back";

  private final ConnectionFactory connections;
  private final TableRef table;

  public PhaseLog(ConnectionFactory connections, String schema) {
    this.connections = connections;
    this.table = new TableRef(schema, "q4m_phase_log");
  }

  /** Appends an entry. */
  public void append(
      String queue,
      String event,
      String from,
      String to,
      String digest,
      boolean forced,
      String note)
      throws SQLException {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + table.quoted()
                    + " (queue_name, event, from_phase, to_phase, config_digest, forced, actor, note)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      ps.setString(1, queue);
      ps.setString(2, event);
      ps.setString(3, from);
      ps.setString(4, to);
      ps.setString(5, digest);
      ps.setBoolean(6, forced);
      ps.setString(7, actor());
      ps.setString(8, note);
      ps.executeUpdate();
    }
  }

  /** The last applied phase of the queue, if any transition was ever logged. */
  public Optional<String> lastPhase(String queue) throws SQLException {
    return last(queue, TRANSITION).map(Entry::to);
  }

  /** The newest entry of {@code event} for the queue. */
  public Optional<Entry> last(String queue, String event) throws SQLException {
    List<Entry> e = list(queue, event, 1);
    return e.isEmpty() ? Optional.empty() : Optional.of(e.get(0));
  }

  /** Entries, newest first. {@code event} null = all. */
  public List<Entry> list(String queue, String event, int limit) throws SQLException {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, queue_name, event, from_phase, to_phase, applied_at, config_digest,"
                    + " forced, actor, note FROM "
                    + table.quoted()
                    + " WHERE (? IS NULL OR queue_name = ?) AND (? IS NULL OR event = ?)"
                    + " ORDER BY id DESC LIMIT ?")) {
      ps.setString(1, queue);
      ps.setString(2, queue);
      ps.setString(3, event);
      ps.setString(4, event);
      ps.setInt(5, limit);
      List<Entry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Entry(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getTimestamp(6).toInstant(),
                  rs.getString(7),
                  rs.getBoolean(8),
                  rs.getString(9),
                  rs.getString(10)));
        }
      }
      return out;
    }
  }

  static String actor() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "unknown-host";
    }
    return System.getProperty("user.name", "unknown") + "@" + host;
  }
}
