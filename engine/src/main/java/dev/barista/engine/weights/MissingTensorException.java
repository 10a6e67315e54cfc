package dev.barista.engine.weights;

import dev.barista.engine.config.ModelLoadException;

/** The weights lack a tensor the architecture needs. */
public class MissingTensorException extends ModelLoadException {
  public MissingTensorException(String tensor, String where) {
    super(where + ": tensor " + tensor + " is missing");
  }
}
