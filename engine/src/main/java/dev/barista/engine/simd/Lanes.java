package dev.barista.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector reductions and exp that give bit-identical results in every JIT tier.
 *
 * <p>Why: {@code reduceLanes(ADD)} on floats and {@code lanewise(EXP)} leave the order of additions
 * and the exp algorithm to the implementation, and HotSpot's interpreted fallback and its compiled
 * intrinsics differ in the last bits. Logits then change from run to run (about 1e-6) depending on
 * when methods get compiled, which breaks "the same request gives the same tokens". These versions
 * use only lanewise IEEE operations in a fixed order.
 */
public final class Lanes {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  /** halvingShuffles[k] maps lane i to lane i ^ (length >> (k + 1)): a fixed pairwise tree. */
  private static final VectorShuffle<Float>[] HALVING = halvingShuffles();

  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 * 2^23: adding and subtracting it rounds a float to the nearest integer. */
  private static final float ROUNDER = 12582912f;
  private static final float EXP_MIN = -87.3f;
  private static final float EXP_MAX = 88.3f;
  private static final float[] TAYLOR = {1f / 120f, 1f / 24f, 1f / 6f, 0.5f, 1f, 1f};

  private Lanes() {}

  /** The sum of all lanes, added as a fixed pairwise tree. */
  public static float sum(FloatVector v) {
    if (v.species() != FS) return sequentialSum(v);
    for (VectorShuffle<Float> s : HALVING) v = v.add(v.rearrange(s));
    return v.lane(0);
  }

  /**
   * e^x per lane with a relative error of a few ulps; lanes below -87.3 give 0, lanes above 88.3
   * give e^88.3.
   */
  public static FloatVector exp(FloatVector x) {
    var underflow = x.lt(EXP_MIN);
    FloatVector c = x.max(EXP_MIN).min(EXP_MAX);
    FloatVector n = c.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
    var species = x.species();
    FloatVector r = n.fma(FloatVector.broadcast(species, -LN2_HI), c);
    r = n.fma(FloatVector.broadcast(species, -LN2_LO), r);
    // Taylor polynomial of e^r on |r| <= ln2/2, Horner form.
    FloatVector p = FloatVector.broadcast(species, 1f / 720f);
    for (float coefficient : TAYLOR) p = p.fma(r, FloatVector.broadcast(species, coefficient));
    IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
    FloatVector scale = bits.reinterpretAsFloats();
    return p.mul(scale).blend(0f, underflow);
  }

  private static float sequentialSum(FloatVector v) {
    float s = 0;
    for (int i = 0; i < v.length(); i++) s += v.lane(i);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] halvingShuffles() {
    int steps = Integer.numberOfTrailingZeros(FS.length());
    VectorShuffle<Float>[] shuffles = new VectorShuffle[steps];
    for (int k = 0; k < steps; k++) {
      int stride = FS.length() >> (k + 1);
      shuffles[k] = VectorShuffle.fromOp(FS, i -> i ^ stride);
    }
    return shuffles;
  }
}
