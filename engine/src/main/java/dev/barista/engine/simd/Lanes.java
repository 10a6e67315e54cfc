package dev.barista.engine.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
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
  /**
   * HALVE_k maps lane i to lane i ^ (length >> (k + 1)): a fixed pairwise tree. Separate static
   * finals (not an array) so that the JIT sees each shuffle as a constant; unused ones are null.
   */
  private static final int STEPS = Integer.numberOfTrailingZeros(FS.length());
  private static final VectorShuffle<Float> HALVE_0 = halving(0);
  private static final VectorShuffle<Float> HALVE_1 = halving(1);
  private static final VectorShuffle<Float> HALVE_2 = halving(2);
  private static final VectorShuffle<Float> HALVE_3 = halving(3);
  /** The same shuffles as an array of exactly STEPS entries, for {@link #sum}'s loop. */
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

  /** Whether {@link #sum16} applies: vectors of exactly 16 lanes (AVX-512 floats). */
  public static final boolean SUM16 = FS.length() == 16;
  private static final VectorMask<Float> UPPER_0 = SUM16 ? upper(8) : null;
  private static final VectorMask<Float> UPPER_1 = SUM16 ? upper(4) : null;
  private static final VectorMask<Float> UPPER_2 = SUM16 ? upper(2) : null;
  private static final VectorMask<Float> UPPER_3 = SUM16 ? upper(1) : null;

  /**
   * The sums of 16 vectors at once: {@code a} holds 16 vectors of 16 lanes; afterwards a[k] is
   * {@code sum(vector k)}, bit for bit (the same pairwise tree per vector), for a quarter of the
   * shuffles. Each fold merges two vectors into one that holds both halves' partial sums; working
   * through the array keeps every method small enough for the JIT to inline, so no vector is
   * boxed. Requires {@link #SUM16}.
   */
  public static void sum16(float[] a) {
    for (int k = 0; k < 8; k++) fold(a, k, k + 8, UPPER_0, HALVE_0);
    for (int k = 0; k < 4; k++) fold(a, k, k + 4, UPPER_1, HALVE_1);
    for (int k = 0; k < 2; k++) fold(a, k, k + 2, UPPER_2, HALVE_2);
    fold(a, 0, 1, UPPER_3, HALVE_3);
  }

  /**
   * Vector p becomes: where the stride s bit of the lane is clear, p[i] + p[i + s] (the step
   * {@link #sum} takes); where it is set, q[i - s] + q[i].
   */
  private static void fold(float[] a, int p, int q, VectorMask<Float> upper, VectorShuffle<Float> swap) {
    FloatVector pv = FloatVector.fromArray(FS, a, p * 16);
    FloatVector qv = FloatVector.fromArray(FS, a, q * 16);
    pv.blend(qv, upper).add(qv.blend(pv, upper).rearrange(swap)).intoArray(a, p * 16);
  }

  private static VectorMask<Float> upper(int stride) {
    boolean[] bits = new boolean[FS.length()];
    for (int i = 0; i < bits.length; i++) bits[i] = (i & stride) != 0;
    return VectorMask.fromArray(FS, bits, 0);
  }

  private static float sequentialSum(FloatVector v) {
    float s = 0;
    for (int i = 0; i < v.length(); i++) s += v.lane(i);
    return s;
  }

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] halvingShuffles() {
    VectorShuffle<Float>[] shuffles = new VectorShuffle[STEPS];
    for (int k = 0; k < STEPS; k++) shuffles[k] = halving(k);
    return shuffles;
  }

  private static VectorShuffle<Float> halving(int k) {
    if (k >= STEPS) return null;
    int stride = FS.length() >> (k + 1);
    return VectorShuffle.fromOp(FS, i -> i ^ stride);
  }
}
