package dev.barista.engine.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {
  private static final int L = FloatVector.SPECIES_PREFERRED.length();

  @Test
  void expMatchesMathExpWithinAFewUlps() {
    Random random = new Random(7);
    float[] x = new float[L];
    float[] out = new float[L];
    for (int round = 0; round < 20_000; round++) {
      for (int i = 0; i < L; i++) x[i] = (random.nextFloat() - 0.5f) * 170f;
      Lanes.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(out, 0);
      for (int i = 0; i < L; i++) {
        double expected = Math.exp(Math.min(x[i], 88.3f));
        if (x[i] < -87.3f) expected = 0;
        assertEquals(expected, out[i], Math.max(4 * Math.ulp((float) expected), 1e-37), "exp(" + x[i] + ")");
      }
    }
  }

  @Test
  void expOfMinusInfinityIsZero() {
    float[] x = new float[L];
    java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
    float[] out = new float[L];
    Lanes.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(out, 0);
    for (float v : out) assertEquals(0f, v);
  }

  @Test
  void sumAddsEveryLane() {
    float[] x = new float[L];
    for (int i = 0; i < L; i++) x[i] = 1 << i % 20;
    double expected = 0;
    for (float v : x) expected += v;
    assertEquals(expected, Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)), 1e-3);
  }

  /** sum16 must add each vector in exactly sum's order: bit-identical, on values where order matters. */
  @Test
  void sum16GivesEachVectorsSumBitForBit() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Lanes.SUM16, "needs 16-lane float vectors");
    Random random = new Random(3);
    var fs = FloatVector.SPECIES_PREFERRED;
    for (int round = 0; round < 2000; round++) {
      float[] a = new float[16 * 16];
      for (int i = 0; i < a.length; i++) a[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
      float[] expected = new float[16];
      for (int k = 0; k < 16; k++) expected[k] = Lanes.sum(FloatVector.fromArray(fs, a, k * 16));
      Lanes.sum16(a);
      for (int k = 0; k < 16; k++) {
        assertEquals(Float.floatToIntBits(expected[k]), Float.floatToIntBits(a[k]), "vector " + k);
      }
    }
  }
}
