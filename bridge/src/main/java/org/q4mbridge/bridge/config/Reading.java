package org.q4mbridge.bridge.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The state of one validation pass: the problems found so far (every one is kept, so the operator
 * sees all of them at once), the reference resolver, and the paths whose values came from {@code
 * ${…}} references (masked by {@link BridgeConfig#describe()}).
 */
final class Reading {
  private final String source;
  private final References references;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> referencedPaths = new LinkedHashSet<>();

  Reading(String source, References references) {
    this.source = source;
    this.references = references;
  }

  String source() {
    return source;
  }

  References references() {
    return references;
  }

  /** Records a problem at {@code path}; the message says what was expected and what was found. */
  void problem(String path, String message) {
    problems.add((path.isEmpty() ? source : path) + ": " + message);
  }

  /** How many problems so far; compare before and after reading a part to know if it was valid. */
  int problemCount() {
    return problems.size();
  }

  List<String> problems() {
    return List.copyOf(problems);
  }

  void referenced(String path) {
    referencedPaths.add(path);
  }

  Set<String> referencedPaths() {
    return Set.copyOf(referencedPaths);
  }
}
