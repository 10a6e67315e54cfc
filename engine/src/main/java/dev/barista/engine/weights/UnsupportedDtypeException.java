package dev.barista.engine.weights;

import dev.barista.engine.config.ModelLoadException;

/** A tensor or config asks for an element type we do not read (we read F32, BF16, F16). */
public class UnsupportedDtypeException extends ModelLoadException {
  public UnsupportedDtypeException(String message) {
    super(message);
  }
}
