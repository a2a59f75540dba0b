package org.q4mbridge.bridge.faults;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.q4mbridge.bridge.it.StreamContents;

/**
 * The fault suite's accounting (DESIGN.md §9): every fault scenario reports, before it asserts, how
 * many jobs were produced, how many distinct jobs reached the broker, how many never did (must be
 * 0), how many arrived more than once (bounded by the in-flight window) and how many of those came
 * under another message key (must be 0). The rows of one test JVM are written to {@code
 * target/fault-suite/fault-suite.json} and {@code .md} after each scenario, so that the report is
 * there even when a later scenario fails; {@code bin/fault-suite} prints the Markdown table.
 */
public final class FaultReport {
  /** The JUnit tag of every fault scenario: {@code bin/fault-suite} runs {@code -Dgroups=fault}. */
  public static final String TAG = "fault";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path DIR =
      Path.of(System.getProperty("faultSuite.dir", "target/fault-suite"));
  private static final List<Outcome> OUTCOMES = new ArrayList<>();
  private static final String STARTED = Instant.now().toString();

  private FaultReport() {}

  /**
   * One scenario's figures.
   *
   * @param scenario what was done to the system, e.g. "bridge SIGKILLed 12 times"
   * @param test the test class (and method) that ran it
   * @param broker where the jobs went
   * @param produced jobs committed by the producers
   * @param delivered distinct jobs the broker holds (or a worker received)
   * @param duplicated deliveries beyond one per job
   * @param otherKey duplicates that carried another message key than the first copy (must be 0)
   * @param window the in-flight window that bounds duplicates ({@code consumers × batchSize}, per
   *     restart where a scenario restarts the bridge)
   * @param deadLettered rows dead-lettered (with their reason) instead of delivered
   * @param seconds how long the scenario ran
   * @param detail what happened, in a few words (counts of kills, cuts, outage lengths)
   */
  public record Outcome(
      String scenario,
      String test,
      String broker,
      long produced,
      long delivered,
      long duplicated,
      long otherKey,
      long window,
      long deadLettered,
      double seconds,
      String detail) {

    /** Produced but neither delivered nor dead-lettered. */
    @JsonProperty("lost")
    public long lost() {
      return Math.max(0, produced - delivered - deadLettered);
    }

    /** No job lost, duplicates within the window, none under another key. */
    @JsonProperty("passed")
    public boolean passed() {
      return lost() == 0 && otherKey == 0 && duplicated <= window;
    }
  }

  /**
   * A scenario whose jobs {@code {"n":0..produced-1}} went to a Redis stream: delivered, duplicated
   * and other-key figures read from its entries.
   */
  public static Outcome redisStream(
      String scenario,
      String test,
      long produced,
      StreamContents entries,
      long window,
      long deadLettered,
      double seconds,
      String detail) {
    return new Outcome(
        scenario,
        test,
        "Redis Streams",
        produced,
        entries.numbers().size(),
        entries.duplicateNumbers(),
        entries.duplicateNumbers() - entries.duplicateKeys(),
        window,
        deadLettered,
        seconds,
        detail);
  }

  /** Adds one scenario's row, prints it and rewrites the report files. */
  public static synchronized void record(Outcome o) {
    OUTCOMES.add(o);
    System.out.printf(
        Locale.ROOT,
        "FAULT SUITE | %s | produced %,d | delivered %,d | lost %,d | duplicated %,d (window %,d,"
            + " other key %d) | dead-lettered %,d | %s%n",
        o.scenario(),
        o.produced(),
        o.delivered(),
        o.lost(),
        o.duplicated(),
        o.window(),
        o.otherKey(),
        o.deadLettered(),
        o.passed() ? "PASS" : "FAIL");
    try {
      Files.createDirectories(DIR);
      JSON.writeValue(
          DIR.resolve("fault-suite.json").toFile(),
          java.util.Map.of("started", STARTED, "scenarios", OUTCOMES));
      Files.writeString(DIR.resolve("fault-suite.md"), markdown(OUTCOMES));
    } catch (IOException e) {
      throw new UncheckedIOException("writing the fault-suite report under " + DIR, e);
    }
  }

  static String markdown(List<Outcome> outcomes) {
    StringBuilder md = new StringBuilder();
    md.append("# q4m-bridge fault suite\n\n");
    md.append("Test JVM started ").append(STARTED).append(". ");
    long failed = outcomes.stream().filter(o -> !o.passed()).count();
    md.append(outcomes.size())
        .append(" scenarios, ")
        .append(failed == 0 ? "all passed" : failed + " FAILED")
        .append(
            ": no job lost, duplicates within the in-flight window and under the same key.\n\n");
    md.append(
        "| Scenario | Broker | Produced | Delivered | Lost | Duplicated | Window | Other key |"
            + " Dead-lettered | Seconds | Result | What happened | Test |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n");
    for (Outcome o : outcomes) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %,d | **%,d** | %,d | %,d | %d | %,d | %.1f | %s | %s | %s |\n",
              o.scenario(),
              o.broker(),
              o.produced(),
              o.delivered(),
              o.lost(),
              o.duplicated(),
              o.window(),
              o.otherKey(),
              o.deadLettered(),
              o.seconds(),
              o.passed() ? "pass" : "**FAIL**",
              o.detail().replace("|", "\\|"),
              o.test()));
    }
    return md.toString();
  }
}
