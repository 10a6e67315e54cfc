package dev.barista.engine.weights;

import dev.barista.engine.config.ModelLoadException;
import java.util.Arrays;

/** A tensor's shape disagrees with what config.json implies. */
public class TensorShapeException extends ModelLoadException {
  public TensorShapeException(String tensor, long[] expected, long[] actual, String where) {
    super(where + ": tensor " + tensor + " has shape " + Arrays.toString(actual) + ", expected "
        + Arrays.toString(expected));
  }
}
