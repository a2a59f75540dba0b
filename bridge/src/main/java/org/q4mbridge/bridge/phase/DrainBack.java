package org.q4mbridge.bridge.phase;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.q4mbridge.bridge.config.MappingConfig;
import org.q4mbridge.bridge.sink.DrainSource;
import org.q4mbridge.bridge.sink.SinkException;
import org.q4mbridge.q4m.DrainBackTarget;

/**
 * Moves messages that no new worker has taken from the broker back into the legacy table (DESIGN.md
 * §6.4, runbooks/04-rollback.md). Each message is re-inserted with the columns the mapping took it
 * from ({@code type} → the type column, {@code payload} → the payload column, extra fields by name,
 * or the raw body), exactly once per message key ({@link DrainBackTarget}), and only then removed
 * from the broker. Running it twice moves nothing twice.
 */
public final class DrainBack {
  /** What a run did. */
  public record Result(long moved, long duplicates, long failed, List<String> failures) {
    public String summary() {
      return "moved " + moved + ", skipped as already drained " + duplicates + ", failed " + failed;
    }
  }

  private DrainBack() {}

  /** Drains until the broker has nothing left for this queue. */
  public static Result run(
      DrainSource source,
      DrainBackTarget target,
      Connection connection,
      MappingConfig mapping,
      int batch,
      Consumer<String> progress)
      throws SinkException, SQLException {
    long moved = 0;
    long dups = 0;
    long failed = 0;
    List<String> failures = new ArrayList<>();
    while (true) {
      List<DrainSource.Drained> msgs = source.take(batch);
      if (msgs.isEmpty()) {
        break;
      }
      List<DrainSource.Drained> done = new ArrayList<>();
      for (DrainSource.Drained m : msgs) {
        if (m.key() == null) {
          failed++;
          if (failures.size() < 20) {
            failures.add(
                m.brokerId()
                    + ": no q4m-bridge message key (not published by the bridge); left in place");
          }
          continue;
        }
        Map<String, Object> cols;
        try {
          cols = columns(m, mapping);
        } catch (IllegalArgumentException e) {
          failed++;
          if (failures.size() < 20) {
            failures.add(m.key() + ": " + e.getMessage() + "; left in place");
          }
          continue;
        }
        if (target.insertOnce(connection, m.key(), cols)) {
          moved++;
        } else {
          dups++;
        }
        done.add(m);
      }
      source.done(done);
      progress.accept(
          "drain-back: moved " + moved + ", skipped " + dups + ", failed " + failed + " so far");
      if (done.isEmpty()) {
        // Only unusable messages are left; they stay in the broker for a person to look at.
        break;
      }
    }
    return new Result(moved, dups, failed, failures);
  }

  /** The legacy row's columns for a drained message (the mapping run backwards). */
  static Map<String, Object> columns(DrainSource.Drained m, MappingConfig mapping) {
    Map<String, Object> cols = new LinkedHashMap<>();
    Map<String, String> f = m.fields();
    if (mapping.body() == MappingConfig.BodyFormat.RAW_COLUMN) {
      String body = m.body() != null ? m.body() : f.get("body");
      if (body == null) {
        throw new IllegalArgumentException("message has no body");
      }
      cols.put(mapping.rawColumn().orElseThrow(), body);
    } else {
      if (!f.containsKey("type") && !f.containsKey("payload")) {
        throw new IllegalArgumentException("message has neither a type nor a payload field");
      }
      cols.put(mapping.typeColumn(), f.get("type"));
      cols.put(mapping.payloadColumn(), f.get("payload"));
    }
    for (String extra : mapping.extraFields()) {
      if (f.containsKey(extra)) {
        cols.put(extra, f.get(extra));
      }
    }
    return cols;
  }
}
