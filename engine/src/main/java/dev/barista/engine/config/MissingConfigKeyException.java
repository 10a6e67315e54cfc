package dev.barista.engine.config;

import java.nio.file.Path;

/** A key the model needs is absent from its config.json. */
public class MissingConfigKeyException extends InvalidConfigException {
  private final String key;

  public MissingConfigKeyException(Path file, String key) {
    super(file + ": required key \"" + key + "\" is missing");
    this.key = key;
  }

  public String key() {
    return key;
  }
}
