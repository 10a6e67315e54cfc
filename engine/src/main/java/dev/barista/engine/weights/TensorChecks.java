package dev.barista.engine.weights;

import java.util.Arrays;

/** Shape validation shared by every weight source. */
final class TensorChecks {
  private TensorChecks() {}

  static Tensor requireShape(Tensor t, long[] expected, String where) {
    if (!Arrays.equals(t.shape(), expected)) {
      throw new TensorShapeException(t.name(), expected, t.shape(), where);
    }
    return t;
  }
}
