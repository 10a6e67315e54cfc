package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The gated MLP's activation: gate = silu(gate) * up = gate / (1 + exp(-gate)) * up. */
final class SiluMul {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private SiluMul() {}

  static void apply(float[] gate, float[] up, int n) {
    int i = 0;
    for (int end = FS.loopBound(n); i < end; i += FS.length()) {
      FloatVector g = FloatVector.fromArray(FS, gate, i);
      FloatVector sig = Lanes.exp(g.neg()).add(1f);
      g.div(sig).mul(FloatVector.fromArray(FS, up, i)).intoArray(gate, i);
    }
    for (; i < n; i++) {
      float g = gate[i];
      gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
    }
  }
}
