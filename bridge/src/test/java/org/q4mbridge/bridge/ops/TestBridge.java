package org.q4mbridge.bridge.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.q4mbridge.q4m.testing.TestDatabase;

/** Helpers shared by the operations tests: job tables, configuration files, HTTP, free ports. */
final class TestBridge {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  private TestBridge() {}

  /** A free TCP port on loopback. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A Q4M job table converted to InnoDB, as {@code q4m-bridge demo} creates it. */
  static void createJobTable(TestDatabase db, String table) throws SQLException {
    db.exec(
        "CREATE TABLE "
            + table
            + " (job_type VARCHAR(64) NOT NULL, payload MEDIUMTEXT NOT NULL,"
            + " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY)"
            + " ENGINE=InnoDB");
  }

  /** Inserts {@code n} small jobs in one statement. */
  static void insertJobs(TestDatabase db, String table, int n) throws SQLException {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (job_type, payload) VALUES ");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : ",").append("('send_email','{\"n\":").append(i).append("}')");
    }
    db.exec(sql.toString());
  }

  /** Inserts one job with the given payload. */
  static void insertJob(TestDatabase db, String table, String payload) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO " + table + " (job_type, payload) VALUES (?, ?)")) {
      ps.setString(1, "import_file");
      ps.setString(2, payload);
      ps.executeUpdate();
    }
  }

  /**
   * A configuration file: the database, one redis-streams sink {@code redis-main} and a queue per
   * entry of {@code queues} (YAML lines of a list item, first line without the dash).
   */
  static Path config(
      Path dir, TestDatabase db, String redisUri, int adminPort, List<String> queueItems)
      throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("database:");
    lines.add("  url: \"" + db.url() + "\"");
    lines.add("  user: \"" + TestDatabase.USER + "\"");
    if (!TestDatabase.PASSWORD.isEmpty()) {
      lines.add("  password: \"" + TestDatabase.PASSWORD + "\"");
    }
    lines.add("sinks:");
    lines.add(
        "  redis-main: { type: redis-streams, uri: \""
            + redisUri
            + "\", publishTimeout: 1s, maxMessageBytes: 64KiB }");
    lines.add("queues:");
    for (String q : queueItems) {
      String[] parts = q.split("\n");
      lines.add("  - " + parts[0]);
      for (int i = 1; i < parts.length; i++) {
        lines.add("    " + parts[i]);
      }
    }
    lines.add("admin: { listen: \"127.0.0.1:" + adminPort + "\" }");
    lines.add("shutdown: { grace: 5s }");
    Path f = dir.resolve("bridge.yml");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  /** GET; the status code and body, or status -1 when nothing answers. */
  static Response get(String url, String accept) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(5))
                  .header("Accept", accept)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().firstValue("Content-Type"));
    } catch (IOException e) {
      return new Response(-1, e.toString(), java.util.Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Response(int status, String body, java.util.Optional<String> contentType) {}

  /** The value of one Prometheus sample line ({@code name{labels} value}), or NaN when absent. */
  static double sample(String metrics, String nameWithLabels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(nameWithLabels + " ")) {
        return Double.parseDouble(line.substring(nameWithLabels.length() + 1).trim());
      }
    }
    return Double.NaN;
  }
}
