package dev.barista.engine.cpu;

import dev.barista.engine.weights.DType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rows of a 16-bit weight matrix widened to f32 once, in the "split" layout the 16-bit kernels use
 * for inputs too: for a row of width n, its n/2 even-indexed elements, then its n/2 odd-indexed
 * ones. A batch then reuses each widened row for every token from L1/L2 instead of converting it
 * again per token.
 */
final class WidenedRows {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
  private static final int L = FS.length();

  private WidenedRows() {}

  /** {@code bits << 16} is the even bf16 of an int lane as f32, {@code bits & 0xFFFF0000} the odd one. */
  static FloatVector even(IntVector bits) {
    return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  static FloatVector odd(IntVector bits) {
    return bits.and(0xFFFF0000).reinterpretAsFloats();
  }

  /** Widens rows r0..r0+count of {@code w} (16-bit, width in) into {@code out} from index 0. */
  static void widen(MemorySegment w, DType dtype, int in, int r0, int count, float[] out) {
    int half = in / 2;
    for (int i = 0; i < count; i++) {
      long base = (long) (r0 + i) * in * 2;
      int o = i * in;
      if (dtype == DType.BF16) {
        int j = 0;
        for (int end = FS.loopBound(half); j < end; j += L) {
          IntVector bits = IntVector.fromMemorySegment(IS, w, base + 4L * j, ByteOrder.LITTLE_ENDIAN);
          even(bits).intoArray(out, o + j);
          odd(bits).intoArray(out, o + half + j);
        }
        for (; j < half; j++) {
          int bits = w.get(Layouts.INT, base + 4L * j);
          out[o + j] = Float.intBitsToFloat(bits << 16);
          out[o + half + j] = Float.intBitsToFloat(bits & 0xFFFF0000);
        }
      } else {
        for (int j = 0; j < half; j++) {
          int bits = w.get(Layouts.INT, base + 4L * j);
          out[o + j] = Float.float16ToFloat((short) bits);
          out[o + half + j] = Float.float16ToFloat((short) (bits >>> 16));
        }
      }
    }
  }
}
