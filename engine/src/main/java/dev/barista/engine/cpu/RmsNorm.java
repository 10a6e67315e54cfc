package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** RMSNorm: x / sqrt(mean(x^2) + eps) * weight, over consecutive vectors of width {@code dim}. */
final class RmsNorm {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private RmsNorm() {}

  /** Normalizes {@code count} vectors of {@code dim} from {@code in} into {@code out} (may alias). */
  static void apply(float[] in, float[] out, int count, int dim, float[] weight, double eps) {
    for (int v = 0; v < count; v++) {
      int off = v * dim;
      FloatVector acc = FloatVector.zero(FS);
      int i = 0;
      for (int end = FS.loopBound(dim); i < end; i += FS.length()) {
        FloatVector x = FloatVector.fromArray(FS, in, off + i);
        acc = x.fma(x, acc);
      }
      double ss = Lanes.sum(acc);
      for (; i < dim; i++) ss += (double) in[off + i] * in[off + i];
      float scale = (float) (1.0 / Math.sqrt(ss / dim + eps));
      i = 0;
      for (int end = FS.loopBound(dim); i < end; i += FS.length()) {
        FloatVector.fromArray(FS, in, off + i).mul(scale)
            .mul(FloatVector.fromArray(FS, weight, i)).intoArray(out, off + i);
      }
      for (; i < dim; i++) out[off + i] = in[off + i] * scale * weight[i];
    }
  }
}
