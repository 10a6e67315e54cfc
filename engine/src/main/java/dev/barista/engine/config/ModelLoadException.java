package dev.barista.engine.config;

/**
 * A model folder cannot be loaded. Subclasses name the cause; every message names the file or
 * field involved so the CLI can print it as one line.
 */
public class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
