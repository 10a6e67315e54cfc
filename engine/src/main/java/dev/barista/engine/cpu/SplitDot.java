package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of widened weight rows with inputs, both in the split layout of {@link
 * WidenedRows} (even-indexed half, then odd-indexed half). Every path computes the same sum in
 * the same order as {@link Matmul}'s streaming bf16 dot: one accumulator vector per half, the two
 * added lanewise, {@link Lanes#sum}, then the scalar tail. So a token's result does not depend on
 * how many tokens share the step or which tile it lands in.
 */
final class SplitDot {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int L = FS.length();

  private SplitDot() {}

  /** One row (at {@code wo}) with one token's input (at {@code xo}), rows of width {@code in}. */
  static float dot(float[] w, int wo, float[] x, int xo, int in) {
    int half = in / 2;
    FloatVector a0 = FloatVector.zero(FS);
    FloatVector a1 = FloatVector.zero(FS);
    int j = 0;
    for (int end = FS.loopBound(half); j < end; j += L) {
      a0 = FloatVector.fromArray(FS, w, wo + j).fma(FloatVector.fromArray(FS, x, xo + j), a0);
      a1 = FloatVector.fromArray(FS, w, wo + half + j).fma(FloatVector.fromArray(FS, x, xo + half + j), a1);
    }
    return Lanes.sum(a0.add(a1)) + tail(w, wo, x, xo, half);
  }

  /** The scalar remainder of a dot, for widths whose half is not a multiple of the vector length. */
  static float tail(float[] w, int wo, float[] x, int xo, int half) {
    float s = 0;
    for (int j = FS.loopBound(half); j < half; j++) {
      s += w[wo + j] * x[xo + j] + w[wo + half + j] * x[xo + half + j];
    }
    return s;
  }

  /**
   * Four rows (at {@code wo}, stride in) by four tokens (at {@code xo}, stride in) as a register
   * tile: each weight vector loaded feeds four tokens and each input vector four rows, so the loop
   * is bound by multiply-adds, not loads. Results go to {@code out[row * 4 + token]}.
   *
   * @param sums scratch of 32 vectors: the even and the odd half's 16 accumulators
   */
  static void tile4x4(float[] w, int wo, float[] x, int xo, int in, float[] sums, float[] out) {
    int half = in / 2;
    half(w, wo, x, xo, in, 0, sums, 0);
    half(w, wo, x, xo, in, half, sums, 16 * L);
    reduce(sums, out);
    for (int r = 0; r < 4; r++) {
      for (int t = 0; t < 4; t++) out[r * 4 + t] += tail(w, wo + r * in, x, xo + t * in, half);
    }
  }

  /**
   * One half of the tile's dot products; stores its 16 accumulators at {@code sums[s0..]}. The
   * vectors never leave this method (or they would be boxed), so it is kept free of other work.
   */
  private static void half(float[] w, int wo, float[] x, int xo, int in, int offset, float[] sums, int s0) {
    int w0 = wo + offset, w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
    int x0 = xo + offset, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
    FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    for (int j = 0, end = FS.loopBound(in / 2); j < end; j += L) {
      FloatVector r0 = FloatVector.fromArray(FS, w, w0 + j);
      FloatVector r1 = FloatVector.fromArray(FS, w, w1 + j);
      FloatVector r2 = FloatVector.fromArray(FS, w, w2 + j);
      FloatVector r3 = FloatVector.fromArray(FS, w, w3 + j);
      FloatVector v = FloatVector.fromArray(FS, x, x0 + j);
      a00 = r0.fma(v, a00); a10 = r1.fma(v, a10); a20 = r2.fma(v, a20); a30 = r3.fma(v, a30);
      v = FloatVector.fromArray(FS, x, x1 + j);
      a01 = r0.fma(v, a01); a11 = r1.fma(v, a11); a21 = r2.fma(v, a21); a31 = r3.fma(v, a31);
      v = FloatVector.fromArray(FS, x, x2 + j);
      a02 = r0.fma(v, a02); a12 = r1.fma(v, a12); a22 = r2.fma(v, a22); a32 = r3.fma(v, a32);
      v = FloatVector.fromArray(FS, x, x3 + j);
      a03 = r0.fma(v, a03); a13 = r1.fma(v, a13); a23 = r2.fma(v, a23); a33 = r3.fma(v, a33);
    }
    a00.intoArray(sums, s0); a01.intoArray(sums, s0 + L);
    a02.intoArray(sums, s0 + 2 * L); a03.intoArray(sums, s0 + 3 * L);
    a10.intoArray(sums, s0 + 4 * L); a11.intoArray(sums, s0 + 5 * L);
    a12.intoArray(sums, s0 + 6 * L); a13.intoArray(sums, s0 + 7 * L);
    a20.intoArray(sums, s0 + 8 * L); a21.intoArray(sums, s0 + 9 * L);
    a22.intoArray(sums, s0 + 10 * L); a23.intoArray(sums, s0 + 11 * L);
    a30.intoArray(sums, s0 + 12 * L); a31.intoArray(sums, s0 + 13 * L);
    a32.intoArray(sums, s0 + 14 * L); a33.intoArray(sums, s0 + 15 * L);
  }

  /** out[i] = sum(even accumulator i + odd accumulator i), as the one-token dot reduces. */
  private static void reduce(float[] sums, float[] out) {
    for (int i = 0; i < 16; i++) {
      FloatVector pair = FloatVector.fromArray(FS, sums, i * L).add(FloatVector.fromArray(FS, sums, (16 + i) * L));
      if (Lanes.SUM16) pair.intoArray(sums, i * L);
      else out[i] = Lanes.sum(pair);
    }
    if (Lanes.SUM16) {
      Lanes.sum16(sums);
      System.arraycopy(sums, 0, out, 0, 16);
    }
  }
}
