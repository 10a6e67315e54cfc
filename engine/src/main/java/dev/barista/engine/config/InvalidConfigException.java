package dev.barista.engine.config;

/** config.json or generation_config.json is unreadable or holds a value we cannot use. */
public class InvalidConfigException extends ModelLoadException {
  public InvalidConfigException(String message) {
    super(message);
  }

  public InvalidConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
