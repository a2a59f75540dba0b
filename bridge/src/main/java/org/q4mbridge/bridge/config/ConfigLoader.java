package org.q4mbridge.bridge.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the configuration file into a {@link BridgeConfig}: YAML syntax first (one problem with
 * line and column), then every setting, collecting all problems before failing. {@code ${env:…}}
 * and {@code ${file:…}} references are resolved here.
 *
 * <p>Stateless and thread-safe; blocks only on reading the file and secret files.
 */
public final class ConfigLoader {
  /** The example configuration on the classpath, printed by {@code q4m-bridge check --example}. */
  public static final String EXAMPLE_RESOURCE = "/bridge-example.yml";

  /** A configuration file is a few kilobytes; the cap stops a wrong path from filling the heap. */
  private static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private ConfigLoader() {}

  /**
   * Loads {@code file}, resolving {@code ${env:…}} from the process environment.
   *
   * @throws ConfigException with every problem found, or the reason the file cannot be read
   */
  public static BridgeConfig load(Path file) throws ConfigException {
    return load(file, System::getenv);
  }

  /** As {@link #load(Path)} with an injected environment (tests, {@code check --env}). */
  public static BridgeConfig load(Path file, Function<String, String> env) throws ConfigException {
    String name = file.toString();
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(name + ": cannot read: no such file"));
    } catch (AccessDeniedException e) {
      throw new ConfigException(List.of(name + ": cannot read: permission denied"));
    } catch (IOException e) {
      throw new ConfigException(List.of(name + ": cannot read: " + e.getMessage()));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(
          List.of(name + ": larger than " + MAX_FILE_BYTES + " bytes; is this the right file?"));
    }
    return parse(new String(bytes, StandardCharsets.UTF_8), name, env);
  }

  /**
   * Parses configuration text.
   *
   * @param yaml the file's content
   * @param sourceName how to name it in messages ({@code bridge.yml})
   * @param env looks up environment variables for {@code ${env:NAME}}; returns null when unset
   * @throws ConfigException with every problem found
   */
  public static BridgeConfig parse(String yaml, String sourceName, Function<String, String> env)
      throws ConfigException {
    JsonNode root = syntax(yaml, sourceName);
    Reading reading = new Reading(sourceName, new References(env));
    BridgeConfig config = new ConfigReader(reading).read(root);
    if (config == null) {
      throw new ConfigException(reading.problems());
    }
    return config;
  }

  /** The example configuration, with a comment on every key. */
  public static String exampleYaml() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(EXAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(EXAMPLE_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses the YAML into a tree; a syntax error becomes one line with its position. */
  private static JsonNode syntax(String yaml, String sourceName) throws ConfigException {
    try (JsonParser parser = YAML.createParser(yaml)) {
      JsonToken first = parser.nextToken();
      JsonNode root = first == null ? null : tree(parser, first);
      if (root == null) {
        throw new ConfigException(
            List.of(
                sourceName
                    + ": the file has no settings (expected a mapping with database, sinks and"
                    + " queues)"));
      }
      if (parser.nextToken() != null) {
        // A second document ("---") would otherwise be ignored without a word.
        JsonLocation at = parser.currentTokenLocation();
        throw new ConfigException(
            List.of(
                position(sourceName, at.getLineNr(), at.getColumnNr())
                    + "a second YAML document; expected exactly one"));
      }
      return root;
    } catch (JsonProcessingException e) {
      MarkedYAMLException marked = markedCause(e);
      if (marked != null) {
        throw new ConfigException(List.of(syntaxProblem(sourceName, marked)));
      }
      JsonLocation at = e.getLocation();
      String where =
          at == null ? sourceName + ": " : position(sourceName, at.getLineNr(), at.getColumnNr());
      String message = oneLine(e.getOriginalMessage()).replace("Duplicate field", "duplicate key");
      throw new ConfigException(List.of(where + message));
    } catch (IOException e) {
      throw new ConfigException(List.of(sourceName + ": " + oneLine(e.getMessage())));
    }
  }

  /**
   * Builds the tree with every scalar kept as the text written in the file. YAML 1.1 typing, which
   * Jackson applies, would turn {@code phase: off} into {@code false}, a password {@code 0755} into
   * 493 and {@code no} into {@code false}; here each setting parses its own type from the text
   * instead (see {@link Section}).
   */
  private static JsonNode tree(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          o.set(name, tree(p, p.nextToken()));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          a.add(tree(p, e));
        }
        return a;
      }
      case VALUE_NULL -> {
        return NullNode.getInstance();
      }
      default -> {
        return TextNode.valueOf(p.getText());
      }
    }
  }

  /**
   * SnakeYAML's own exception behind Jackson's wrapper: it has the exact position of the problem
   * (Jackson's location is where its parser stood, often a line earlier) and the problem without
   * the snippet of input, which could show a secret.
   */
  private static MarkedYAMLException markedCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m) {
        return m;
      }
    }
    return null;
  }

  private static String syntaxProblem(String sourceName, MarkedYAMLException e) {
    Mark mark = e.getProblemMark();
    String where =
        mark == null
            ? sourceName + ": "
            : position(sourceName, mark.getLine() + 1, mark.getColumn() + 1);
    String message = oneLine(e.getProblem());
    Mark contextMark = e.getContextMark();
    if (e.getContext() != null && contextMark != null) {
      message +=
          " ("
              + oneLine(e.getContext())
              + " that started at line "
              + (contextMark.getLine() + 1)
              + ", column "
              + (contextMark.getColumn() + 1)
              + ")";
    }
    return where + message;
  }

  private static String position(String sourceName, int line, int column) {
    return sourceName + " line " + line + ", column " + column + ": ";
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "invalid YAML";
    }
    // SnakeYAML appends a snippet of the input after the first line; the position says enough.
    String first = s.strip().lines().findFirst().orElse("invalid YAML");
    return first.strip();
  }
}
