package dev.barista.apps.secrets;

import java.nio.file.Path;

/**
 * Where Barista keeps per-user files: config (secrets, the control plane's address and admin token)
 * and state (the apps database, replica logs). Each can be moved by a system property or env var.
 */
public record BaristaDirs(Path config, Path state) {
  public static BaristaDirs fromEnvironment() {
    Path home = Path.of(System.getProperty("user.home"));
    Path config = pick("barista.config.dir", "BARISTA_CONFIG_DIR", xdg("XDG_CONFIG_HOME", home.resolve(".config")));
    Path state = pick("barista.state.dir", "BARISTA_STATE_DIR", xdg("XDG_STATE_HOME", home.resolve(".local/state")));
    return new BaristaDirs(config, state);
  }

  /** Both under one folder (tests, or a self-contained install). */
  public static BaristaDirs under(Path root) {
    return new BaristaDirs(root.resolve("config"), root.resolve("state"));
  }

  private static Path xdg(String env, Path fallback) {
    String v = System.getenv(env);
    return (v == null || v.isBlank() ? fallback : Path.of(v)).resolve("barista");
  }

  private static Path pick(String property, String env, Path fallback) {
    String p = System.getProperty(property);
    if (p != null && !p.isBlank()) return Path.of(p);
    String e = System.getenv(env);
    return e != null && !e.isBlank() ? Path.of(e) : fallback;
  }
}
