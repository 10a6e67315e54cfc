package dev.barista.engine.weights;

import dev.barista.engine.config.ModelLoadException;

/** A safetensors file (or its shard index) is malformed: truncated, bad header, bad offsets. */
public class SafetensorsFormatException extends ModelLoadException {
  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
