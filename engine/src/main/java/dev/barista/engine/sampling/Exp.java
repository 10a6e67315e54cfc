package dev.barista.engine.sampling;

import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** exp(logit - max) over a whole vocabulary, vectorized: the costly part of every softmax here. */
final class Exp {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

  private Exp() {}

  /** Fills {@code out} with exp(logits[i] - max) and returns their sum (masked tokens give 0). */
  static double shifted(float[] logits, float max, float[] out) {
    FloatVector acc = FloatVector.zero(FS);
    int i = 0;
    for (int end = FS.loopBound(logits.length); i < end; i += FS.length()) {
      FloatVector e = Lanes.exp(FloatVector.fromArray(FS, logits, i).sub(max));
      e.intoArray(out, i);
      acc = acc.add(e);
    }
    double sum = Lanes.sum(acc);
    for (; i < logits.length; i++) {
      out[i] = (float) Math.exp(logits[i] - max);
      sum += out[i];
    }
    return sum;
  }
}
