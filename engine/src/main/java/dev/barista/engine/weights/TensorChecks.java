package dev.barista.engine.weights;

import java.util.Arrays;

/** Shape validation shared by every weight source. */
final class TensorChecks {
  private TensorChecks() {}

  /** A U8 tensor's bytes, after checking its stored dtype, its shape and that the bytes fill it. */
  static java.lang.foreign.MemorySegment requireBytes(String name, String dtype, long[] shape, long[] expected,
      java.lang.foreign.MemorySegment data, String where) {
    if (!dtype.equals("U8")) {
      throw new UnsupportedDtypeException(where + ": tensor " + name + " has dtype " + dtype + ", U8 expected");
    }
    if (!Arrays.equals(shape, expected)) throw new TensorShapeException(name, expected, shape, where);
    long numel = 1;
    for (long d : shape) numel = Math.multiplyExact(numel, d);
    if (numel != data.byteSize()) {
      throw new SafetensorsFormatException(where + ": tensor " + name + " U8" + Arrays.toString(shape) + " needs "
          + numel + " bytes, has " + data.byteSize());
    }
    return data;
  }

  static Tensor requireShape(Tensor t, long[] expected, String where) {
    if (!Arrays.equals(t.shape(), expected)) {
      throw new TensorShapeException(t.name(), expected, t.shape(), where);
    }
    return t;
  }
}
