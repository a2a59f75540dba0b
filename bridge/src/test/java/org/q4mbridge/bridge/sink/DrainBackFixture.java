package org.q4mbridge.bridge.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.q4mbridge.bridge.config.MappingConfig;
import org.q4mbridge.bridge.phase.DrainBack;
import org.q4mbridge.q4m.DrainBackTarget;
import org.q4mbridge.q4m.TableRef;
import org.q4mbridge.q4m.testing.TestDatabase;

/** A legacy job table and the drain-back ledger in a throw-away database, for drain-back tests. */
public final class DrainBackFixture implements AutoCloseable {
  private final TestDatabase db;

  public DrainBackFixture(String prefix) throws Exception {
    db = TestDatabase.create(prefix);
    db.applyBridgeSchema();
    db.exec(
        "CREATE TABLE jobs (job_type VARCHAR(32) NOT NULL, payload TEXT NOT NULL,"
            + " q4m_rowid BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE PRIMARY KEY) ENGINE=InnoDB");
  }

  /** The default envelope the bridge publishes for job {@code n}. */
  public static String body(int n) {
    return "{\"type\":\"email\",\"payload\":{\"job\":" + n + "}}";
  }

  public static String key(int n) {
    return "app.jobs:0:" + n;
  }

  /** Drains {@code source} into the table. */
  public DrainBack.Result drain(DrainSource source) throws Exception {
    try (Connection c = db.connect()) {
      return DrainBack.run(
          source,
          new DrainBackTarget(
              new TableRef(db.name(), "jobs"), new TableRef(db.name(), "q4m_drained")),
          c,
          MappingConfig.DEFAULT,
          20,
          line -> {});
    }
  }

  /** The payloads in the table, in row order. */
  public List<String> payloads() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT job_type, payload FROM jobs ORDER BY q4m_rowid")) {
      while (rs.next()) {
        assertThat(rs.getString(1)).isEqualTo("email");
        out.add(rs.getString(2));
      }
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    db.close();
  }
}
