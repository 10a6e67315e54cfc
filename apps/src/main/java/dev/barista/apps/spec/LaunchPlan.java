package dev.barista.apps.spec;

import java.util.List;
import java.util.Map;

/** How to start one replica: argv, the environment added to the runtime's, and how to probe it. */
public record LaunchPlan(List<String> argv, Map<String, String> env, StartupProbe probe) {
  public LaunchPlan {
    argv = List.copyOf(argv);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
  }

  /** The command line for display: secrets live in {@link #env()}, never in argv. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
