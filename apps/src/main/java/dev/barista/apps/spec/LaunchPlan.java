package dev.barista.apps.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start one replica: argv, the environment added to the runtime's, how to probe it, and
 * (null when none) a model to download before it starts.
 */
public record LaunchPlan(List<String> argv, Map<String, String> env, StartupProbe probe, ModelDownload download) {
  public LaunchPlan {
    argv = List.copyOf(argv);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    if (download != null && (download.argIndex() < 0 || download.argIndex() >= argv.size()))
      throw new IllegalArgumentException("download argument index " + download.argIndex() + " is outside argv");
  }

  public LaunchPlan(List<String> argv, Map<String, String> env, StartupProbe probe) {
    this(argv, env, probe, null);
  }

  /** This plan once its model was downloaded into {@code folder}: the folder takes the model's place in argv. */
  public LaunchPlan withModelFolder(Path folder) {
    if (download == null) return this;
    List<String> changed = new ArrayList<>(argv);
    changed.set(download.argIndex(), folder.toString());
    return new LaunchPlan(changed, env, probe, null);
  }

  /** The command line for display: secrets live in {@link #env()}, never in argv. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
