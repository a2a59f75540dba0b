package org.q4mbridge.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.q4mbridge.q4m.TableRef;

/**
 * What changed between two configurations, for reload: per queue (added, removed, phase moved,
 * other settings changed), per sink, and elsewhere. Settings are named by their YAML paths ({@code
 * retry.backoff}, {@code mapping.groupId.column}); values are never included, so a diff can be
 * logged even when a password changed.
 *
 * <p>Whether a change can be applied without a restart, and whether a phase transition is allowed,
 * is for the reload logic to decide; this only reports.
 *
 * @param queues queue changes, in the order of the new file (removed queues last)
 * @param sinks sink changes, in the order of the new file (removed sinks last)
 * @param settings changed paths outside {@code sinks} and {@code queues} ({@code database.url},
 *     {@code compare.gate.window})
 */
public record ConfigDiff(List<QueueChange> queues, List<SinkChange> sinks, List<String> settings) {

  public ConfigDiff {
    queues = List.copyOf(queues);
    sinks = List.copyOf(sinks);
    settings = List.copyOf(settings);
  }

  /** One queue's change; queues are matched by table, case-insensitively. */
  public sealed interface QueueChange {
    /** The queue table. */
    TableRef table();
  }

  /** A queue that is new in the next configuration. */
  public record QueueAdded(QueueConfig queue) implements QueueChange {
    @Override
    public TableRef table() {
      return queue.table();
    }
  }

  /** A queue that is gone from the next configuration. */
  public record QueueRemoved(QueueConfig queue) implements QueueChange {
    @Override
    public TableRef table() {
      return queue.table();
    }
  }

  /**
   * A queue present in both whose settings differ.
   *
   * @param settings the changed settings by YAML path inside the queue ({@code phase}, {@code
   *     batchSize}, {@code retry.backoff}), in file order
   */
  public record QueueChanged(QueueConfig before, QueueConfig after, List<String> settings)
      implements QueueChange {
    public QueueChanged {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      settings = List.copyOf(settings);
    }

    @Override
    public TableRef table() {
      return after.table();
    }

    /** The phase move, when the phase changed. */
    public Optional<PhaseTransition> phaseChange() {
      return before.phase() == after.phase()
          ? Optional.empty()
          : Optional.of(new PhaseTransition(before.phase(), after.phase()));
    }

    /** True when something besides the phase changed. */
    public boolean otherSettingsChanged() {
      return settings.stream().anyMatch(s -> !s.equals("phase"));
    }
  }

  /** A phase move ({@code mirror → shadow}). */
  public record PhaseTransition(Phase from, Phase to) {
    @Override
    public String toString() {
      return from.yamlName() + " -> " + to.yamlName();
    }
  }

  /**
   * One sink's change.
   *
   * @param settings changed settings inside the sink ({@code uri}, {@code maxLen}); empty for an
   *     added or removed sink
   */
  public record SinkChange(String name, Kind kind, List<String> settings) {
    public SinkChange {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      settings = List.copyOf(settings);
    }

    /** What happened to the sink. */
    public enum Kind {
      ADDED,
      REMOVED,
      CHANGED
    }
  }

  /** Compares {@code before} with {@code next}. */
  public static ConfigDiff between(BridgeConfig before, BridgeConfig next) {
    ObjectNode a = ConfigRenderer.tree(before, true);
    ObjectNode b = ConfigRenderer.tree(next, true);

    List<QueueChange> queues = new ArrayList<>();
    Map<String, Integer> oldIndex = new LinkedHashMap<>();
    for (int i = 0; i < before.queues().size(); i++) {
      oldIndex.put(before.queues().get(i).table().key(), i);
    }
    for (int i = 0; i < next.queues().size(); i++) {
      QueueConfig q = next.queues().get(i);
      Integer j = oldIndex.remove(q.table().key());
      if (j == null) {
        queues.add(new QueueAdded(q));
        continue;
      }
      List<String> changed = new ArrayList<>();
      leaves(a.get("queues").get(j), b.get("queues").get(i), "", changed);
      if (!changed.isEmpty()) {
        queues.add(new QueueChanged(before.queues().get(j), q, changed));
      }
    }
    for (int j : oldIndex.values()) {
      queues.add(new QueueRemoved(before.queues().get(j)));
    }

    List<SinkChange> sinks = new ArrayList<>();
    for (String name : next.sinks().keySet()) {
      if (!before.sinks().containsKey(name)) {
        sinks.add(new SinkChange(name, SinkChange.Kind.ADDED, List.of()));
        continue;
      }
      List<String> changed = new ArrayList<>();
      leaves(a.get("sinks").get(name), b.get("sinks").get(name), "", changed);
      if (!changed.isEmpty()) {
        sinks.add(new SinkChange(name, SinkChange.Kind.CHANGED, changed));
      }
    }
    for (String name : before.sinks().keySet()) {
      if (!next.sinks().containsKey(name)) {
        sinks.add(new SinkChange(name, SinkChange.Kind.REMOVED, List.of()));
      }
    }

    a.remove(List.of("sinks", "queues"));
    b.remove(List.of("sinks", "queues"));
    List<String> settings = new ArrayList<>();
    leaves(a, b, "", settings);
    return new ConfigDiff(queues, sinks, settings);
  }

  /** True when nothing changed. */
  public boolean isEmpty() {
    return queues.isEmpty() && sinks.isEmpty() && settings.isEmpty();
  }

  /**
   * The queues a reload must re-plan: added, removed or changed ones, and those of the next
   * configuration that publish to a changed sink.
   */
  public Set<TableRef> affectedQueues(BridgeConfig next) {
    Set<TableRef> out = new LinkedHashSet<>();
    for (QueueChange c : queues) {
      out.add(c.table());
    }
    Set<String> changedSinks = new LinkedHashSet<>();
    for (SinkChange s : sinks) {
      changedSinks.add(s.name());
    }
    for (QueueConfig q : next.queues()) {
      if (q.allSinks().stream().anyMatch(changedSinks::contains)) {
        out.add(q.table());
      }
    }
    return out;
  }

  /** One line per change, for the reload log: names and paths only, never values. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (QueueChange c : queues) {
      if (c instanceof QueueAdded added) {
        out.add("queue " + c.table() + ": added (phase " + added.queue().phase().yamlName() + ")");
      } else if (c instanceof QueueRemoved) {
        out.add("queue " + c.table() + ": removed");
      } else if (c instanceof QueueChanged changed) {
        StringBuilder line = new StringBuilder("queue " + c.table() + ":");
        changed.phaseChange().ifPresent(p -> line.append(" phase ").append(p));
        List<String> others = changed.settings().stream().filter(s -> !s.equals("phase")).toList();
        if (!others.isEmpty()) {
          line.append(changed.phaseChange().isPresent() ? ";" : "")
              .append(" changed ")
              .append(String.join(", ", others));
        }
        out.add(line.toString());
      }
    }
    for (SinkChange s : sinks) {
      out.add(
          "sink "
              + s.name()
              + ": "
              + s.kind().name().toLowerCase(java.util.Locale.ROOT)
              + (s.settings().isEmpty() ? "" : " " + String.join(", ", s.settings())));
    }
    for (String s : settings) {
      out.add("setting " + s + ": changed");
    }
    return out;
  }

  /** Adds the paths of every leaf that differs between {@code a} and {@code b}. */
  private static void leaves(JsonNode a, JsonNode b, String path, List<String> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      b.fieldNames().forEachRemaining(keys::add);
      a.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        leaves(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k, out);
      }
    } else if (!Objects.equals(a, b)) {
      out.add(path);
    }
  }
}
