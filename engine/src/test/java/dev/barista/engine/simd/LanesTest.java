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
}
