package dev.barista.engine.sampling;

import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(logit - max) over a whole vocabulary, vectorized: the costly part of every softmax here.
 *
 * <p>The total is summed in 16 logical float lanes (element i into lane i mod 16) on every host:
 * one 16-float vector with AVX-512, two alternating 8-float ones with AVX2, four with 128-bit
 * vectors. A host's own vector width would change the summation order, and the total by ~1e-6
 * relative over a 152k vocabulary (measured: 8 vs 16 lanes), enough to move the last token top_p
 * keeps; so the same seeded request draws the same tokens on every machine.
 */
final class Exp {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int LOGICAL_LANES = 16;
  /** Vectors per group of 16 logical lanes (1 where the host's vectors hold 16 floats or more; at most 4). */
  private static final int GROUP = Math.min(4, Math.max(1, LOGICAL_LANES / FS.length()));
  /** Elements a group covers: 16 (other than on hosts with vectors of 2 floats or of more than 16). */
  private static final int SPAN = GROUP * FS.length();

  private Exp() {}

  /** Fills {@code out} with exp(logits[i] - max) and returns their sum (masked tokens give 0). */
  static double shifted(float[] logits, float max, float[] out) {
    int w = FS.length();
    FloatVector a0 = FloatVector.zero(FS), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (int end = logits.length - logits.length % SPAN; i < end; i += SPAN) {
      a0 = a0.add(expInto(logits, max, out, i));
      if (GROUP > 1) a1 = a1.add(expInto(logits, max, out, i + w));
      if (GROUP > 2) {
        a2 = a2.add(expInto(logits, max, out, i + 2 * w));
        a3 = a3.add(expInto(logits, max, out, i + 3 * w));
      }
    }
    float[] lanes = new float[SPAN];
    a0.intoArray(lanes, 0);
    if (GROUP > 1) a1.intoArray(lanes, w);
    if (GROUP > 2) {
      a2.intoArray(lanes, 2 * w);
      a3.intoArray(lanes, 3 * w);
    }
    for (; i < logits.length; i++) {
      out[i] = (float) Math.exp(logits[i] - max);
      lanes[i % SPAN] += out[i];
    }
    double sum = 0;
    for (float lane : lanes) sum += lane;
    return sum;
  }

  private static FloatVector expInto(float[] logits, float max, float[] out, int at) {
    FloatVector e = Lanes.exp(FloatVector.fromArray(FS, logits, at).sub(max));
    e.intoArray(out, at);
    return e;
  }
}
